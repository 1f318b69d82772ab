from django.urls import path

from . import ranking_views, views

app_name = "routine"

urlpatterns = [
    path("routine/", views.index, name="index"),
    path("routine/<int:org>/<int:year>/", views.overview, name="overview"),
    path("routine/<int:org>/<int:year>/indicators/", views.indicators, name="indicators"),
    path("routine/<int:org>/<int:year>/indicators/new/", views.indicator_save, name="indicator_new"),
    path("routine/<int:org>/<int:year>/indicators/<int:pk>/edit/", views.indicator_save, name="indicator_edit"),
    path("routine/<int:org>/<int:year>/indicators/<int:pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("routine/<int:org>/<int:year>/scores/", views.scores, name="scores"),
    path("routine/<int:org>/<int:year>/scores/<int:month>/<int:unit>/", views.score_row, name="score_row"),
    path("routine/<int:org>/<int:year>/scores/import/", views.scores_import, name="scores_import"),
    path("routine/<int:org>/<int:year>/scores/template.xlsx", views.scores_template, name="scores_template"),
    path("routine/<int:org>/<int:year>/rankings/", views.rankings, name="rankings"),
    path("routine/<int:org>/<int:year>/ranking-groups/", ranking_views.ranking_groups, name="ranking_groups"),
    path("routine/units/<int:pk>/<int:year>/", views.unit, name="unit"),
    path("routine/<int:org>/<int:year>/duties/", views.responsibilities, name="responsibilities"),
    path("routine/<int:org>/<int:year>/duties/new/", views.responsibility_new, name="responsibility_new"),
    path("routine/<int:org>/<int:year>/duties/import/", views.responsibilities_import, name="responsibilities_import"),
    path("routine/<int:org>/<int:year>/duties.xlsx", views.responsibilities_export, name="responsibilities_export"),
    path("routine/duties/<int:pk>/", views.responsibility, name="responsibility"),
    path("routine/duties/<int:pk>/progress/", views.responsibility_progress, name="responsibility_progress"),
    path("routine/<int:org>/<int:year>/circulars/", views.circulars, name="circulars"),
    path("routine/<int:org>/<int:year>/circulars/new/", views.circular_new, name="circular_new"),
    path("routine/circulars/<int:pk>/", views.circular, name="circular"),
    path("routine/circulars/<int:pk>/edit/", views.circular_edit, name="circular_edit"),
    path("routine/circulars/<int:pk>/circular.docx", views.circular_docx, name="circular_docx"),
    path("routine/circulars/<int:pk>/issue/", views.circular_issue, name="circular_issue"),
    path("routine/inspections/", views.inspections, name="inspections"),
    path("routine/inspections/new/", views.inspection_new, name="inspection_new"),
    path("routine/inspections/<int:pk>/", views.inspection, name="inspection"),
    path("routine/inspections/<int:pk>/visits/", views.visit_add, name="visit_add"),
    path("routine/visits/<int:pk>/findings/", views.finding_add, name="finding_add"),
    path("routine/campaigns/<int:pk>/composition/", views.composition, name="composition"),
    path("routine/campaigns/<int:pk>/apply-routine/", views.routine_apply, name="routine_apply"),
    path("routine/uses/", views.uses, name="uses"),
    path("routine/people/<int:pk>/uses/new/", views.use_add, name="use_add"),
]

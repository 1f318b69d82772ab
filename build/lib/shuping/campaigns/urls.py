from django.urls import path

from . import views

app_name = "campaigns"

urlpatterns = [
    path("campaigns/", views.campaign_list, name="list"),
    path("campaigns/new/", views.campaign_create, name="create"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="detail"),
    path("campaigns/<int:pk>/transition/", views.campaign_transition, name="transition"),
    path("campaigns/<int:pk>/participants/", views.participants, name="participants"),
    path("campaigns/<int:pk>/participants/<int:participant_pk>/remove/", views.participant_remove,
         name="participant_remove"),
    path("campaigns/<int:pk>/config/", views.config, name="config"),
    path("campaigns/<int:pk>/rubric/", views.rubric, name="rubric"),
    path("campaigns/<int:pk>/rubric/new/", views.indicator_edit, name="indicator_new"),
    path("campaigns/<int:pk>/rubric/<int:indicator_pk>/", views.indicator_row, name="indicator_row"),
    path("campaigns/<int:pk>/rubric/<int:indicator_pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("campaigns/<int:pk>/rubric/<int:indicator_pk>/delete/", views.indicator_delete, name="indicator_delete"),
    path("campaigns/<int:pk>/rubric/template/", views.rubric_apply_template, name="rubric_template"),
    path("campaigns/<int:pk>/rubric/import/", views.rubric_import, name="rubric_import"),
    path("campaigns/<int:pk>/rubric.xlsx", views.rubric_export, name="rubric_export"),
    path("campaigns/<int:pk>/groups/", views.groups, name="groups"),
    path("campaigns/<int:pk>/scores/", views.scores, name="scores"),
    path("campaigns/<int:pk>/ballots/import/", views.ballots_import, name="ballots_import"),
    path("campaigns/<int:pk>/ballots/template.xlsx", views.ballots_template, name="ballots_template"),
    path("campaigns/<int:pk>/ballots/batches/<int:batch_pk>/revoke/", views.ballot_batch_revoke,
         name="ballot_batch_revoke"),
    path("campaigns/<int:pk>/results/", views.results, name="results"),
    path("campaigns/<int:pk>/results.xlsx", views.results_export, name="results_export"),
    path("campaigns/<int:pk>/publish/", views.publish, name="publish"),
    path("campaigns/<int:pk>/result-visibility/", views.result_visibility, name="result_visibility"),
    path("campaigns/<int:pk>/correct/", views.correct, name="correct"),
]

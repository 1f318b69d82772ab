from django.urls import path

from .views import brands as brand_views
from .views import facts as views
from .views import posts as post_views
from .views import stars as star_views
from .views import weak as weak_views

app_name = "registers"

urlpatterns = [
    path("registers/", views.index, name="index"),
    path("registers/facts/<int:org>/<int:year>/", views.facts, name="facts"),
    path("registers/facts/<int:org>/<int:year>/export.xlsx", views.facts_export, name="facts_export"),
    path("registers/facts/<int:org>/<int:year>/template.xlsx", views.facts_template, name="facts_template"),
    path("registers/facts/<int:org>/<int:year>/import/", views.facts_import, name="facts_import"),
    path("registers/facts/<int:org>/<int:year>/confirm/", views.confirm_all, name="confirm_all"),
    path("registers/facts/<int:org>/<int:year>/sheet/", views.sheet, name="sheet"),
    path("registers/sheets/<int:pk>/confirm/", views.sheet_confirm, name="sheet_confirm"),
    path("registers/sheets/<int:pk>/return/", views.sheet_return, name="sheet_return"),
    path("registers/config/", views.config, name="config"),
    path("registers/config/facts/new/", views.fact_edit, name="fact_new"),
    path("registers/config/facts/<int:pk>/", views.fact_edit, name="fact_edit"),
    path("registers/config/rules/new/", views.rule_edit, name="rule_new"),
    path("registers/config/rules/<int:pk>/", views.rule_edit, name="rule_edit"),
    path("registers/inspections/<int:pk>/claims/", views.claims, name="claims"),
    path("registers/inspections/<int:pk>/claims/<int:participant>/", views.claim_verify, name="claim_verify"),
]

urlpatterns += [
    path("registers/weak/<int:org>/<int:year>/", weak_views.cases, name="weak_list"),
    path("registers/weak/<int:org>/<int:year>/export.xlsx", weak_views.cases_export, name="weak_export"),
    path("registers/weak/<int:org>/<int:year>/template.xlsx", weak_views.cases_template, name="weak_template"),
    path("registers/weak/<int:org>/<int:year>/import/", weak_views.cases_import, name="weak_import"),
    path("registers/weak/<int:org>/<int:year>/new/", weak_views.case_new, name="weak_new"),
    path("registers/weak/cases/<int:pk>/", weak_views.case_detail, name="weak_case"),
    path("registers/weak/cases/<int:pk>/milestones/", weak_views.milestone_add, name="weak_milestone"),
    path("registers/weak/cases/<int:pk>/progress/", weak_views.progress_add, name="weak_progress"),
    path("registers/weak/cases/<int:pk>/accept/", weak_views.case_accept, name="weak_accept"),
    path("registers/weak/evidence/<int:pk>/", weak_views.evidence, name="weak_evidence"),
]

urlpatterns += [
    path("registers/brands/<int:org>/", brand_views.brand_list, name="brands"),
    path("registers/brands/<int:org>/export.xlsx", brand_views.brand_export, name="brand_export"),
    path("registers/brands/<int:org>/template.xlsx", brand_views.brand_template, name="brand_template"),
    path("registers/brands/<int:org>/import/", brand_views.brand_import, name="brand_import"),
    path("registers/brands/<int:org>/new/", brand_views.brand_edit, name="brand_new"),
    path("registers/brands/<int:org>/<int:pk>/edit/", brand_views.brand_edit, name="brand_edit"),
    path("registers/brand/<int:pk>/", brand_views.brand_detail, name="brand"),
    path("registers/brand/<int:pk>/photos/", brand_views.photo_add, name="brand_photo_add"),
    path("registers/brand-photos/<int:pk>/", brand_views.photo, name="brand_photo"),
    path("registers/brand-photos/<int:pk>/delete/", brand_views.photo_delete, name="brand_photo_delete"),
    path("registers/brand/<int:pk>/delete/", brand_views.brand_delete, name="brand_delete"),
]

urlpatterns += [
    path("registers/posts/<int:org>/<int:year>/", post_views.assignment_list, name="posts"),
    path("registers/posts/<int:org>/<int:year>/export.xlsx", post_views.assignment_export, name="post_export"),
    path("registers/posts/<int:org>/<int:year>/template.xlsx", post_views.assignment_template, name="post_template"),
    path("registers/posts/<int:org>/<int:year>/import/", post_views.assignment_import, name="post_import"),
    path("registers/posts/<int:org>/<int:year>/new/", post_views.assignment_edit, name="post_new"),
    path("registers/posts/<int:org>/<int:year>/<int:pk>/", post_views.assignment_edit, name="post_edit"),
    path("registers/posts/<int:org>/<int:year>/<int:pk>/delete/", post_views.assignment_delete, name="post_delete"),
]

urlpatterns += [
    path("registers/star-criteria/<int:pk>/", star_views.star_rules, name="star_rules"),
]

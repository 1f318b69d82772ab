from django.urls import path

from . import views

app_name = "rectification"

urlpatterns = [
    path("problems/", views.problems, name="problems"),
    path("problems/new/", views.problem_create, name="problem_create"),
    path("problems/import/", views.problem_import, name="problem_import"),
    path("problems/template.xlsx", views.problem_template, name="problem_template"),
    path("problems/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("problems/export.docx", views.export_docx, name="export_docx"),
    path("problems/<int:pk>/", views.problem_detail, name="problem"),
    path("problems/<int:pk>/edit/", views.problem_edit, name="problem_edit"),
    path("rectification/<int:pk>/plan/", views.rect_plan, name="plan"),
    path("rectification/<int:pk>/progress/", views.rect_progress, name="progress"),
    path("rectification/<int:pk>/apply/", views.rect_apply, name="apply"),
    path("rectification/<int:pk>/verify/", views.rect_verify, name="verify"),
    path("rectification/<int:pk>/reopen/", views.rect_reopen, name="reopen"),
    path("rectification/evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("rectification/overdue/", views.overdue, name="overdue"),
    path("rectification/reminders/", views.reminders, name="reminders"),
    path("rectification/common/", views.common_list, name="common"),
    path("rectification/common/new/", views.common_create, name="common_create"),
    path("rectification/common/<int:pk>/", views.common_detail, name="common_detail"),
    path("rectification/spot-checks/", views.spot_checks, name="spot_checks"),
    path("rectification/spot-checks/<int:pk>/", views.spot_check_detail, name="spot_check"),
    path("rectification/spot-checks/items/<int:pk>/", views.spot_check_record, name="spot_check_record"),
    path("critiques/", views.critique_campaigns, name="critique_campaigns"),
    path("critiques/campaign/<int:pk>/", views.critique_campaign, name="critique_campaign"),
    path("critiques/campaign/<int:pk>/export.docx", views.critique_campaign_docx, name="critique_campaign_docx"),
    path("critiques/campaign/<int:pk>/carry-over/", views.carry_over, name="carry_over"),
    path("critiques/<int:pk>/", views.critique_edit, name="critique"),
    path("critiques/<int:pk>/save/", views.critique_save, name="critique_save"),
    path("critiques/<int:pk>/export.docx", views.critique_docx, name="critique_docx"),
]

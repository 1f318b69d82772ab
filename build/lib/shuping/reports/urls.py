from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("reports/", views.index, name="list"),
    path("reports/campaign/<int:pk>/", views.campaign, name="campaign"),
    path("reports/campaign/<int:pk>/chain/", views.chain, name="chain"),
    path("reports/campaign/<int:pk>/export.docx", views.export_docx, name="export_docx"),
    path("reports/campaign/<int:pk>/export.pdf", views.export_pdf, name="export_pdf"),
    path("reports/p/<int:pk>/", views.detail, name="detail"),
    path("reports/p/<int:pk>/edit/", views.edit, name="edit"),
    path("reports/p/<int:pk>/upload/", views.upload, name="upload"),
    path("reports/p/<int:pk>/submit/", views.submit, name="submit"),
    path("reports/p/<int:pk>/review/", views.review, name="review"),
    path("reports/p/<int:pk>/v/<int:number>/", views.version, name="version"),
    path("reports/p/<int:pk>/diff/", views.diff, name="diff"),
]

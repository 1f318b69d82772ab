from django.urls import path

from . import views

app_name = "jobs"

urlpatterns = [
    path("jobs/", views.index, name="list"),
    path("jobs/<uuid:pk>/", views.detail, name="detail"),
    path("jobs/<uuid:pk>/status/", views.status, name="status"),
    path("jobs/<uuid:pk>/download/", views.download, name="download"),
]

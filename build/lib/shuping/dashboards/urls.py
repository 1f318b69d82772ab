from django.urls import path

from . import views

app_name = "dashboards"

urlpatterns = [
    path("dashboards/", views.index, name="index"),
    path("dashboards/subordinates/", views.subordinates, name="subordinates"),
    path("dashboards/subordinates.xlsx", views.subordinates_export, name="subordinates_export"),
    path("dashboards/linkage/<int:pk>/", views.linkage, name="linkage"),
    path("dashboards/linkage/<int:pk>/apply/", views.linkage_apply, name="linkage_apply"),
    path("dashboards/<slug:key>/", views.dashboard, name="view"),
    path("dashboards/<slug:key>.xlsx", views.export, name="export"),
]

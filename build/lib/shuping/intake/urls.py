from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("public/<str:code>/", views.submit, name="submit"),
    path("public/<str:code>/lookup/", views.lookup, name="lookup"),
    path("intake/", views.queue, name="queue"),
    path("intake/poster/<int:pk>/", views.poster, name="poster"),
    path("intake/<int:pk>/moderate/", views.moderate, name="moderate"),
]

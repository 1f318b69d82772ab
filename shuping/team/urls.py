from django.urls import path

from . import views

app_name = "team"

urlpatterns = [
    path("team/orgs/<int:pk>/members/", views.member_save, name="member_save"),
    path("team/members/<int:pk>/remove/", views.member_remove, name="member_remove"),
    path("team/problems/<int:pk>/", views.problem_members, name="problem"),
    path("team/campaigns/<int:pk>/written/", views.written, name="written"),
    path("team/critiques/<int:pk>/", views.critique_members, name="critique"),
]

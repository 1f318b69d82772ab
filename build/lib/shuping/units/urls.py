from django.urls import path

from . import views

app_name = "units"

urlpatterns = [
    path("unit/", views.home, name="home"),
    path("unit/problems/new/", views.problem_new, name="problem_new"),
    path("unit/problems/<int:pk>/claim/", views.claim, name="claim"),
    path("unit/rectification/<int:pk>/plan/", views.plan, name="plan"),
    path("unit/responsibility/<int:pk>/", views.responsibility, name="responsibility"),
    path("unit/responsibility-updates/<int:pk>/evidence/", views.update_evidence, name="update_evidence"),
    path("unit/quarterly/", views.quarterly, name="quarterly"),
    path("unit/quarterly/<int:pk>/", views.quarterly_detail, name="quarterly_detail"),
    path("unit-review/", views.review, name="review"),
    path("unit-review/plans/<int:pk>/", views.plan_review, name="plan_review"),
    path("unit-review/responsibility-updates/<int:pk>/", views.update_decide, name="update_decide"),
    path("unit-review/quarterly/", views.quarterly_overview, name="quarterly_overview"),
    path("unit-review/quarterly/<int:pk>/pick/", views.quarterly_pick, name="quarterly_pick"),
    path("unit-review/circulars/<int:pk>/draw/", views.circular_draw, name="circular_draw"),
]

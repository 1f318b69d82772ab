from django.urls import path

from . import views

app_name = "stars"

urlpatterns = [
    path("stars/", views.rating_list, name="list"),
    path("stars/export.xlsx", views.rating_export, name="export"),
    path("stars/criteria/", views.criteria_list, name="criteria_list"),
    path("stars/criteria/<int:pk>/", views.criteria_edit, name="criteria"),
    path("stars/criteria/<int:pk>/open/", views.criteria_open, name="criteria_open"),
    path("stars/<int:pk>/", views.rating_detail, name="detail"),
    path("stars/<int:pk>/self/", views.rating_self_assess, name="self_assess"),
    path("stars/<int:pk>/return/", views.rating_return, name="return"),
    path("stars/<int:pk>/assess/", views.rating_assess, name="assess"),
    path("stars/<int:pk>/publicise/", views.rating_publicise, name="publicise"),
    path("stars/<int:pk>/objection/", views.rating_objection, name="objection"),
    path("stars/<int:pk>/approve/", views.rating_approve, name="approve"),
]

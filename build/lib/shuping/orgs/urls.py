from django.urls import path

from . import views

app_name = "orgs"

urlpatterns = [
    path("orgs/", views.tree, name="tree"),
    path("orgs/search/", views.search, name="search"),
    path("orgs/new/", views.create, name="create"),
    path("orgs/import/", views.import_xlsx, name="import"),
    path("orgs/export.xlsx", views.export_xlsx, name="export"),
    path("orgs/template.xlsx", views.template_xlsx, name="template"),
    path("orgs/<int:pk>/", views.detail, name="detail"),
    path("orgs/<int:pk>/children/", views.children, name="children"),
    path("orgs/<int:pk>/edit/", views.edit, name="edit"),
    path("orgs/<int:pk>/move/", views.move, name="move"),
    path("people/", views.people, name="people"),
    path("people/new/", views.person_edit, name="person_create"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
]

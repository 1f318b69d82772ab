from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("messages/", views.notification_list, name="list"),
    path("messages/<int:pk>/open/", views.notification_open, name="open"),
    path("messages/read-all/", views.mark_all_read, name="read_all"),
    path("messages/contact/", views.contact, name="contact"),
]

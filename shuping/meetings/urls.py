from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    # the phones' pages first (the busiest during a meeting)
    path("m/", views.start, name="start"),
    path("m/k/<str:token>/", views.card_open, name="card_open"),
    path("m/b/", views.ballot, name="ballot"),
    path("m/b/<int:participant_pk>/", views.ballot_participant, name="ballot_participant"),
    path("meetings/", views.meeting_list, name="list"),
    path("meetings/new/<int:campaign_pk>/", views.meeting_create, name="create"),
    path("meetings/<int:pk>/", views.meeting_detail, name="detail"),
    path("meetings/<int:pk>/edit/", views.meeting_edit, name="edit"),
    path("meetings/<int:pk>/agenda/", views.meeting_agenda, name="agenda"),
    path("meetings/<int:pk>/action/", views.meeting_action, name="action"),
    path("meetings/<int:pk>/credentials/", views.credential_list, name="credentials"),
    path("meetings/<int:pk>/credentials/issue/", views.credential_issue, name="issue"),
    path("meetings/<int:pk>/credentials/<int:credential_pk>/reissue/", views.credential_reissue, name="reissue"),
    path("meetings/<int:pk>/credentials/void/<int:group_pk>/", views.group_round_void, name="group_void"),
    path("meetings/<int:pk>/board/", views.board, name="board"),
    path("meetings/<int:pk>/board/live/", views.board_live, name="board_live"),
    path("meetings/<int:pk>/paper/", views.paper_list, name="paper"),
    path("meetings/<int:pk>/paper/issue/", views.paper_issue, name="paper_issue"),
    path("meetings/<int:pk>/paper/print/", views.paper_print, name="paper_print"),
    path("meetings/<int:pk>/paper/<str:form_id>/", views.paper_enter, name="paper_enter"),
    path("meetings/<int:pk>/paper/<str:form_id>/resolve/", views.paper_resolve, name="paper_resolve"),
]

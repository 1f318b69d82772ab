from django.urls import path

from . import views

app_name = "levels"

urlpatterns = [
    path("levels/", views.plan_list, name="plans"),
    path("levels/new/", views.plan_create, name="plan_create"),
    path("levels/<int:pk>/", views.plan_detail, name="plan"),
    path("levels/node/<int:pk>/", views.node_detail, name="node"),
    path("levels/node/<int:pk>/children/", views.node_create, name="node_create"),
    path("levels/node/<int:pk>/attach/", views.node_attach, name="node_attach"),
    path("levels/node/<int:pk>/adjust/", views.node_adjust, name="node_adjust"),
    path("levels/node/<int:pk>/joint/", views.joint_apply, name="joint_apply"),
    path("levels/node/<int:pk>/delegate/", views.delegation_appoint, name="delegation_appoint"),
    path("levels/speech/<int:pk>/", views.speech, name="speech"),
    path("levels/speech/<int:pk>.docx", views.speech_docx, name="speech_docx"),
    path("levels/delegation/<int:pk>/", views.delegation_detail, name="delegation"),
    path("levels/delegation/<int:pk>/card/", views.delegation_card, name="delegation_card"),
    path("levels/delegation/<int:pk>/board/", views.delegation_board, name="delegation_board"),
    path("levels/delegation/<int:pk>/board/live/", views.delegation_board_live, name="delegation_board_live"),
    path("levels/delegation/<int:pk>/level/", views.delegation_level, name="delegation_level"),
    path("levels/delegation/<int:pk>/<int:participant_pk>/", views.delegation_critique, name="delegation_critique"),
    path("levels/delegation/<int:pk>.docx", views.delegation_docx, name="delegation_docx"),
]

from django.urls import path

from . import views

app_name = "uses"

urlpatterns = [
    path("uses/rules/", views.rules, name="rules"),
    path("uses/rules/<int:pk>/toggle/", views.rule_toggle, name="rule_toggle"),
    path("uses/campaigns/<int:pk>/", views.campaign_uses, name="campaign"),
    path("uses/campaigns/<int:pk>.xlsx", views.export, name="export"),
    path("uses/proposals/<int:pk>/decide/", views.decide, name="decide"),
]

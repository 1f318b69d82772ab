from django.contrib.auth import views as auth_views
from django.urls import include, path

from shuping.accounts.decorators import public
from shuping.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", public(auth_views.LoginView.as_view()), name="login"),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("", include("shuping.orgs.urls")),
    path("", include("shuping.accounts.urls")),
    path("", include("shuping.audit.urls")),
    path("", include("shuping.campaigns.urls")),
    path("", include("shuping.meetings.urls")),
    path("", include("shuping.reports.urls")),
    path("", include("shuping.rectification.urls")),
]

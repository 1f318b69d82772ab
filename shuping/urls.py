from django.contrib.auth import views as auth_views
from django.urls import include, path

from shuping.accounts import auth_views as account_views
from shuping.accounts.decorators import public
from shuping.core import views as core_views
from shuping.workbench import views as workbench_views

urlpatterns = [
    path("", workbench_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("login/", account_views.login_view, name="login"),
    path("login/totp/", account_views.login_totp, name="login_totp"),
    path("logout/", public(auth_views.LogoutView.as_view()), name="logout"),
    path("account/password/", account_views.password_change, name="password_change"),
    path("account/totp/", account_views.totp_setup, name="totp_setup"),
    # first: the phones' ballot pages are the busiest URLs during a meeting, and resolving tries in order
    path("", include("shuping.meetings.urls")),
    path("", include("shuping.orgs.urls")),
    path("", include("shuping.accounts.urls")),
    path("", include("shuping.audit.urls")),
    path("", include("shuping.campaigns.urls")),
    path("", include("shuping.reports.urls")),
    path("", include("shuping.rectification.urls")),
    path("", include("shuping.routine.urls")),
    path("", include("shuping.stars.urls")),
    path("", include("shuping.dashboards.urls")),
    path("", include("shuping.registers.urls")),
    path("", include("shuping.jobs.urls")),
    path("", include("shuping.levels.urls")),
    path("", include("shuping.uses.urls")),
    path("", include("shuping.team.urls")),
    path("", include("shuping.units.urls")),
    path("", include("shuping.notifications.urls")),
    path("", include("shuping.intake.urls")),
]

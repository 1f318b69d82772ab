from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from shuping.clock import now
from shuping.core.middleware import SkippedOnBallotPages

from .scope import UserScope
from .security import must_change_password, security_for


class ScopeMiddleware(SkippedOnBallotPages):
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: UserScope(request.user))
        return self.get_response(request)


EXEMPT_PREFIXES = ("/static/", "/login/", "/logout/", "/account/password/", "/account/totp/", "/healthz")
# `last_seen` is refreshed at most this often: a fresh value on every request would make every
# page (the big screen's live poll included) end with a session write and, on SQLite, the write lock.
LAST_SEEN_RESOLUTION_SECONDS = 60


class AccountPolicyMiddleware(SkippedOnBallotPages):
    """Idle timeout, forced password change and the admins' second factor, for every page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response = self._enforce(request, user)
            if response is not None:
                return response
        return self.get_response(request)

    def _enforce(self, request, user):
        moment = now()
        last_seen = request.session.get("last_seen")
        idle_limit = settings.SHUPING_IDLE_TIMEOUT_MINUTES * 60
        if last_seen and idle_limit and (moment - datetime.fromisoformat(last_seen)).total_seconds() > idle_limit:
            logout(request)
            messages.info(request, f"超过 {settings.SHUPING_IDLE_TIMEOUT_MINUTES} 分钟未操作，已自动退出，请重新登录")
            return redirect_to_login(request.get_full_path())
        if not last_seen or (moment - datetime.fromisoformat(last_seen)).total_seconds() >= LAST_SEEN_RESOLUTION_SECONDS:
            request.session["last_seen"] = moment.isoformat()
        if request.path.startswith(EXEMPT_PREFIXES):
            return None
        if must_change_password(user):
            messages.warning(request, "请先修改密码（初始密码、演示密码或已过期的密码不能继续使用）")
            return redirect(reverse("password_change"))
        if (
            settings.SHUPING_REQUIRE_TOTP_FOR_ADMINS
            and request.scope.has("user.manage")
            and not security_for(user).totp_enabled
        ):
            messages.warning(request, "管理员须先启用双因素认证（动态口令）")
            return redirect(reverse("totp_setup"))
        return None

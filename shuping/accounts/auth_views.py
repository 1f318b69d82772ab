"""Sign-in with lock-out and an optional second factor; password change; TOTP enrolment."""

import base64
import io

import qrcode
import qrcode.image.svg
from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate, get_user_model, login
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from shuping.audit.services import log_action

from . import security
from .decorators import public, requires
from .models import FailureKind

PENDING_SESSION_KEY = "pending_second_factor_user"


def _safe_next(request, fallback="home"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


@public
@require_http_methods(["GET", "POST"])
def login_view(request):
    error = ""
    username = ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()
        password = request.POST.get("password", "")
        address = security.client_address(request)
        attempt = security.attempt_begin(username, address)
        error = attempt.refused
        if not error:
            user = authenticate(request, username=username, password=password)
            if user is None:
                log_action("auth.login_failed", actor=None, label=username[:150], after={"address": address})
                error = security.lockout_reason(username, address) or "用户名或密码不正确"
            else:
                security.attempt_succeeded(attempt)
                if security.security_for(user).totp_enabled:
                    request.session[PENDING_SESSION_KEY] = user.pk
                    request.session["pending_next"] = _safe_next(request, "")
                    return redirect("login_totp")
                login(request, user)
                log_action("auth.login", actor=user, obj=user, after={"address": address})
                return redirect(_safe_next(request))
    return render(request, "registration/login.html", {"error": error, "username": username,
                                                       "next": request.GET.get("next", request.POST.get("next", ""))})


class CodeForm(forms.Form):
    code = forms.CharField(label="动态口令（6 位数字）", max_length=8,
                           widget=forms.TextInput(attrs={"class": "form-control", "inputmode": "numeric",
                                                         "autocomplete": "one-time-code"}))


@public
@require_http_methods(["GET", "POST"])
def login_totp(request):
    user_id = request.session.get(PENDING_SESSION_KEY)
    if not user_id:
        return redirect("login")
    user = get_user_model().objects.get(pk=user_id)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        address = security.client_address(request)
        attempt = security.attempt_begin(user.get_username(), address, FailureKind.SECOND_FACTOR)
        if attempt.refused:
            form.add_error("code", attempt.refused)
        elif security.totp_verify(security.security_for(user), form.cleaned_data["code"]):
            security.attempt_succeeded(attempt)
            target = request.session.get("pending_next") or "home"
            del request.session[PENDING_SESSION_KEY]
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            log_action("auth.login", actor=user, obj=user, after={"address": address, "second_factor": True})
            return redirect(target)
        else:
            log_action("auth.totp_failed", actor=None, obj=user, after={"address": address})
            form.add_error("code", security.lockout_reason(user.get_username(), address) or "动态口令不正确或已使用")
    return render(request, "accounts/login_totp.html", {"form": form})


class ChineseSetPasswordForm(SetPasswordForm):
    old_password = forms.CharField(label="当前密码", widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    field_order = ["old_password", "new_password1", "new_password2"]

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        self.fields["new_password1"].label = "新密码"
        self.fields["new_password2"].label = "再次输入新密码"
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-control"

    def clean_old_password(self):
        if not self.user.check_password(self.cleaned_data["old_password"]):
            raise ValidationError("当前密码不正确")
        return self.cleaned_data["old_password"]

    def clean(self):
        data = super().clean()
        new = data.get("new_password1")
        if new and self.user.check_password(new):
            self.add_error("new_password1", "新密码不能与当前密码相同")
        return data

    def save(self, commit=True):
        security.password_set(user=self.user, password=self.cleaned_data["new_password1"], validate=False)
        return self.user


@requires(None)
@require_http_methods(["GET", "POST"])
def password_change(request):
    form = ChineseSetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        from django.contrib.auth import update_session_auth_hash

        update_session_auth_hash(request, request.user)
        log_action("auth.password_change", actor=request.user, obj=request.user)
        messages.success(request, "密码已修改")
        return redirect("home")
    return render(request, "accounts/password_change.html", {"form": form})


def _qr_svg(data: str) -> str:
    image = qrcode.make(data, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


@requires(None)
@require_http_methods(["GET", "POST"])
def totp_setup(request):
    account = security.security_for(request.user)
    if request.method == "POST" and request.POST.get("action") == "disable":
        form = CodeForm(request.POST)
        if form.is_valid() and security.totp_verify(account, form.cleaned_data["code"]):
            account.totp_enabled = False
            account.totp_secret = ""
            account.save(update_fields=["totp_enabled", "totp_secret"])
            log_action("auth.totp_disable", actor=request.user, obj=request.user)
            messages.success(request, "已停用双因素认证")
            return redirect("home")
        messages.error(request, "动态口令不正确，未停用")
        return redirect("totp_setup")
    if not account.totp_enabled and not request.session.get("totp_candidate"):
        request.session["totp_candidate"] = security.totp_new_secret()
    secret = request.session.get("totp_candidate", "")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and not account.totp_enabled and form.is_valid():
        account.totp_secret = secret
        if security.totp_verify(account, form.cleaned_data["code"]):
            account.totp_enabled = True
            account.save(update_fields=["totp_secret", "totp_enabled"])
            del request.session["totp_candidate"]
            log_action("auth.totp_enable", actor=request.user, obj=request.user)
            messages.success(request, "已启用双因素认证，今后登录需输入动态口令")
            return redirect("home")
        form.add_error("code", "动态口令不正确，请核对手机时间后重试")
    context = {"account": account, "form": form, "secret": secret,
               "qr": _qr_svg(security.totp_uri(request.user, secret)) if secret and not account.totp_enabled else ""}
    return render(request, "accounts/totp_setup.html", context)

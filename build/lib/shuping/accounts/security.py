"""Account rules for 等级保护 level 3: complexity, expiry, lock-out, idle timeout, TOTP.

Every number comes from settings (environment variables) with the defaults in settings.py.
"""

import base64
import hashlib
import hmac
import secrets
import struct
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import get_default_password_validators
from django.core.exceptions import ValidationError
from django.db import transaction

from shuping.clock import now

from .models import AccountSecurity, LoginFailure


class ComplexityValidator:
    """At least `classes` of: lower case, upper case, digits, other characters."""

    def __init__(self, classes: int = 3):
        self.classes = classes

    def validate(self, password, user=None):
        found = sum(
            [
                any(c.islower() for c in password),
                any(c.isupper() for c in password),
                any(c.isdigit() for c in password),
                any(not c.isalnum() for c in password),
            ]
        )
        if found < self.classes:
            raise ValidationError(
                f"密码须至少包含大写字母、小写字母、数字、符号中的 {self.classes} 类", code="password_too_simple"
            )

    def get_help_text(self):
        return f"至少包含大写字母、小写字母、数字、符号中的 {self.classes} 类"


def security_for(user) -> AccountSecurity:
    security, _ = AccountSecurity.objects.get_or_create(user=user)
    return security


def password_expired(user) -> bool:
    days = settings.SHUPING_PASSWORD_MAX_AGE_DAYS
    if not days:
        return False
    security = security_for(user)
    changed = security.password_changed_at or user.date_joined
    return now() - changed > timedelta(days=days)


def must_change_password(user) -> bool:
    if settings.DEMO_MODE:
        return False
    security = security_for(user)
    return security.must_change_password or password_expired(user)


@transaction.atomic
def password_set(*, user, password: str, validate: bool = True) -> None:
    if validate:
        from django.contrib.auth.password_validation import validate_password

        validate_password(password, user, get_default_password_validators())
    user.set_password(password)
    user.save(update_fields=["password"])
    security = security_for(user)
    security.password_changed_at = now()
    security.must_change_password = False
    security.save(update_fields=["password_changed_at", "must_change_password"])


# ---- lock-out -----------------------------------------------------------------------------


def _window_start():
    return now() - timedelta(minutes=settings.SHUPING_LOCKOUT_MINUTES)


def lockout_reason(username: str, address: str | None) -> str | None:
    """A Chinese explanation when sign-in is currently refused, else None."""
    since = _window_start()
    if username and LoginFailure.objects.filter(username=username.lower(), at__gte=since).count() >= settings.SHUPING_LOCKOUT_ACCOUNT_FAILURES:
        return f"该账号连续登录失败次数过多，已锁定 {settings.SHUPING_LOCKOUT_MINUTES} 分钟，请稍后再试或联系管理员"
    if address and LoginFailure.objects.filter(address=address, at__gte=since).count() >= settings.SHUPING_LOCKOUT_ADDRESS_FAILURES:
        return f"该地址登录失败次数过多，已锁定 {settings.SHUPING_LOCKOUT_MINUTES} 分钟"
    return None


def record_failure(username: str, address: str | None) -> None:
    LoginFailure.objects.create(username=(username or "").lower()[:150], address=address, at=now())


def clear_failures(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()


def client_address(request) -> str | None:
    # Behind the reverse proxy the real address arrives in X-Forwarded-For (first hop),
    # but only when the deployment says the proxy is trusted.
    if settings.SHUPING_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip() or None
    return request.META.get("REMOTE_ADDR") or None


# ---- TOTP (RFC 6238, 30 s steps, 6 digits, SHA-1 as authenticator apps expect) -------------

TOTP_STEP = 30


def totp_new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode("ascii").rstrip("=")


def _hotp(secret: str, counter: int) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def totp_code(secret: str, at=None) -> str:
    moment = at or now()
    return _hotp(secret, int(moment.timestamp()) // TOTP_STEP)


def totp_verify(security: AccountSecurity, code: str) -> bool:
    """Accept the current step or one step either side; each step only once (no replay)."""
    code = (code or "").strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6 and security.totp_secret):
        return False
    current = int(now().timestamp()) // TOTP_STEP
    for step in (current - 1, current, current + 1):
        if step > security.totp_last_step and hmac.compare_digest(_hotp(security.totp_secret, step), code):
            security.totp_last_step = step
            security.save(update_fields=["totp_last_step"])
            return True
    return False


def totp_uri(user, secret: str) -> str:
    from urllib.parse import quote

    label = quote(f"述评:{user.get_username()}")
    return f"otpauth://totp/{label}?secret={secret}&issuer={quote('述评')}&digits=6&period={TOTP_STEP}"

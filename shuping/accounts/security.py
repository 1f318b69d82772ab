"""Account rules for 等级保护 level 3: complexity, expiry, lock-out, idle timeout, TOTP.

Every number comes from settings (environment variables) with the defaults in settings.py.
"""

import base64
import hashlib
import hmac
import ipaddress
import secrets
import struct
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import get_default_password_validators
from django.core.exceptions import ValidationError
from django.db import transaction

from shuping.clock import now

from .models import AccountSecurity, FailureKind, LoginFailure


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


def _locked_message(username: str, address: str | None, exclude_pk: int | None = None) -> str | None:
    since = _window_start()
    recent = LoginFailure.objects.filter(at__gte=since)
    if exclude_pk is not None:
        recent = recent.exclude(pk=exclude_pk)
    minutes = settings.SHUPING_LOCKOUT_MINUTES
    if username:
        mine = recent.filter(username=username.lower()[:150])
        if (
            mine.filter(kind=FailureKind.PASSWORD).count() >= settings.SHUPING_LOCKOUT_ACCOUNT_FAILURES
            or mine.filter(kind=FailureKind.SECOND_FACTOR).count() >= settings.SHUPING_LOCKOUT_TOTP_FAILURES
        ):
            return f"该账号连续登录失败次数过多，已锁定 {minutes} 分钟，请稍后再试或联系管理员"
    if address and recent.filter(address=address).count() >= settings.SHUPING_LOCKOUT_ADDRESS_FAILURES:
        return f"该地址登录失败次数过多，已锁定 {minutes} 分钟"
    return None


def lockout_reason(username: str, address: str | None) -> str | None:
    """A Chinese explanation when sign-in is currently refused, else None (read only)."""
    return _locked_message(username, address)


@dataclass
class Attempt:
    """One reserved sign-in attempt (see `attempt_begin`)."""

    username: str
    address: str | None
    kind: str
    row: LoginFailure | None = None
    refused: str | None = None


def attempt_begin(username: str, address: str | None, kind: str = FailureKind.PASSWORD) -> Attempt:
    """Reserve an attempt before any password or code is checked.

    The attempt is written as a failure first and the limit is counted afterwards, so the
    count-and-check is atomic without a lock: of N parallel attempts, the one that counts last
    sees every other attempt that went ahead, so at most `limit` of them get to check a
    password (check-then-record let 30 parallel guesses through a limit of 5)."""
    attempt = Attempt(username=(username or "").lower()[:150], address=address, kind=kind)
    # On failure the reserved row simply stays: it is the recorded failure.
    attempt.row = LoginFailure.objects.create(username=attempt.username, address=address, kind=kind, at=now())
    attempt.refused = _locked_message(attempt.username, address, exclude_pk=attempt.row.pk)
    if attempt.refused:
        # A refused attempt checked nothing; it does not count as another failure.
        LoginFailure.objects.filter(pk=attempt.row.pk).delete()
        attempt.row = None
    return attempt


def attempt_succeeded(attempt: Attempt) -> None:
    """Drop the reservation and the failures of this kind; a correct password never clears
    second-factor failures, only a correct second factor does."""
    LoginFailure.objects.filter(username=attempt.username, kind=attempt.kind).delete()


def client_address(request) -> str | None:
    """The client's address: REMOTE_ADDR, or behind trusted reverse proxies the
    X-Forwarded-For entry appended by the outermost trusted proxy.

    Each proxy appends the address it received the connection from, so with N trusted
    proxies the Nth entry from the right is the client as the first proxy saw it; entries
    further left were written by the client and prove nothing."""
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = settings.SHUPING_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    entries = [item.strip() for item in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if item.strip()]
    if not entries:
        return remote
    # Fewer entries than proxies: every entry was written by a trusted proxy; take the outermost.
    candidate = entries[-proxies] if len(entries) >= proxies else entries[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return remote


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

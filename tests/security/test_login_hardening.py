"""Issue 12 items 1, 2 and 10: second-factor brute force, the lock-out race, forwarded addresses."""

import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth import authenticate as real_authenticate
from django.db import connection, connections
from django.test import Client, RequestFactory
from freezegun import freeze_time

from shuping.accounts import auth_views, security
from shuping.accounts.models import LoginFailure
from shuping.audit.models import AuditEntry

from ..builders import PASSWORD, make_user

START = "2026-11-01 09:00:00"


def _login(client, username, password=PASSWORD, **extra):
    extra.setdefault("REMOTE_ADDR", "10.1.1.1")
    return client.post("/login/", {"username": username, "password": password}, **extra)


def _wrong_code(secret):
    valid = {security.totp_code(secret, security.now() + timedelta(seconds=s)) for s in (-30, 0, 30)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in valid)


def _enrol_totp(user):
    account = security.security_for(user)
    account.totp_secret = security.totp_new_secret()
    account.totp_enabled = True
    account.save()
    return account.totp_secret


# ---- item 1: TOTP brute force ----------------------------------------------------------------


@pytest.mark.django_db
def test_correct_password_does_not_reset_second_factor_failures(client):
    user = make_user("henry")
    secret = _enrol_totp(user)
    with freeze_time(START):
        wrong = _wrong_code(secret)
        # {password, 4 wrong codes} × 4: sixteen guesses if a correct password reset the count.
        for _ in range(4):
            _login(client, "henry")
            for _ in range(4):
                client.post("/login/totp/", {"code": wrong})
        _login(client, "henry")
        response = client.post("/login/totp/", {"code": security.totp_code(secret)})
        assert response.status_code == 200 and "已锁定" in response.content.decode()
        assert client.get("/").status_code == 302  # not signed in
        # Every wrong code that was actually checked is audited: five, then the lock holds.
        assert AuditEntry.objects.filter(action="auth.totp_failed", object_id=str(user.pk)).count() == 5


@pytest.mark.django_db
def test_second_factor_lock_expires_and_the_right_code_then_works(client):
    user = make_user("iris")
    secret = _enrol_totp(user)
    with freeze_time(START) as frozen:
        wrong = _wrong_code(secret)
        _login(client, "iris")
        for _ in range(5):
            client.post("/login/totp/", {"code": wrong})
        assert "已锁定" in _login(client, "iris").content.decode()
        frozen.tick(timedelta(minutes=16))
        assert _login(client, "iris")["Location"] == "/login/totp/"
        assert client.post("/login/totp/", {"code": security.totp_code(secret)}).status_code == 302


# ---- item 2: lock-out race -------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL for real parallel writers")
@pytest.mark.django_db(transaction=True)
def test_parallel_wrong_logins_check_at_most_the_limit_of_passwords(monkeypatch):
    make_user("target")
    checked = []
    lock = threading.Lock()

    def slow_authenticate(request, **credentials):
        # A slow hash (Argon2 in production) widens the window between check and record.
        with lock:
            checked.append(credentials["username"])
        time.sleep(0.3)
        return real_authenticate(request, **credentials)

    monkeypatch.setattr(auth_views, "authenticate", slow_authenticate)
    barrier = threading.Barrier(30)
    errors = []

    def worker(i):
        try:
            barrier.wait()
            _login(Client(), "target", "wrong-guess", REMOTE_ADDR=f"10.2.0.{i + 1}")
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(checked) <= 5, f"{len(checked)} passwords checked against a limit of 5"
    # Every checked (wrong) password left exactly one failure; refused attempts left none.
    assert LoginFailure.objects.filter(username="target").count() == len(checked)


# ---- item 10: forwarded addresses ------------------------------------------------------------


def _address(settings, forwarded, proxies, remote="192.168.0.5"):
    settings.SHUPING_TRUST_X_FORWARDED_FOR = proxies > 0
    settings.SHUPING_TRUSTED_PROXIES = proxies
    request = RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)
    return security.client_address(request)


def test_only_the_entry_appended_by_the_trusted_proxy_is_believed(settings):
    # The client sent "X-Forwarded-For: 6.6.6.6"; nginx appended the address it saw.
    assert _address(settings, "6.6.6.6, 10.0.0.7", proxies=1) == "10.0.0.7"
    # Two proxies (load balancer → nginx): the second entry from the right.
    assert _address(settings, "6.6.6.6, 10.0.0.7, 192.168.0.9", proxies=2) == "10.0.0.7"
    # No trusted proxy: the header is ignored.
    assert _address(settings, "6.6.6.6", proxies=0) == "192.168.0.5"
    # Garbage in the trusted position falls back to the connection's address.
    assert _address(settings, "6.6.6.6, not-an-ip", proxies=1) == "192.168.0.5"


@pytest.mark.django_db
def test_spoofed_forwarded_entries_do_not_escape_the_address_lock_out(client, settings):
    settings.SHUPING_TRUST_X_FORWARDED_FOR = True
    settings.SHUPING_TRUSTED_PROXIES = 1
    settings.SHUPING_LOCKOUT_ADDRESS_FAILURES = 6
    make_user("bob")
    with freeze_time(START):
        for i in range(6):
            _login(client, f"guess{i}", "wrong", REMOTE_ADDR="192.168.0.5",
                   HTTP_X_FORWARDED_FOR=f"7.7.7.{i}, 10.0.0.7")
        response = _login(client, "bob", REMOTE_ADDR="192.168.0.5", HTTP_X_FORWARDED_FOR="8.8.8.8, 10.0.0.7")
        assert "该地址" in response.content.decode()

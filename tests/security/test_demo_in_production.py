"""Issue 12 item 6: no demo data or demo accounts under production settings."""

import importlib
import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.checks import run_checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command

from shuping.accounts.checks import refuse_start_with_demo_accounts
from shuping.accounts.services import demo_usernames, user_create
from shuping.core.demo import DEMO_PASSWORD, DemoRefused, build_demo

ROOT = Path(__file__).resolve().parents[2]


def test_demo_command_refuses_to_seed_under_production_settings(tmp_path):
    env = {**os.environ, "SHUPING_PRODUCTION": "1", "SHUPING_SECRET_KEY": secrets.token_urlsafe(60),
           "SHUPING_ALLOWED_HOSTS": "shuping.example.gov.cn", "SHUPING_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "shuping.cli", "demo", "--no-serve"], env=env,
                            capture_output=True, text=True, cwd=ROOT, timeout=600)
    assert result.returncode != 0
    assert "生产模式" in result.stderr
    database = tmp_path / "shuping.sqlite3"
    if database.exists():
        with sqlite3.connect(database) as connection:
            tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if "auth_user" in tables:
                assert connection.execute("SELECT COUNT(*) FROM auth_user").fetchone()[0] == 0


@pytest.mark.django_db
def test_demo_builder_refuses_under_production_settings(settings):
    settings.PRODUCTION = True
    with pytest.raises(DemoRefused):
        build_demo()
    with pytest.raises(CommandError, match="生产模式"):
        call_command("demo", no_serve=True)
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.exists()


def _demo_errors():
    return [m for m in run_checks(include_deployment_checks=True) if m.id == "shuping.E001"]


@pytest.mark.django_db
def test_production_refuses_to_start_while_demo_accounts_exist(settings, client):
    user_create(actor="演示数据", username="admin", full_name="演示管理员", password=DEMO_PASSWORD,
                validate=False, demo=True)
    user_create(actor=None, username="real", full_name="真实用户", password="Real-pass-2026", validate=False)
    assert demo_usernames() == ["admin"]
    settings.PRODUCTION = False
    refuse_start_with_demo_accounts()  # a laptop demo is fine
    assert _demo_errors() == []

    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="演示账号"):
        refuse_start_with_demo_accounts()
    sys.modules.pop("shuping.wsgi", None)
    with pytest.raises(ImproperlyConfigured, match="admin"):
        importlib.import_module("shuping.wsgi")
    assert len(_demo_errors()) == 1

    call_command("demo_accounts_disable")
    refuse_start_with_demo_accounts()
    assert _demo_errors() == []
    settings.PRODUCTION = False
    response = client.post("/login/", {"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 200  # the published password no longer signs in

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.django_db
def test_pages_carry_the_content_security_policy(client, tree, role_users):
    client.force_login(role_users["admin"])
    response = client.get("/orgs/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cache-Control"] == "no-store"


INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=\s*[\"']", re.I)


def test_no_template_contains_inline_script_or_event_handlers():
    offenders = []
    for path in (ROOT / "shuping").rglob("templates/**/*.html"):
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or INLINE_HANDLER.search(text) or "hx-on" in text:
            offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "SHUPING_PRODUCTION": "1",
        "SHUPING_SECRET_KEY": secrets.token_urlsafe(60),
        "SHUPING_ALLOWED_HOSTS": "shuping.example.gov.cn",
        "SHUPING_DATA_DIR": str(tmp_path),
    }
    env.pop("SHUPING_DEBUG", None)
    result = subprocess.run(
        [sys.executable, "-m", "shuping.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, cwd=ROOT, timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr

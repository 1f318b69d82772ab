"""Every named URL as every role (the permission-matrix rows of every app): what the page shows
is Chinese, carries no raw state code or Python repr, never a 500; errors use the Chinese
403/404 templates. (Hostile parameters are another crawl's business.)"""

import importlib
from pathlib import Path

import pytest
from django.urls import reverse

from ..permissions import ROLES, visiting_as
from .visible import data_words, english_words, page_text, reprs

pytestmark = pytest.mark.heavy  # joins the long PostgreSQL pass (scripts/test)

TESTS = Path(__file__).resolve().parents[1]
APPS = sorted(p.parent.name for p in TESTS.glob("*/test_permission_matrix.py"))


NAMES = {"admin": "王建国", "reviewer": "李审核", "reporter": "张述职", "evaluator": "赵评议", "leader": "钱书记",
         "inspector": "孙督查", "outsider": "周外县", "nobody": "吴无权"}


def _chinese_names(role_users):
    """Test users are named after their role; people in a county have Chinese names."""
    for role, user in role_users.items():
        user.first_name = NAMES.get(role, "郑某")
        user.save(update_fields=["first_name"])


def _module(app):
    return importlib.import_module(f"tests.{app}.test_permission_matrix")


def _check_page(response, where: str, problems: list[str], known: set[str]) -> None:
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code}")
        return
    if "text/html" not in response.get("Content-Type", "") or response.streaming:
        return
    text = page_text(response.content.decode())
    if english := english_words(text, known):
        problems.append(f"{where}: English {english}")
    if raw := reprs(text):
        problems.append(f"{where}: raw {raw}")
    if response.status_code == 404 and "页面不存在" not in text:
        problems.append(f"{where}: 404 without the Chinese page")
    if response.status_code == 403 and "没有权限" not in text and "测评" not in text:
        problems.append(f"{where}: 403 without the Chinese page")


@pytest.mark.parametrize("app", APPS)
def test_every_page_reads_as_chinese(client, tree, role_users, monkeypatch, settings, app):
    """Each role in turn on the same objects: a role's visits run in a savepoint rolled back
    afterwards, so one role's writes never change what the next one is shown."""
    settings.DEBUG = False
    _chinese_names(role_users)
    module = _module(app)
    fixtures = module.crawl_fixtures(tree, role_users, monkeypatch)
    rows = sorted(module.MATRIX, key=lambda row: row[2] != "GET")  # reads first; writes change the objects
    problems: list[str] = []
    known = data_words()
    for role in ROLES:
        with visiting_as(client, role_users, role):
            for row in rows:
                name, kwargs, method = row[:3]
                data = row[4] if len(row) > 4 else None
                url = reverse(name, kwargs=kwargs(fixtures) if kwargs else None)
                if method == "GET":
                    response = client.get(url)
                else:
                    response = client.post(url, data(fixtures) if callable(data) else (data or {}))
                _check_page(response, f"{role} {method} {url}", problems, known)
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("role", ["admin", "evaluator", "anon"])
def test_unknown_url_shows_the_chinese_404_page(client, role_users, settings, role):
    settings.DEBUG = False
    _chinese_names(role_users)
    if role != "anon":
        client.force_login(role_users[role])
    response = client.get("/no-such-page/")
    text = page_text(response.content.decode())
    assert response.status_code == 404 and "页面不存在（404）" in text and not english_words(text)


def test_forbidden_page_is_the_chinese_403(client, role_users, settings):
    settings.DEBUG = False
    _chinese_names(role_users)
    client.force_login(role_users["evaluator"])
    response = client.get(reverse("audit:log"))
    text = page_text(response.content.decode())
    assert response.status_code == 403 and "没有权限（403）" in text and not english_words(text)


def test_server_error_page_is_chinese(client, role_users, settings):
    from django.template.loader import render_to_string

    text = page_text(render_to_string("500.html"))
    assert "系统出错（500）" in text and not english_words(text)


def test_csrf_failure_page_is_chinese(role_users, settings):
    from django.test import Client

    settings.DEBUG = False
    _chinese_names(role_users)
    client = Client(enforce_csrf_checks=True)
    client.force_login(role_users["admin"])
    response = client.post(reverse("logout"))
    text = page_text(response.content.decode())
    assert response.status_code == 403 and "页面已过期" in text and not english_words(text)

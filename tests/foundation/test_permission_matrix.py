"""Foundation rows of the role × URL × method → status matrix (see tests/permissions.py),
and the check that all apps' rows together cover every named URL."""

import importlib
from pathlib import Path

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from ..permissions import check_case, expect, matrix_cases

# Who holds org.view: every role but the evaluator.
VIEWERS = {"admin": 200, "reviewer": 200, "reporter": 200, "leader": 200, "inspector": 200}
VIEW_IN_A = expect(**VIEWERS, outsider=404)
VIEW_ANY = expect(**VIEWERS, outsider=200)
MANAGE_IN_A = expect(admin=200, outsider=404)

MATRIX = [
    # (url name, kwargs from tree, method, expected)
    ("home", None, "GET", expect(default=200)),
    ("login", None, "GET", expect(default=200, anon=200)),
    ("logout", None, "POST", expect(default=302, anon=302)),
    ("healthz", None, "GET", expect(default=200, anon=200)),
    ("login_totp", None, "GET", expect(default=302, anon=302)),  # no pending sign-in: back to login
    ("password_change", None, "GET", expect(default=200)),
    ("totp_setup", None, "GET", expect(default=200)),
    ("orgs:tree", None, "GET", VIEW_ANY),
    ("orgs:search", None, "GET", VIEW_ANY),
    ("orgs:detail", lambda t: {"pk": t.town_a1.pk}, "GET", VIEW_IN_A),
    ("orgs:children", lambda t: {"pk": t.town_a1.pk}, "GET", VIEW_IN_A),
    ("orgs:create", None, "GET", expect(admin=404, outsider=404)),  # without a parent only a superuser may
    ("orgs:edit", lambda t: {"pk": t.town_a1.pk}, "GET", MANAGE_IN_A),
    ("orgs:edit", lambda t: {"pk": t.town_a1.pk}, "POST", MANAGE_IN_A),
    ("orgs:move", lambda t: {"pk": t.town_a1.pk}, "GET", MANAGE_IN_A),
    ("orgs:import", None, "GET", expect(admin=200, outsider=200)),
    ("orgs:export", None, "GET", expect(admin=200, outsider=200)),
    ("orgs:template", None, "GET", expect(admin=200, outsider=200)),
    ("orgs:people", None, "GET", VIEW_ANY),
    ("orgs:person", lambda t: {"pk": t.person_a.pk}, "GET", VIEW_IN_A),
    ("orgs:person_create", None, "GET", expect(admin=200, outsider=200)),
    ("orgs:person_edit", lambda t: {"pk": t.person_a.pk}, "GET", MANAGE_IN_A),
    ("accounts:users", None, "GET", expect(admin=200, outsider=200)),
    ("accounts:revoke", lambda t: {"pk": t.reporter_grant.pk}, "POST", expect(admin=302, outsider=404)),
    ("audit:log", None, "GET", expect(admin=200, leader=200, outsider=200)),
    ("audit:verify", None, "POST", expect(admin=302, leader=302, outsider=302)),
]

@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, crawl_fixtures(tree, role_users), role_users, url_name, kwargs, method, data, expected)


def crawl_fixtures(tree, role_users, monkeypatch=None, url_name=None):
    """The objects MATRIX rows read; the visible-text crawl (tests/outputs) builds them too."""
    from shuping.accounts.models import RoleGrant

    tree.reporter_grant = RoleGrant.objects.get(user=role_users["reporter"])
    return tree


def _named_patterns(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_patterns(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry.callback


IGNORED_PREFIXES = ("admin:",)


def _all_matrix_rows():
    tests_dir = Path(__file__).resolve().parents[1]
    for path in sorted(tests_dir.glob("*/test_permission_matrix.py")):
        module = importlib.import_module(f"tests.{path.parent.name}.test_permission_matrix")
        yield from module.MATRIX


def test_every_named_url_is_in_the_matrix_and_declares_a_permission():
    covered = {row[0] for row in _all_matrix_rows()}
    missing, undeclared = [], []
    for name, callback in _named_patterns():
        if name.startswith(IGNORED_PREFIXES):
            continue
        if name not in covered:
            missing.append(name)
        if not hasattr(callback, "required_permission") and not hasattr(
            getattr(callback, "view_class", None), "required_permission"
        ):
            undeclared.append(name)
    assert missing == [], f"URLs missing from the permission matrix: {missing}"
    assert undeclared == [], f"views without a declared permission: {undeclared}"

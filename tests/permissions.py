"""The permission matrix machinery: each app's tests/<app>/test_permission_matrix.py defines
MATRIX rows and calls `matrix_cases(MATRIX)`; tests/foundation checks that the rows of all
apps together cover every named URL.

Roles are granted on county A; "outsider" is an admin of county B, "nobody" holds no role,
"anon" is not signed in. Objects named in a row belong to county A, so the outsider must get
404 for them: other counties' objects do not exist for him.
"""

from contextlib import contextmanager

import pytest
from django.db import transaction
from django.urls import reverse

ROLES = ["admin", "reviewer", "reporter", "evaluator", "leader", "inspector", "outsider", "nobody", "anon"]


def expect(default=403, anon=302, **overrides):
    table = dict.fromkeys(ROLES, default)
    table["anon"] = anon
    table.update(overrides)
    return table


def matrix_cases(matrix):
    """Rows (url name, kwargs builder or None, method, expected, [post data]) → one pytest param per row."""
    cases = []
    for row in matrix:
        name, kwargs, method, expected = row[:4]
        data = row[4] if len(row) > 4 else None
        cases.append(pytest.param(name, kwargs, method, data, expected, id=f"{name}-{method}"))
    return cases


@contextmanager
def visiting_as(client, role_users, role):
    """One role's visits ("anon": signed out) in a savepoint rolled back afterwards, so what one
    role writes never changes what the next role is shown."""
    with transaction.atomic():
        client.logout()
        if role != "anon":
            client.force_login(role_users[role])
        yield
        transaction.set_rollback(True)


def check_case(client, fixtures, role_users, url_name, kwargs, method, data, expected):
    """Every role in turn on the same objects. Each role's request runs in a savepoint that is
    rolled back, so a POST by one role (a delete, a transition) changes nothing the next role
    sees, as if each had its own fresh database, without building the objects once per role.
    `fixtures` is whatever object the row builders read (the tree plus app objects)."""
    url = reverse(url_name, kwargs=kwargs(fixtures) if kwargs else None)
    wrong = []
    for role in expected:  # ROLES, plus any an app adds (tests/units: the unit users)
        with visiting_as(client, role_users, role):
            payload = data(fixtures) if callable(data) else (data or {})
            response = client.get(url) if method == "GET" else client.post(url, payload)
        if response.status_code != expected[role]:
            wrong.append(f"{role} {method} {url}: {response.status_code}, expected {expected[role]}")
    assert wrong == [], "\n".join(wrong)

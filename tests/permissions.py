"""The permission matrix machinery: each app's tests/<app>/test_permission_matrix.py defines
MATRIX rows and calls `matrix_cases(MATRIX)`; tests/foundation checks that the rows of all
apps together cover every named URL.

Roles are granted on county A; "outsider" is an admin of county B, "nobody" holds no role,
"anon" is not signed in. Objects named in a row belong to county A, so the outsider must get
404 for them: other counties' objects do not exist for him.
"""

import pytest
from django.urls import reverse

ROLES = ["admin", "reviewer", "reporter", "evaluator", "leader", "inspector", "outsider", "nobody", "anon"]


def expect(default=403, anon=302, **overrides):
    table = dict.fromkeys(ROLES, default)
    table["anon"] = anon
    table.update(overrides)
    return table


def matrix_cases(matrix):
    """Rows (url name, kwargs builder or None, method, expected, [post data]) → pytest params."""
    cases = []
    for row in matrix:
        name, kwargs, method, expected = row[:4]
        data = row[4] if len(row) > 4 else None
        for role in ROLES:
            cases.append(pytest.param(name, kwargs, method, data, role, expected[role], id=f"{name}-{method}-{role}"))
    return cases


def check_case(client, fixtures, role_users, url_name, kwargs, method, data, role, status):
    """`fixtures` is whatever object the row builders read (the tree plus app objects)."""
    url = reverse(url_name, kwargs=kwargs(fixtures) if kwargs else None)
    if role != "anon":
        client.force_login(role_users[role])
    payload = data(fixtures) if callable(data) else (data or {})
    response = client.get(url) if method == "GET" else client.post(url, payload)
    assert response.status_code == status, f"{role} {method} {url}: {response.status_code}"

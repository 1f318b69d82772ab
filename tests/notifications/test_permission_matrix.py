"""Role × URL × method → status for the message URLs: every signed-in user has his own inbox;
another user's message does not exist for him (404)."""

import pytest

from shuping.notifications import services

from ..permissions import check_case, expect, matrix_cases


class Fixtures:
    def __init__(self, tree, role_users):
        self.tree = tree
        self.admin_note = services.notify(users=[role_users["admin"]], kind="x", title="给管理员的消息", url="/")[0]


MATRIX = [
    ("notifications:list", None, "GET", expect(default=200)),
    ("notifications:open", lambda f: {"pk": f.admin_note.pk}, "POST", expect(default=404, admin=302)),
    ("notifications:read_all", None, "POST", expect(default=302)),
    ("notifications:contact", None, "POST", expect(default=302), {"mobile": "", "sms_enabled": ""}),
]


def crawl_fixtures(tree, role_users, monkeypatch=None):
    """The objects MATRIX rows read (built lazily); the visible-text crawl (tests/outputs) uses them too."""
    return Fixtures(tree, role_users)


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, Fixtures(tree, role_users), role_users, url_name, kwargs, method, data, expected)

"""Role × URL × method → status for the 群众提 URLs: the public pages answer everyone, the
moderation pages only the organisation department of the county (others' submissions: 404)."""

from functools import cached_property

import pytest

from shuping.intake import services

from ..permissions import check_case, expect, matrix_cases

PUBLIC = expect(default=200, anon=200)
TEXT = "村党支部连续三个月没有开展主题党日活动。"


class Fixtures:
    def __init__(self, tree):
        self.tree = tree

    @cached_property
    def submission(self):
        return services.submission_create(county=self.tree.county_a, village=self.tree.village_a1, text=TEXT,
                                          address="10.1.1.1")[0]


MATRIX = [
    ("intake:submit", lambda f: {"code": f.tree.county_a.code}, "GET", PUBLIC),
    ("intake:submit", lambda f: {"code": f.tree.county_a.code}, "POST", PUBLIC,
     lambda f: {"village": f.tree.village_a1.pk, "text": TEXT}),
    ("intake:lookup", lambda f: {"code": f.tree.county_a.code}, "GET", PUBLIC),
    ("intake:lookup", lambda f: {"code": f.tree.county_a.code}, "POST", PUBLIC, {"code": "AAAA-BBBB-CCCC"}),
    ("intake:queue", None, "GET", expect(admin=200, outsider=200)),
    ("intake:poster", lambda f: {"pk": f.tree.county_a.pk}, "GET", expect(admin=200, outsider=404)),
    ("intake:moderate", lambda f: {"pk": f.submission.pk}, "POST", expect(admin=302, outsider=404),
     {"decision": "accept", "category": "服务群众"}),
]


def crawl_fixtures(tree, role_users, monkeypatch=None):
    """The objects MATRIX rows read (built lazily); the visible-text crawl (tests/outputs) uses them too."""
    return Fixtures(tree)


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, Fixtures(tree), role_users, url_name, kwargs, method, data, expected)

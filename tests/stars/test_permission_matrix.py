"""Role × URL × method → status for the stars app (see tests/permissions.py)."""

import pytest

from shuping.stars import services

from ..permissions import check_case, expect, matrix_cases

STAR_USERS = expect(admin=200, reporter=200, outsider=200)
APPROVE_ANY = expect(admin=200, outsider=200)
APPROVE_IN_A = expect(admin=200, outsider=404)
ACT_APPROVE = expect(admin=302, outsider=404)


def _rating(t):
    return {"pk": t.rating.pk}


MATRIX = [
    ("stars:list", None, "GET", STAR_USERS),
    ("stars:export", None, "GET", STAR_USERS),
    ("stars:criteria_list", None, "GET", APPROVE_ANY),
    ("stars:criteria", lambda t: {"pk": t.star_set.pk}, "GET", APPROVE_IN_A),
    ("stars:criteria_open", lambda t: {"pk": t.star_set.pk}, "POST", ACT_APPROVE),
    ("stars:detail", _rating, "GET", expect(admin=200, reporter=200, outsider=404)),
    # the village self-assesses: star.assess only (the county admin reviews, it does not self-assess)
    ("stars:self_assess", _rating, "POST", expect(reporter=302)),
    ("stars:return", _rating, "POST", ACT_APPROVE),
    ("stars:assess", _rating, "POST", ACT_APPROVE),
    ("stars:publicise", _rating, "POST", ACT_APPROVE),
    ("stars:objection", _rating, "POST", ACT_APPROVE),
    ("stars:approve", _rating, "POST", ACT_APPROVE),
]


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, crawl_fixtures(tree, role_users), role_users, url_name, kwargs, method, data, expected)


def crawl_fixtures(tree, role_users, monkeypatch=None, url_name=None):
    """The objects MATRIX rows read; the visible-text crawl (tests/outputs) builds them too."""
    tree.star_set = services.criteria_set_create(actor=None, organiser=tree.county_a, year=2026)
    services.ratings_open(actor=None, criteria_set=tree.star_set)
    tree.rating = tree.star_set.ratings.get(org=tree.village_a1)
    return tree

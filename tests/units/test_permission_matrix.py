"""Role × URL × method → status for every unit-work URL (see tests/permissions.py).

Besides the county-wide roles, three unit users act for their own org: the secretary and the
liaison of 甲一镇 (town_sec, town_liaison) and the liaison of 甲一村 (village_liaison). The
objects belong to 甲一镇, so the village liaison must get 404: a sibling's or superior's
business does not exist for him.
"""

import datetime
from decimal import Decimal
from functools import cached_property

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from shuping.clock import today
from shuping.routine import services as routine_services
from shuping.units import services

from ..permissions import ROLES, check_case, expect
from .conftest import PNG, pushed_problem, responsibility_item

UNIT_ROLES = ["town_sec", "town_liaison", "village_liaison"]


def unit_expect(default=403, anon=302, **overrides):
    table = expect(default, anon)
    table.update(dict.fromkeys(UNIT_ROLES, default))
    table.update(overrides)
    return table


UNIT_OWN = unit_expect(reporter=200, town_sec=200, town_liaison=200, village_liaison=200)
UNIT_TOWN_GET = unit_expect(reporter=200, town_sec=200, town_liaison=200, village_liaison=404)
UNIT_TOWN_POST = unit_expect(reporter=302, town_sec=302, town_liaison=302, village_liaison=404)
MANAGE_ANY = unit_expect(admin=200, outsider=200)
MANAGE_GET_IN_A = unit_expect(admin=200, outsider=404)
MANAGE_POST_IN_A = unit_expect(admin=302, outsider=404)
ROUTINE_READERS = {"admin": 200, "reporter": 200, "leader": 200, "inspector": 200, "town_sec": 200,
                   "town_liaison": 200, "village_liaison": 404, "outsider": 404}


class Fixtures:
    def __init__(self, tree):
        self.tree = tree

    @cached_property
    def problem(self):
        return pushed_problem(self.tree.town_a1)

    @cached_property
    def rect(self):
        return pushed_problem(self.tree.town_a1, "第二个问题").rectification

    @cached_property
    def plan(self):
        return services.plan_save(actor=None, rectification=self.problem.rectification, owner=None, measures="措施",
                                  deadline=today() + datetime.timedelta(days=140), submit=True)

    @cached_property
    def item(self):
        return responsibility_item(self.tree)

    @cached_property
    def update(self):
        return services.responsibility_update_submit(actor=None, item=self.item, achieved_value=Decimal("3"),
                                                     note="进展", upload=SimpleUploadedFile("a.png", PNG))

    @cached_property
    def report(self):
        return services.quarterly_report_submit(actor=None, org=self.tree.town_a1, year=2026, quarter=2,
                                                summary="亮点", text="汇报")

    @cached_property
    def circular(self):
        return routine_services.circular_save(actor=None, organiser=self.tree.county_a, year=2026, quarter=2,
                                              title="通报", supervision_deadline=today() + datetime.timedelta(days=80))


MATRIX = [
    ("units:home", None, "GET", UNIT_OWN),
    ("units:problem_new", None, "GET", UNIT_OWN),
    # The village liaison cannot file a problem against the township: the org is not among his choices.
    ("units:problem_new", None, "POST", unit_expect(reporter=302, town_sec=302, town_liaison=302, village_liaison=200),
     lambda f: {"org": f.tree.town_a1.pk, "description": "自查问题", "category": "其他", "severity": "一般",
                "found_on": "2026-05-01"}),
    ("units:claim", lambda f: {"pk": f.problem.pk}, "POST", UNIT_TOWN_POST),
    ("units:plan", lambda f: {"pk": f.rect.pk}, "GET", UNIT_TOWN_GET),
    ("units:plan", lambda f: {"pk": f.rect.pk}, "POST", UNIT_TOWN_POST,
     {"measures": "措施", "deadline": "2026-09-30", "submit": "1"}),
    ("units:responsibility", lambda f: {"pk": f.item.pk}, "GET", UNIT_TOWN_GET),
    ("units:responsibility", lambda f: {"pk": f.item.pk}, "POST", UNIT_TOWN_POST,
     {"achieved_value": "4", "note": "到村调研"}),
    ("units:update_evidence", lambda f: {"pk": f.update.pk}, "GET", unit_expect(**ROUTINE_READERS)),
    ("units:quarterly", None, "GET", UNIT_OWN),
    # A unit reports for the org its role is granted on (the county-wide reporter is not 甲一镇).
    ("units:quarterly", None, "POST", unit_expect(reporter=200, town_sec=302, town_liaison=302, village_liaison=200),
     lambda f: {"org": f.tree.town_a1.pk, "year": 2026, "quarter": 2, "summary": "亮点", "text": "汇报"}),
    ("units:quarterly_detail", lambda f: {"pk": f.report.pk}, "GET", unit_expect(**ROUTINE_READERS)),
    ("units:review", None, "GET", MANAGE_ANY),
    ("units:plan_review", lambda f: {"pk": f.plan.pk}, "GET", MANAGE_GET_IN_A),
    ("units:plan_review", lambda f: {"pk": f.plan.pk}, "POST", MANAGE_POST_IN_A, {"approve": "1"}),
    ("units:update_decide", lambda f: {"pk": f.update.pk}, "POST", MANAGE_POST_IN_A, {"confirm": "1"}),
    ("units:quarterly_overview", None, "GET", MANAGE_ANY),
    ("units:quarterly_pick", lambda f: {"pk": f.report.pk}, "POST", MANAGE_POST_IN_A, {"picked": "1"}),
    ("units:circular_draw", lambda f: {"pk": f.circular.pk}, "POST", MANAGE_POST_IN_A),
]


def _cases():
    cases = []
    for row in MATRIX:
        name, kwargs, method, expected = row[:4]
        data = row[4] if len(row) > 4 else None
        assert set(expected) == {*ROLES, *UNIT_ROLES}, name
        cases.append(pytest.param(name, kwargs, method, data, expected, id=f"{name}-{method}"))
    return cases


def crawl_fixtures(tree, role_users, monkeypatch=None):
    """The objects MATRIX rows read (built lazily); the visible-text crawl (tests/outputs) uses them too."""
    return Fixtures(tree)


@freeze_time("2026-05-10 10:00:00+08:00")
@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), _cases())
def test_permission_matrix(client, tree, role_users, unit_users, url_name, kwargs, method, data, expected):
    check_case(client, Fixtures(tree), {**role_users, **unit_users}, url_name, kwargs, method, data, expected)

"""Routine rows of the role × URL × method → status matrix (see tests/permissions.py).

routine.view: admin, reporter, leader, inspector; routine.manage: admin. Everything named here
belongs to county A, so the outsider (admin of county B) gets 404 for it."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuping.routine import services

from ..builders import make_campaign
from ..permissions import check_case, expect, matrix_cases

VIEWERS = {"admin": 200, "reporter": 200, "leader": 200, "inspector": 200}
VIEW_ANY = expect(**VIEWERS, outsider=200)
VIEW_IN_A = expect(**VIEWERS, outsider=404)
MANAGE_IN_A = expect(admin=200, outsider=404)
MANAGE_POST = expect(admin=302, outsider=404)
CAMPAIGN_VIEW_IN_A = expect(admin=200, reviewer=200, reporter=200, leader=200, inspector=200, outsider=404)


def _upload():
    return SimpleUploadedFile("导入.xlsx", b"PK\x03\x04 not really a workbook")


def oy(t):
    return {"org": t.county_a.pk, "year": 2026}


MATRIX = [
    ("routine:index", None, "GET", VIEW_ANY),
    ("routine:overview", oy, "GET", VIEW_IN_A),
    ("routine:ranking_groups", oy, "GET", VIEW_IN_A),
    ("routine:ranking_groups", oy, "POST", expect(admin=302, reporter=403, leader=403, inspector=403, outsider=404),
     {"groups": "乡镇组：乡镇\n部门组："}),
    ("routine:indicators", oy, "GET", VIEW_IN_A),
    ("routine:indicator_new", oy, "GET", MANAGE_IN_A),
    ("routine:indicator_new", oy, "POST", MANAGE_POST, {"code": "N", "name": "新指标", "max_score": "10", "order": 3}),
    ("routine:indicator_edit", lambda t: {**oy(t), "pk": t.indicator.pk}, "GET", MANAGE_IN_A),
    ("routine:indicator_delete", lambda t: {**oy(t), "pk": t.indicator.pk}, "POST", MANAGE_POST),
    ("routine:scores", oy, "GET", VIEW_IN_A),
    ("routine:score_row", lambda t: {**oy(t), "month": 1, "unit": t.town_a1.pk}, "POST", MANAGE_POST, {"s-X": "10"}),
    ("routine:scores_import", oy, "GET", MANAGE_IN_A),
    # An upload starts an import job and redirects to its page (the job checks the scope again).
    ("routine:scores_import", oy, "POST", MANAGE_POST, lambda t: {"file": _upload()}),
    ("routine:scores_template", oy, "GET", MANAGE_IN_A),
    ("routine:rankings", oy, "GET", VIEW_IN_A),
    ("routine:unit", lambda t: {"pk": t.town_a1.pk, "year": 2026}, "GET", VIEW_IN_A),
    ("routine:responsibilities", oy, "GET", VIEW_IN_A),
    ("routine:responsibility_new", oy, "GET", MANAGE_IN_A),
    ("routine:responsibilities_import", oy, "GET", MANAGE_IN_A),
    ("routine:responsibilities_import", oy, "POST", MANAGE_POST, lambda t: {"file": _upload()}),
    ("routine:responsibilities_export", oy, "GET", VIEW_IN_A),
    ("routine:responsibility", lambda t: {"pk": t.item.pk}, "GET", VIEW_IN_A),
    ("routine:responsibility_progress", lambda t: {"pk": t.item.pk}, "POST", MANAGE_POST,
     {"recorded_on": "2026-01-05", "achieved_value": "1"}),
    ("routine:circulars", oy, "GET", VIEW_IN_A),
    ("routine:circular_new", oy, "GET", MANAGE_IN_A),
    ("routine:circular", lambda t: {"pk": t.circular.pk}, "GET", VIEW_IN_A),
    ("routine:circular_edit", lambda t: {"pk": t.circular.pk}, "POST", MANAGE_POST),
    ("routine:circular_docx", lambda t: {"pk": t.circular.pk}, "GET", VIEW_IN_A),
    ("routine:circular_issue", lambda t: {"pk": t.circular.pk}, "POST", MANAGE_POST),
    ("routine:inspections", None, "GET", VIEW_ANY),
    ("routine:inspection_new", None, "GET", expect(admin=200, outsider=200)),
    ("routine:inspection", lambda t: {"pk": t.plan.pk}, "GET", VIEW_IN_A),
    ("routine:visit_add", lambda t: {"pk": t.plan.pk}, "POST", MANAGE_POST),
    ("routine:finding_add", lambda t: {"pk": t.visit.pk}, "POST", MANAGE_POST),
    ("routine:composition", lambda t: {"pk": t.campaign.pk}, "GET", CAMPAIGN_VIEW_IN_A),
    ("routine:routine_apply", lambda t: {"pk": t.campaign.pk}, "POST", MANAGE_POST),
    ("routine:uses", None, "GET", VIEW_ANY),
    ("routine:use_add", lambda t: {"pk": t.person_a.pk}, "GET", MANAGE_IN_A),
]


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, crawl_fixtures(tree, role_users, url_name=url_name), role_users, url_name, kwargs, method, data,
               expected)


def crawl_fixtures(tree, role_users, monkeypatch=None, url_name=None):
    """The objects MATRIX rows read; the visible-text crawl (tests/outputs) builds them too."""
    tree.indicator = services.indicator_save(actor=None, organiser=tree.county_a, year=2026, code="X",
                                             name="组织生活落实", max_score=Decimal(60))
    tree.item = services.responsibility_save(actor=None, organiser=tree.county_a, year=2026, org=tree.town_a1,
                                             task="专题汇报不少于6次", target_value=Decimal(6), target_unit="次",
                                             deadline=datetime.date(2026, 12, 31))
    tree.circular = services.circular_save(actor=None, organiser=tree.county_a, year=2026, quarter=1, title="一季度通报",
                                           lowest_n=1, supervision_deadline=datetime.date(2026, 6, 30))
    tree.plan = services.inspection_plan_create(actor=None, org=tree.county_a, title="上半年督查",
                                                period_start=datetime.date(2026, 6, 1),
                                                period_end=datetime.date(2026, 6, 30))
    tree.visit = services.inspection_visit_add(actor=None, plan=tree.plan, org=tree.town_a1,
                                               visited_on=datetime.date(2026, 6, 5))
    if url_name in (None, "routine:composition", "routine:routine_apply"):
        tree.campaign = make_campaign(tree)  # the slow part: only where the row needs it
    return tree

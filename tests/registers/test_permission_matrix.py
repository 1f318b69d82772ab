"""Registers rows of the role × URL × method → status matrix (see tests/permissions.py).

register.view: admin, reviewer, reporter, leader, inspector; register.enter: reporter (the unit);
register.confirm: admin (the superior); register.configure: admins, each for their own area — shared
items belong to top-level admins, so the county admins here get 403 on them but 200 on county A's own
rule (county B's admin: 403); register.verify: admin, inspector."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ..permissions import check_case, expect, matrix_cases
from .conftest import fill

VIEWERS = {"admin": 200, "reviewer": 200, "reporter": 200, "leader": 200, "inspector": 200}
VIEW_ANY = expect(**VIEWERS, outsider=200)
VIEW_IN_A = expect(**VIEWERS, outsider=404)
CONFIRM_POST = expect(admin=302, outsider=404)
NO_COUNTY_ADMIN = expect()  # shared items are installation-wide: a county admin may not change them
ANY_ADMIN = expect(admin=200, outsider=200)  # each admin adds items for their own area
VERIFY_GET = expect(admin=200, inspector=200, outsider=404)
VERIFY_POST = expect(admin=302, inspector=302, outsider=404)


MANAGE_IN_A = expect(admin=200, outsider=404)


def _upload():
    return SimpleUploadedFile("导入.xlsx", b"PK\x03\x04 not really a workbook")


def case(t):
    return {"pk": t.case.pk}


def oy(t):
    return {"org": t.county_a.pk, "year": 2026}


def village(t):
    return {"org": t.village_a1.pk, "year": 2026}


MATRIX = [
    ("registers:index", None, "GET", VIEW_ANY),
    ("registers:facts", oy, "GET", VIEW_IN_A),
    ("registers:facts_export", oy, "GET", VIEW_IN_A),
    ("registers:facts_template", oy, "GET", VIEW_IN_A),
    ("registers:facts_import", oy, "GET", expect(admin=200, reporter=200, reviewer=403, leader=403, inspector=403,
                                                  outsider=404)),
    # An upload starts an import job and redirects to its page (the job checks the scope again).
    ("registers:facts_import", oy, "POST", expect(admin=302, reporter=302, reviewer=403, leader=403, inspector=403,
                                                   outsider=404), lambda t: {"file": _upload()}),
    ("registers:confirm_all", oy, "POST", CONFIRM_POST),
    ("registers:sheet", village, "GET", VIEW_IN_A),
    ("registers:sheet", lambda t: {"org": t.town_a2.pk, "year": 2026}, "POST",
     expect(reporter=302, outsider=404, admin=403, reviewer=403, leader=403, inspector=403), {"f_members": "30"}),
    ("registers:sheet_confirm", lambda t: {"pk": t.sheet.pk}, "POST", CONFIRM_POST),
    ("registers:sheet_return", lambda t: {"pk": t.sheet.pk}, "POST", CONFIRM_POST, {"reason": "数据有误"}),
    ("registers:config", None, "GET", VIEW_ANY),
    ("registers:fact_new", None, "GET", ANY_ADMIN),
    ("registers:fact_edit", lambda t: {"pk": t.facts["members"].pk}, "POST", NO_COUNTY_ADMIN, {"name": "被改"}),
    ("registers:rule_new", None, "GET", ANY_ADMIN),
    ("registers:rule_edit", lambda t: {"pk": t.rule.pk}, "GET", NO_COUNTY_ADMIN),
    ("registers:rule_edit", lambda t: {"pk": t.county_rule.pk}, "GET", expect(admin=200, outsider=403)),
    ("registers:fact_edit", lambda t: {"pk": t.county_fact.pk}, "GET", expect(admin=200, outsider=403)),
    ("registers:claims", lambda t: {"pk": t.plan.pk}, "GET", VERIFY_GET),
    ("registers:claim_verify", lambda t: {"pk": t.plan.pk, "participant": 0}, "POST", VERIFY_POST),
    ("registers:weak_list", oy, "GET", VIEW_IN_A),
    ("registers:weak_export", oy, "GET", VIEW_IN_A),
    ("registers:weak_template", oy, "GET", MANAGE_IN_A),
    ("registers:weak_import", oy, "GET", MANAGE_IN_A),
    ("registers:weak_import", oy, "POST", CONFIRM_POST, lambda t: {"file": _upload()}),
    ("registers:weak_new", oy, "GET", MANAGE_IN_A),
    ("registers:weak_case", case, "GET", VIEW_IN_A),
    ("registers:weak_milestone", case, "POST", CONFIRM_POST, {"measure": "配强班子", "due": "2026-09-30"}),
    ("registers:weak_progress", case, "POST", expect(admin=302, reporter=302, outsider=404), {"note": "已召开整顿会"}),
    ("registers:weak_accept", case, "POST", CONFIRM_POST, {"result": "failed", "note": "未达标"}),
    ("registers:weak_evidence", lambda t: {"pk": t.progress.pk}, "GET", VIEW_IN_A),
    ("registers:brands", lambda t: {"org": t.county_a.pk}, "GET", VIEW_IN_A),
    ("registers:brand_export", lambda t: {"org": t.county_a.pk}, "GET", VIEW_IN_A),
    ("registers:brand_template", lambda t: {"org": t.county_a.pk}, "GET", MANAGE_IN_A),
    ("registers:brand_import", lambda t: {"org": t.county_a.pk}, "GET", MANAGE_IN_A),
    ("registers:brand_import", lambda t: {"org": t.county_a.pk}, "POST", CONFIRM_POST, lambda t: {"file": _upload()}),
    ("registers:brand_new", lambda t: {"org": t.county_a.pk}, "GET", MANAGE_IN_A),
    ("registers:brand_edit", lambda t: {"org": t.village_a1.pk, "pk": t.brand.pk}, "GET", MANAGE_IN_A),
    ("registers:brand", lambda t: {"pk": t.brand.pk}, "GET", VIEW_IN_A),
    ("registers:brand_photo_add", lambda t: {"pk": t.brand.pk}, "POST", CONFIRM_POST),
    ("registers:brand_photo", lambda t: {"pk": t.photo.pk}, "GET", VIEW_IN_A),
    ("registers:brand_photo_delete", lambda t: {"pk": t.photo.pk}, "POST", CONFIRM_POST),
    ("registers:brand_delete", lambda t: {"pk": t.brand.pk}, "POST", CONFIRM_POST, {"reason": "重复登记"}),
    ("registers:posts", oy, "GET", VIEW_IN_A),
    ("registers:post_export", oy, "GET", VIEW_IN_A),
    ("registers:post_template", oy, "GET", MANAGE_IN_A),
    ("registers:post_import", oy, "GET", MANAGE_IN_A),
    ("registers:post_import", oy, "POST", CONFIRM_POST, lambda t: {"file": _upload()}),
    ("registers:post_new", oy, "GET", MANAGE_IN_A),
    ("registers:post_edit", lambda t: {**oy(t), "pk": t.post.pk}, "GET", MANAGE_IN_A),
    ("registers:post_delete", lambda t: {**oy(t), "pk": t.post.pk}, "POST", CONFIRM_POST, {"reason": "录入错误"}),
    ("registers:star_rules", lambda t: {"pk": t.criteria_set.pk}, "GET", MANAGE_IN_A),
    ("registers:star_rules", lambda t: {"pk": t.criteria_set.pk}, "POST", CONFIRM_POST,
     lambda t: {"criterion": t.criteria_set.criteria.first().pk, "fact": t.facts["collective_income"].pk, "threshold": "5"}),
]


def crawl_fixtures(tree, role_users, monkeypatch=None, url_name=None):
    """The objects MATRIX rows read (all of them when url_name is None); the visible-text crawl
    (tests/outputs) builds them too."""
    import datetime

    from django.core.files.base import ContentFile

    from shuping.registers import brands, posts, weak
    from shuping.registers.defaults import install_default_facts
    from shuping.registers.models import Assignment, Brand, ClaimRule, Fact
    from shuping.routine import services as routine_services
    from shuping.stars import services as star_services

    install_default_facts(Fact, ClaimRule)
    facts = {f.code: f for f in Fact.objects.all()}
    plan = routine_services.inspection_plan_create(actor=None, org=tree.county_a, title="2026年上半年督查",
                                                   period_start=datetime.date(2026, 6, 1),
                                                   period_end=datetime.date(2026, 6, 30))
    tree.facts, tree.plan, tree.rule = facts, plan, ClaimRule.objects.filter(owner__isnull=True).first()
    tree.county_fact = Fact.objects.create(code="county_a_item", name="甲县自定数据项", kind="integer", owner=tree.county_a)
    tree.county_rule = ClaimRule.objects.create(name="甲县自定规则", fact=tree.county_fact, keywords="自定", units="个",
                                                owner=tree.county_a)
    tree.sheet = fill(tree.village_a1, 2026, {"members": 20}, facts=facts, confirm=False)
    wanted = (lambda part: True) if url_name is None else (lambda part: part in url_name)
    if wanted("registers:weak_"):
        tree.case = weak.case_identify(actor=None, org=tree.village_a1, year=2026, reason_category="other",
                                       reason="班子不团结", leader="王县长")
        tree.progress = weak.progress_add(actor=None, case=tree.case, note="整顿动员",
                                          evidence=ContentFile(b"%PDF-1.4", name="a.pdf"))
    if wanted("registers:star_rules"):
        tree.criteria_set = star_services.criteria_set_create(actor=None, organiser=tree.county_a, year=2026)
    if wanted("post"):
        tree.post = posts.assignment_save(actor=None, assignment=Assignment(
            person_name="王晓东", sending_unit="县财政局", village=tree.village_a1, start=datetime.date(2026, 1, 1)))
    if wanted("brand"):
        tree.brand = brands.brand_save(actor=None, brand=Brand(name="红色代办", level=1, owner=tree.village_a1, year=2025))
        tree.photo = brands.photo_add(actor=None, brand=tree.brand,
                                      image=ContentFile(b"\x89PNG\r\n\x1a\n" + b"0" * 20, name="a.png"))
    return tree


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(settings, tmp_path, client, tree, role_users, url_name, kwargs, method, data, expected):
    settings.MEDIA_ROOT = tmp_path / "media"
    check_case(client, crawl_fixtures(tree, role_users, url_name=url_name), role_users, url_name, kwargs, method, data, expected)

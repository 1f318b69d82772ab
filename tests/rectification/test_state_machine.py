import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuping.audit.models import AuditEntry
from shuping.rectification import services
from shuping.rectification.models import Status, StatusChange
from shuping.rectification.services import RectificationError

from .conftest import PNG, new_problem, planned


def _progressed(tree):
    problem = new_problem(tree.town_a1)
    rect = planned(problem)
    services.progress_add(actor=None, rectification=rect, text="已完成摸排",
                          files=[SimpleUploadedFile("photo.png", PNG)])
    rect.refresh_from_db()
    return problem, rect


def test_new_problem_starts_not_started_and_progress_starts_the_work(tree):
    problem, rect = _progressed(tree)
    assert rect.status == Status.IN_PROGRESS
    assert list(StatusChange.objects.values_list("from_status", "to_status")) == [("not_started", "in_progress")]


def test_close_out_is_impossible_without_verification(tree):
    _, rect = _progressed(tree)
    with pytest.raises(RectificationError, match="未经核验不能销号"):
        services._transition(rect, Status.CLOSED, actor=None)
    services.rectification_apply_close(actor=None, rectification=rect)
    rect.refresh_from_db()
    assert rect.status == Status.PENDING
    with pytest.raises(RectificationError, match="未经核验不能销号"):
        services._transition(rect, Status.CLOSED, actor=None)


def test_apply_close_needs_a_plan_and_progress(tree):
    problem = new_problem(tree.town_a1)
    with pytest.raises(RectificationError, match="整改方案"):
        services.rectification_apply_close(actor=None, rectification=problem.rectification)
    rect = planned(problem)
    with pytest.raises(RectificationError, match="进展"):
        services.rectification_apply_close(actor=None, rectification=rect)


def test_verify_approve_closes_and_reject_needs_a_reason(tree, role_users):
    _, rect = _progressed(tree)
    services.rectification_apply_close(actor=None, rectification=rect)
    with pytest.raises(RectificationError, match="理由"):
        services.rectification_verify(actor=role_users["inspector"], rectification=rect, approve=False, comment=" ")
    services.rectification_verify(actor=role_users["inspector"], rectification=rect, approve=False, comment="照片不能反映整改效果")
    rect.refresh_from_db()
    assert rect.status == Status.IN_PROGRESS
    assert rect.changes.last().reason == "照片不能反映整改效果"
    services.rectification_apply_close(actor=None, rectification=rect)
    services.rectification_verify(actor=role_users["inspector"], rectification=rect, approve=True)
    rect.refresh_from_db()
    assert rect.status == Status.CLOSED and rect.closed_at is not None
    assert rect.verifications.filter(approved=True).count() == 1


def _closed(tree):
    problem, rect = _progressed(tree)
    services.rectification_apply_close(actor=None, rectification=rect)
    services.rectification_verify(actor=None, rectification=rect, approve=True)
    rect.refresh_from_db()
    return problem, rect


def test_no_edit_after_close_out_without_reopening_with_a_reason(tree):
    problem, rect = _closed(tree)
    with pytest.raises(RectificationError, match="重新打开"):
        services.problem_update(actor=None, problem=problem, description="改写问题")
    with pytest.raises(RectificationError, match="重新打开"):
        planned(problem)
    with pytest.raises(RectificationError, match="重新打开"):
        services.progress_add(actor=None, rectification=rect, text="补充")
    with pytest.raises(RectificationError, match="理由"):
        services.rectification_reopen(actor=None, rectification=rect, reason="")
    services.rectification_reopen(actor=None, rectification=rect, reason="群众反映场所仍未投入使用")
    services.problem_update(actor=None, problem=problem, description="改写问题")
    problem.refresh_from_db()
    assert problem.description == "改写问题"
    assert rect.changes.last().reason == "群众反映场所仍未投入使用"


def test_every_transition_is_audited(tree):
    _, rect = _closed(tree)
    logged = list(AuditEntry.objects.filter(action="rectification.transition", object_id=str(rect.pk)).order_by("seq")
                  .values_list("after", flat=True))
    assert [entry["status"] for entry in logged] == ["in_progress", "pending", "closed"]


def test_verify_only_applies_to_pending_items(tree):
    _, rect = _progressed(tree)
    with pytest.raises(RectificationError):
        services.rectification_verify(actor=None, rectification=rect, approve=True)


def test_failed_spot_check_reopens_with_the_finding(tree):
    _, rect = _closed(tree)
    import random

    spot = services.spot_check_create(actor=None, org=tree.county_a, percent=100, rng=random.Random(1))
    item = spot.items.get()
    with pytest.raises(RectificationError, match="必须记录"):
        services.spot_check_record(actor=None, item=item, passed=False, finding="")
    services.spot_check_record(actor=None, item=item, passed=False, finding="场所改造未完工，照片为效果图")
    rect.refresh_from_db()
    assert rect.status == Status.IN_PROGRESS
    assert rect.changes.last().reason == "抽查发现：场所改造未完工，照片为效果图"


def test_spot_check_picks_the_requested_share_within_scope(tree):
    for org in [tree.town_a1, tree.town_a2, tree.town_a1, tree.town_a2]:
        problem = new_problem(org)
        rect = planned(problem)
        services.progress_add(actor=None, rectification=rect, text="完成")
        services.rectification_apply_close(actor=None, rectification=rect)
        services.rectification_verify(actor=None, rectification=rect, approve=True)
    outside = new_problem(tree.town_b1)
    rect = planned(outside)
    services.progress_add(actor=None, rectification=rect, text="完成")
    services.rectification_apply_close(actor=None, rectification=rect)
    services.rectification_verify(actor=None, rectification=rect, approve=True)
    spot = services.spot_check_create(actor=None, org=tree.county_a, percent=50)
    picked = list(spot.items.select_related("rectification__org"))
    assert len(picked) == 2
    assert all(item.rectification.org.is_within(tree.county_a) for item in picked)


def test_common_problem_close_out_closes_its_members(tree):
    members = [new_problem(tree.town_a1), new_problem(tree.town_a2, "部分村党组织活动场所面积小、设施简陋")]
    common = services.common_problem_create(actor=None, organiser=tree.county_a, title="活动场所不达标",
                                            problems=members)
    rect = services.rectification_plan(actor=None, rectification=common.rectification, owner=None,
                                       measures="县级统筹", deadline=datetime.date(2026, 12, 31))
    services.progress_add(actor=None, rectification=rect, text="完成全县改造")
    services.rectification_apply_close(actor=None, rectification=rect)
    services.rectification_verify(actor=None, rectification=rect, approve=True)
    for problem in members:
        problem.rectification.refresh_from_db()
        assert problem.rectification.status == Status.CLOSED
        assert problem.rectification.verifications.get().kind == "common"


def test_common_problem_refuses_members_outside_the_organiser(tree):
    with pytest.raises(RectificationError, match="不在牵头单位"):
        services.common_problem_create(actor=None, organiser=tree.county_a, title="x",
                                       problems=[new_problem(tree.town_a1), new_problem(tree.town_b1)])

"""The unit's own part: 自己查, 认领, 整改方案 with approval/return, responsibility updates, quarterly reports."""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from shuping.audit.models import AuditEntry
from shuping.rectification import services as rectification_services
from shuping.rectification.models import Source, Status
from shuping.routine import services as routine_services
from shuping.units import selectors, services
from shuping.units.models import Claim, PlanState, UpdateState
from shuping.units.services import UnitError

from .conftest import PNG, pushed_problem, responsibility_item

pytestmark = pytest.mark.django_db

TODAY = "2026-05-10 10:00:00+08:00"


@freeze_time(TODAY)
def test_own_problem_is_registered_as_self_found_and_claimed(tree, unit_users):
    problem = services.problem_register_own(actor=unit_users["town_liaison"], org=tree.town_a1,
                                            description="党员发展计划执行不到位")
    assert problem.source == Source.SELF
    assert Claim.objects.get(problem=problem).claimed_by == unit_users["town_liaison"]
    assert AuditEntry.objects.filter(action="problem.create", object_id=str(problem.pk)).exists()


@freeze_time(TODAY)
def test_claiming_twice_is_refused_not_duplicated(tree, unit_users):
    problem = pushed_problem(tree.town_a1)
    services.problem_claim(actor=unit_users["town_sec"], problem=problem)
    with pytest.raises(UnitError, match="已被认领"):
        services.problem_claim(actor=unit_users["town_liaison"], problem=problem)
    assert Claim.objects.filter(problem=problem).count() == 1
    assert AuditEntry.objects.filter(action="unit.problem_claim").count() == 1


@freeze_time(TODAY)
def test_superior_sees_claimed_and_unclaimed(tree, unit_users, role_users):
    claimed = pushed_problem(tree.town_a1)
    unclaimed = pushed_problem(tree.town_a2, "督导反馈：阵地建设滞后", Source.INSPECTION)
    services.problem_claim(actor=unit_users["town_sec"], problem=claimed)
    from shuping.accounts.scope import UserScope

    rows = {p.pk: p.claimed for p in selectors.claim_overview(UserScope(role_users["admin"]))}
    assert rows == {claimed.pk: True, unclaimed.pk: False}


@freeze_time(TODAY)
def test_plan_submission_needs_measures_and_a_future_deadline(tree, unit_users):
    rect = pushed_problem(tree.town_a1).rectification
    actor = unit_users["town_liaison"]
    with pytest.raises(UnitError, match="整改措施"):
        services.plan_save(actor=actor, rectification=rect, owner=None, measures=" ", deadline=datetime.date(2026, 9, 1),
                           submit=True)
    with pytest.raises(UnitError, match="早于今天"):
        services.plan_save(actor=actor, rectification=rect, owner=None, measures="整改", deadline=datetime.date(2026, 1, 1),
                           submit=True)
    draft = services.plan_save(actor=actor, rectification=rect, owner=None, measures="", deadline=None)
    assert draft.state == PlanState.DRAFT


@freeze_time(TODAY)
def test_returned_plan_is_revised_and_approved_into_the_rectification(tree, unit_users, role_users):
    problem = pushed_problem(tree.town_a1)
    rect = problem.rectification
    liaison, admin = unit_users["town_liaison"], role_users["admin"]
    plan = services.plan_save(actor=liaison, rectification=rect, owner=tree.person_a, measures="一、完善记录",
                              deadline=datetime.date(2026, 8, 31), submit=True)
    assert plan.state == PlanState.SUBMITTED
    assert Claim.objects.filter(problem=problem).exists(), "submitting a plan claims the problem"
    with pytest.raises(UnitError, match="等待上级审核"):
        services.plan_save(actor=liaison, rectification=rect, owner=None, measures="改", deadline=None)
    with pytest.raises(UnitError, match="理由"):
        services.plan_return(actor=admin, plan=plan, reason="  ")
    plan = services.plan_return(actor=admin, plan=plan, reason="措施不具体，请明确责任人和完成节点")
    assert plan.state == PlanState.RETURNED and "不具体" in plan.return_reason
    rect.refresh_from_db()
    assert rect.measures == "", "a returned plan never reaches the ledger"
    plan = services.plan_save(actor=liaison, rectification=rect, owner=tree.person_a,
                              measures="一、6月底前补齐会议记录；二、书记每月检查", deadline=datetime.date(2026, 8, 31),
                              submit=True)
    plan = services.plan_approve(actor=admin, plan=plan)
    rect.refresh_from_db()
    assert plan.state == PlanState.APPROVED
    assert rect.measures.startswith("一、6月底前") and rect.deadline == datetime.date(2026, 8, 31)
    assert rect.owner == tree.person_a
    with pytest.raises(UnitError):
        services.plan_approve(actor=admin, plan=plan)
    actions = list(AuditEntry.objects.filter(action__startswith="unit.plan").order_by("seq").values_list("action", flat=True))
    assert actions == ["unit.plan_submit", "unit.plan_return", "unit.plan_submit", "unit.plan_approve"]


@freeze_time(TODAY)
def test_whole_loop_reaches_close_out(tree, unit_users, role_users):
    liaison, admin = unit_users["town_liaison"], role_users["admin"]
    problem = services.problem_register_own(actor=liaison, org=tree.town_a1, description="三会一课落实不经常")
    plan = services.plan_save(actor=liaison, rectification=problem.rectification, owner=None, measures="按月召开",
                              deadline=datetime.date(2026, 7, 1), submit=True)
    services.plan_approve(actor=admin, plan=plan)
    rect = problem.rectification
    rectification_services.progress_add(actor=liaison, rectification=rect, text="已召开",
                                        files=[SimpleUploadedFile("a.png", PNG)])
    rectification_services.rectification_apply_close(actor=liaison, rectification=rect)
    rectification_services.rectification_verify(actor=admin, rectification=rect, approve=True)
    rect.refresh_from_db()
    assert rect.status == Status.CLOSED


@freeze_time(TODAY)
def test_responsibility_update_waits_for_confirmation(tree, unit_users, role_users):
    item = responsibility_item(tree)
    liaison = unit_users["town_liaison"]
    update = services.responsibility_update_submit(actor=liaison, item=item, achieved_value=Decimal("5"),
                                                   note="已到村调研5次", upload=SimpleUploadedFile("p.png", PNG))
    assert item.progress.count() == 0, "nothing enters the list before the superior confirms"
    with pytest.raises(UnitError, match="尚待上级确认"):
        services.responsibility_update_submit(actor=liaison, item=item, achieved_value=Decimal("6"), note="又一次")
    services.responsibility_update_confirm(actor=role_users["admin"], update=update)
    item.refresh_from_db()
    assert item.progress.get().achieved_value == Decimal("5.00")
    assert "p.png" in item.progress.get().note
    with pytest.raises(UnitError, match="已处理"):
        services.responsibility_update_confirm(actor=role_users["admin"], update=update)


@freeze_time(TODAY)
def test_returned_responsibility_update_needs_a_reason_and_adds_nothing(tree, unit_users, role_users):
    item = responsibility_item(tree)
    update = services.responsibility_update_submit(actor=unit_users["town_sec"], item=item,
                                                   achieved_value=Decimal("20"), note="完成")
    with pytest.raises(UnitError, match="理由"):
        services.responsibility_update_return(actor=role_users["admin"], update=update, reason="")
    update = services.responsibility_update_return(actor=role_users["admin"], update=update, reason="佐证不足")
    assert update.state == UpdateState.RETURNED and item.progress.count() == 0


@freeze_time(TODAY)
def test_bad_evidence_file_is_refused_and_nothing_written(tree, unit_users):
    item = responsibility_item(tree)
    with pytest.raises(Exception, match="."):
        services.responsibility_update_submit(actor=unit_users["town_sec"], item=item, achieved_value=Decimal("1"),
                                              note="x", upload=SimpleUploadedFile("a.exe", b"MZ\x90\x00"))
    assert item.unit_updates.count() == 0


@freeze_time(TODAY)
def test_quarterly_report_is_revised_until_the_circular_is_issued(tree, unit_users, role_users):
    actor = unit_users["town_liaison"]
    report = services.quarterly_report_submit(actor=actor, org=tree.town_a1, year=2026, quarter=2,
                                              summary="推行“党建+产业”模式", text="一季度以来……", offers_speech=True)
    assert report.organiser == tree.county_a
    again = services.quarterly_report_submit(actor=actor, org=tree.town_a1, year=2026, quarter=2,
                                             summary="推行“党建+产业”模式，带动增收", text="修改稿")
    assert again.pk == report.pk and again.text == "修改稿"
    rows = selectors.quarterly_overview(tree.county_a, 2026, 2)
    assert {r["org"].name: bool(r["report"]) for r in rows} == {"甲一镇党委": True, "甲二镇党委": False}
    circular = routine_services.circular_save(actor=None, organiser=tree.county_a, year=2026, quarter=2,
                                              title="第二季度通报", practices="甲二镇：已有做法",
                                              supervision_deadline=datetime.date(2026, 8, 1))
    services.quarterly_pick(actor=role_users["admin"], report=again, picked=True)
    assert services.circular_draw_reports(actor=role_users["admin"], circular=circular) == 1
    assert services.circular_draw_reports(actor=role_users["admin"], circular=circular) == 0
    circular.refresh_from_db()
    assert circular.practices.splitlines() == ["甲二镇：已有做法", "甲一镇党委：推行“党建+产业”模式，带动增收"]
    # Issuing needs a scored quarter; the state is what the guard reads.
    type(circular).objects.filter(pk=circular.pk).update(state="issued")
    with pytest.raises(UnitError, match="已印发"):
        services.quarterly_report_submit(actor=actor, org=tree.town_a1, year=2026, quarter=2, summary="x", text="y")


@freeze_time(TODAY)
def test_quarterly_report_needs_content(tree, unit_users):
    with pytest.raises(UnitError, match="请填写"):
        services.quarterly_report_submit(actor=unit_users["town_sec"], org=tree.town_a1, year=2026, quarter=2,
                                         summary="", text="内容")


@freeze_time(TODAY)
def test_the_sender_cannot_confirm_his_own_work_even_holding_both_roles(tree, unit_users):
    from shuping.accounts.models import Role
    from shuping.accounts.services import role_grant

    both = unit_users["town_liaison"]
    role_grant(actor=None, user=both, role=Role.ADMIN, org=tree.county_a)
    rect = pushed_problem(tree.town_a1).rectification
    plan = services.plan_save(actor=both, rectification=rect, owner=None, measures="措施",
                              deadline=datetime.date(2026, 9, 1), submit=True)
    with pytest.raises(UnitError, match="不能审核本人报送"):
        services.plan_approve(actor=both, plan=plan)
    update = services.responsibility_update_submit(actor=both, item=responsibility_item(tree),
                                                   achieved_value=Decimal("3"), note="进展")
    with pytest.raises(UnitError, match="不能审核本人报送"):
        services.responsibility_update_confirm(actor=both, update=update)
    rect.refresh_from_db()
    assert rect.measures == "" and update.item.progress.count() == 0

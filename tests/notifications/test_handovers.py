"""Every hand-over leaves a message for exactly the users the work goes to."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from shuping.notifications import services
from shuping.notifications.models import Notification
from shuping.rectification import services as rectification_services
from shuping.units import services as unit_services

from .conftest import PNG, pushed_problem, responsibility_item

pytestmark = pytest.mark.django_db
DAY = "2026-05-10 10:00:00+08:00"


def inbox(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("title", flat=True))


@freeze_time(DAY)
def test_problem_loop_hands_over_both_ways(tree, unit_users, role_users):
    sec, liaison, admin = unit_users["town_sec"], unit_users["town_liaison"], role_users["admin"]
    problem = pushed_problem(tree.town_a1)
    assert inbox(sec) == inbox(liaison) == ["有新问题交办本单位，请认领并制定整改方案"]
    assert inbox(unit_users["village_liaison"]) == [], "a village is not told about its township's problems"
    assert inbox(admin) == []
    plan = unit_services.plan_save(actor=liaison, rectification=problem.rectification, owner=None, measures="措施",
                                   deadline=datetime.date(2026, 8, 1), submit=True)
    assert inbox(admin) == ["甲一镇党委报送整改方案，请审核"]
    assert inbox(role_users["reporter"]) == [], "the county-wide reporter is not the superior"
    unit_services.plan_return(actor=admin, plan=plan, reason="时限过长")
    assert inbox(liaison)[-1] == "整改方案被退回修改"
    assert "时限过长" in Notification.objects.filter(user=liaison).order_by("pk").last().body
    plan = unit_services.plan_save(actor=liaison, rectification=problem.rectification, owner=None, measures="措施二",
                                   deadline=datetime.date(2026, 7, 1), submit=True)
    unit_services.plan_approve(actor=admin, plan=plan)
    assert inbox(liaison)[-1] == "整改方案已批准，请按方案整改并报告进展"
    rect = problem.rectification
    rectification_services.progress_add(actor=liaison, rectification=rect, text="完成",
                                        files=[SimpleUploadedFile("a.png", PNG)])
    rectification_services.rectification_apply_close(actor=liaison, rectification=rect)
    assert inbox(role_users["inspector"])[-1] == "甲一镇党委申请销号，请核验"
    rectification_services.rectification_verify(actor=admin, rectification=rect, approve=False, comment="佐证不足")
    assert inbox(sec)[-1] == "销号核验未通过，已退回整改"
    assert inbox(liaison)[-1] == "销号核验未通过，已退回整改"


@freeze_time(DAY)
def test_the_actor_is_not_told_about_his_own_action(tree, unit_users):
    liaison = unit_users["town_liaison"]
    unit_services.problem_register_own(actor=liaison, org=tree.town_a1, description="自查问题")
    assert inbox(liaison) == [], "self-found problems need no hand-over"
    services.notify(users=[liaison, unit_users["town_sec"]], kind="x", title="t", exclude=liaison)
    assert inbox(liaison) == [] and inbox(unit_users["town_sec"]) == ["t"]


@freeze_time(DAY)
def test_responsibility_and_quarterly_hand_overs(tree, unit_users, role_users):
    liaison, admin = unit_users["town_liaison"], role_users["admin"]
    update = unit_services.responsibility_update_submit(actor=liaison, item=responsibility_item(tree),
                                                        achieved_value=2, note="进展")
    assert inbox(admin) == ["甲一镇党委报送责任清单进展，请确认"]
    unit_services.responsibility_update_return(actor=admin, update=update, reason="请补充佐证")
    assert inbox(liaison)[-1] == "责任清单进展被退回"
    report = unit_services.quarterly_report_submit(actor=liaison, org=tree.town_a1, year=2026, quarter=2,
                                                   summary="亮点", text="汇报")
    assert inbox(admin)[-1] == "甲一镇党委报送季度工作汇报"
    unit_services.quarterly_pick(actor=admin, report=report, picked=True)
    assert inbox(unit_users["town_sec"])[-1] == "本单位被确定在季度调度会上作典型发言"


@freeze_time(DAY)
def test_report_return_reaches_the_writer(tree, unit_users, role_users):
    from shuping.campaigns import services as campaign_services
    from shuping.campaigns.models import CampaignState
    from shuping.reports import services as report_services
    from shuping.reports.documents import parse_editor_text
    from tests.builders import make_campaign

    campaign = campaign_services.campaign_transition(actor=None, campaign=make_campaign(tree),
                                                     to_state=CampaignState.WRITING)
    participant = campaign.participants.get(org=tree.town_a1)
    sec = unit_users["town_sec"]
    report_services.report_save(actor=sec, participant=participant,
                                blocks=parse_editor_text("述职报告\n一、工作\n培训党员100人次。"), source="editor")
    report_services.report_submit(actor=sec, participant=participant)
    assert inbox(role_users["reviewer"])[-1].startswith("甲一镇党委述职报告待审核")
    report_services.report_review(actor=role_users["reviewer"], scope=_scope(role_users["reviewer"]),
                                  participant=participant, level_order=1, decision="return", comment="数据不实")
    assert inbox(sec)[-1] == "述职报告被退回修改"
    assert Notification.objects.filter(user=sec).order_by("pk").last().body == "数据不实"


def _scope(user):
    from shuping.accounts.scope import UserScope

    return UserScope(user)


@freeze_time(DAY)
def test_deadline_in_three_days_is_told_once(tree, unit_users):
    problem = pushed_problem(tree.town_a1)
    rectification_services.rectification_plan(actor=None, rectification=problem.rectification, owner=None,
                                               measures="措施", deadline=datetime.date(2026, 5, 13))
    responsibility_item(tree)  # due at year end: not yet
    assert services.notify_deadlines(day=datetime.date(2026, 5, 10)) == 2  # secretary and liaison
    assert services.notify_deadlines(day=datetime.date(2026, 5, 10)) == 0
    assert inbox(unit_users["town_liaison"])[-1] == "整改时限还有3天（05月13日）"


@freeze_time(DAY)
def test_circular_issued_reaches_every_subordinate_unit(tree, unit_users):
    from shuping.audit.services import log_action

    log_action("routine.circular_issue", actor=None, object_type="routine.quarterlycircular", object_id="1",
               label="2026年第二季度通报", org=tree.county_a, after={"state": "issued"})
    assert inbox(unit_users["town_sec"]) == ["季度通报已印发"]
    assert inbox(unit_users["village_liaison"]) == []


@freeze_time(DAY)
def test_a_broken_rule_never_undoes_the_business_change(tree, unit_users, monkeypatch):
    from shuping.notifications import handlers

    def broken(entry, org):
        raise RuntimeError("boom")

    monkeypatch.setitem(handlers.RULES, "problem.create", broken)
    problem = pushed_problem(tree.town_a1)
    assert problem.pk and inbox(unit_users["town_sec"]) == []

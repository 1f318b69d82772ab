"""The 工作台 shows each role exactly its own work, most urgent first, each item linking to where it is done."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from shuping.accounts.scope import UserScope
from shuping.rectification import services as rectification_services
from shuping.units import services
from shuping.workbench.selectors import tasks_for

from .conftest import PNG, pushed_problem, responsibility_item

pytestmark = pytest.mark.django_db
DAY = "2026-05-10 10:00:00+08:00"


def labels(user):
    return {t.label: t.count for t in tasks_for(UserScope(user), user)}


def page_text(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    return html, re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@freeze_time(DAY)
def test_each_unit_sees_only_its_own_work(tree, unit_users, role_users):
    pushed_problem(tree.town_a1)
    pushed_problem(tree.town_a2, "甲二镇的问题")
    responsibility_item(tree)
    assert labels(unit_users["town_liaison"])["问题待认领（巡察、督导等反馈）"] == 1
    assert labels(unit_users["town_liaison"])["责任清单待更新进展"] == 1
    village = labels(unit_users["village_liaison"])
    assert "问题待认领（巡察、督导等反馈）" not in village and "责任清单待更新进展" not in village
    admin = labels(role_users["admin"])
    assert admin["下发问题尚未被单位认领"] == 2
    assert "问题待认领（巡察、督导等反馈）" not in admin, "the department does not claim for units"
    assert labels(role_users["evaluator"]) == {}


@freeze_time(DAY)
def test_hand_over_moves_the_item_between_workbenches(tree, unit_users, role_users, client):
    liaison, admin = unit_users["town_liaison"], role_users["admin"]
    problem = services.problem_register_own(actor=liaison, org=tree.town_a1, description="组织生活会质量不高")
    assert labels(liaison)["问题待制定整改方案"] == 1
    plan = services.plan_save(actor=liaison, rectification=problem.rectification, owner=None, measures="整改",
                              deadline=datetime.date(2026, 6, 30), submit=True)
    assert "问题待制定整改方案" not in labels(liaison)
    assert labels(admin)["单位整改方案待审核"] == 1
    services.plan_return(actor=admin, plan=plan, reason="措施过于笼统")
    html, text = page_text(client, liaison)
    assert "整改方案被退回" in text and "措施过于笼统" in text
    assert "list-group-item-danger" in html, "returned work is shown in red"
    assert "单位整改方案待审核" not in labels(admin)


@freeze_time(DAY)
def test_overdue_rectification_is_red_and_first(tree, unit_users, role_users, client):
    problem = pushed_problem(tree.town_a1)
    services.problem_claim(actor=unit_users["town_sec"], problem=problem)
    rect = rectification_services.rectification_plan(actor=None, rectification=problem.rectification, owner=None,
                                                     measures="整改", deadline=datetime.date(2026, 5, 1))
    rectification_services.mark_overdue(day=datetime.date(2026, 5, 10))
    responsibility_item(tree)
    tasks = tasks_for(UserScope(unit_users["town_sec"]), unit_users["town_sec"])
    assert tasks[0].label == "整改逾期" and tasks[0].overdue and tasks[0].due == datetime.date(2026, 5, 1)
    html, text = page_text(client, unit_users["town_sec"])
    assert "已逾期 9 天" in text
    assert rect.pk


@freeze_time(DAY)
def test_every_task_link_opens_for_its_user(tree, unit_users, role_users, client):
    liaison, admin = unit_users["town_liaison"], role_users["admin"]
    pushed_problem(tree.town_a1)
    own = services.problem_register_own(actor=liaison, org=tree.town_a1, description="自查问题")
    other = services.problem_register_own(actor=liaison, org=tree.town_a1, description="第二个自查问题")
    services.plan_save(actor=liaison, rectification=own.rectification, owner=None, measures="措施",
                       deadline=datetime.date(2026, 9, 1), submit=True)
    plan = services.plan_save(actor=liaison, rectification=other.rectification, owner=None, measures="措施",
                              deadline=datetime.date(2026, 9, 1), submit=True)
    services.plan_approve(actor=admin, plan=plan)
    rectification_services.progress_add(actor=liaison, rectification=other.rectification, text="完成",
                                        files=[SimpleUploadedFile("a.png", PNG)])
    rectification_services.rectification_apply_close(actor=liaison, rectification=other.rectification)
    item = responsibility_item(tree)
    services.responsibility_update_submit(actor=liaison, item=item, achieved_value=3, note="进展")
    for user in (liaison, admin, unit_users["town_sec"], role_users["inspector"]):
        client.force_login(user)
        for task in tasks_for(UserScope(user), user):
            assert client.get(task.url).status_code == 200, f"{user}: {task.label} → {task.url}"
    assert {"单位整改方案待审核", "申请销号待核验", "责任清单进展待确认"} <= set(labels(admin))


@freeze_time(DAY)
def test_navigation_badge_shows_the_open_count(tree, unit_users, client):
    pushed_problem(tree.town_a1)
    pushed_problem(tree.town_a1, "第二个")
    user = unit_users["town_liaison"]
    count = sum(task.count for task in tasks_for(UserScope(user), user))
    assert count >= 2
    client.force_login(user)
    html = client.get("/unit/").content.decode()
    assert re.search(r'工作台 <span class="badge[^"]*" title="待办事项">' + str(count) + "</span>", html)


@freeze_time(DAY)
def test_report_to_write_then_to_review(tree, unit_users, role_users, client):
    from shuping.campaigns import services as campaign_services
    from shuping.campaigns.models import CampaignState
    from shuping.reports import services as report_services
    from shuping.reports.documents import parse_editor_text
    from tests.builders import make_campaign

    campaign = campaign_services.campaign_transition(actor=None, campaign=make_campaign(tree),
                                                     to_state=CampaignState.WRITING)
    secretary = unit_users["town_sec"]
    assert labels(secretary)["述职报告待撰写和提交"] == 1
    assert "述职报告待撰写和提交" not in labels(unit_users["village_liaison"])
    participant = campaign.participants.get(org=tree.town_a1)
    report_services.report_save(actor=secretary, participant=participant,
                                blocks=parse_editor_text("述职报告\n一、主要工作\n培训党员1200人次。"), source="editor")
    report_services.report_submit(actor=secretary, participant=participant)
    assert "述职报告待撰写和提交" not in labels(secretary)
    assert labels(role_users["reviewer"])["述职报告待我审核"] == 1
    client.force_login(role_users["reviewer"])
    for task in tasks_for(UserScope(role_users["reviewer"]), role_users["reviewer"]):
        assert client.get(task.url).status_code == 200


def test_paper_forms_waiting_for_entry_link_to_the_meeting(tree, role_users, client):
    from shuping.meetings import services as meeting_services
    from tests.meetings.conftest import build_hall

    hall = build_hall(tree)
    group = hall.campaign.evaluator_groups.get(code="DB")
    meeting_services.paper_forms_issue(actor=None, meeting=hall.meeting, group=group, count=3)
    admin = role_users["admin"]
    task = next(t for t in tasks_for(UserScope(admin), admin) if t.label == "纸质测评表待录入")
    assert task.count == 3
    client.force_login(admin)
    assert client.get(task.url).status_code == 200
    assert not [t for t in tasks_for(UserScope(role_users["reviewer"]), role_users["reviewer"])
                if t.label == "纸质测评表待录入"], "only those who enter ballots see it"


def test_star_self_assessment_waits_on_the_village_not_the_township(tree, unit_users, client):
    from shuping.stars import services as star_services

    criteria_set = star_services.criteria_set_create(actor=None, organiser=tree.county_a, year=2026)
    star_services.ratings_open(actor=None, criteria_set=criteria_set)
    village = unit_users["village_liaison"]
    task = next(t for t in tasks_for(UserScope(village), village) if t.label == "星级自评待提交")
    assert task.count == 1
    client.force_login(village)
    assert client.get(task.url).status_code == 200
    assert "星级自评待提交" not in labels(unit_users["town_sec"])

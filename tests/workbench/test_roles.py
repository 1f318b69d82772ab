"""Every role has a 工作台 that shows its own work and nobody else's (issue 14).

One county holds an item of work for each role at once; each role's 工作台 is rendered and read as
text: the task links on it must be exactly that role's.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from freezegun import freeze_time

from shuping.accounts.models import Role
from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import CampaignState
from shuping.levels import services as level_services
from shuping.meetings import services as meeting_services
from shuping.rectification import services as rectification_services
from shuping.reports import services as report_services
from shuping.reports.documents import parse_editor_text
from tests.builders import make_campaign
from tests.levels.conftest import launch

from .conftest import PNG, pushed_problem

pytestmark = pytest.mark.django_db
DAY = "2026-12-01 10:00:00+08:00"
MEETING_AT = datetime.datetime(2026, 12, 18, 9, 30, tzinfo=ZoneInfo("Asia/Shanghai"))

CLAIM = "问题待认领（巡察、督导等反馈）"
WRITE = "述职报告待撰写和提交"
REVIEW = "述职报告待我审核"
CRITIQUE = "述职点评待撰写"
ATTEND = "述职评议会待出席"
DELEGATE_ATTEND = "派员出席述职评议会（打分）"
DELEGATE_SPEECH = "上级点评待撰写"
VERIFY = "申请销号待核验"
PAPER = "纸质测评表待录入"
UNCLAIMED = "下发问题尚未被单位认领"
QUARTERLY = "2026年第4季度工作汇报待报送"
QUARTERLY_MISSING = "甲县委第4季度汇报未报送"

# Each role's own work in the county built below. The 组织部管理员 does the department's part —
# confirming, reviewing, verifying, entering paper forms, drafting 点评 — but never a unit's or a delegate's.
EXPECTED = {
    Role.REPORTER: {CLAIM, WRITE, QUARTERLY},
    Role.LIAISON: {CLAIM, QUARTERLY},
    Role.REVIEWER: {REVIEW},
    Role.LEADER: {CRITIQUE, ATTEND},
    Role.EVALUATOR: {DELEGATE_ATTEND, DELEGATE_SPEECH},
    Role.INSPECTOR: {VERIFY},
    Role.CLERK: {PAPER},
    Role.ADMIN: {UNCLAIMED, QUARTERLY_MISSING, REVIEW, CRITIQUE, VERIFY, PAPER},
}


def build_county(tree, role_users):
    """A pushed problem for 甲一镇, a campaign in review with 甲二镇's report submitted and the meeting
    set for 18 December, paper forms issued, an application for 销号 in 甲二镇, and the evaluator sent by
    the county to 甲一镇's own campaign of the 三级联动 plan."""
    pushed_problem(tree.town_a1)
    campaign = campaign_services.campaign_transition(actor=None, campaign=make_campaign(tree),
                                                     to_state=CampaignState.WRITING)
    other = campaign.participants.get(org=tree.town_a2)
    report_services.report_save(actor=None, participant=other, source="editor",
                                blocks=parse_editor_text("述职报告\n一、主要工作\n抓党建促发展。"))
    report_services.report_submit(actor=None, participant=other)
    campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.REVIEW)
    meeting = meeting_services.meeting_create(actor=None, campaign=campaign, place="甲县委常委会议室",
                                              held_at=MEETING_AT)
    meeting_services.paper_forms_issue(actor=None, meeting=meeting, group=campaign.evaluator_groups.get(code="DB"),
                                       count=2)
    problem = pushed_problem(tree.town_a2, "督导反馈：村级活动阵地管理不规范")
    rect = rectification_services.rectification_plan(actor=None, rectification=problem.rectification, owner=None,
                                                     measures="整改", deadline=datetime.date(2026, 12, 31))
    rectification_services.progress_add(actor=None, rectification=rect, text="已整改",
                                        files=[SimpleUploadedFile("a.png", PNG)])
    rectification_services.rectification_apply_close(actor=None, rectification=rect)
    plan = launch(tree)
    county = level_services.node_create(actor=None, parent=plan.nodes.get(parent__isnull=True),
                                        organiser=tree.county_a, meeting_date=datetime.date(2027, 1, 5))
    town = level_services.node_create(actor=None, parent=county, organiser=tree.town_a1,
                                      meeting_date=datetime.date(2026, 12, 20))
    level_services.delegation_appoint(actor=None, campaign=town.campaign, delegate=role_users["evaluator"],
                                      sent_by=tree.county_a)
    return campaign


def shown_tasks(client, user):
    client.force_login(user)
    html = client.get("/").content.decode()
    labels = {re.sub(r"\s+", " ", label).strip() for label in
              re.findall(r'class="[^"]*workbench-task"[^>]*>([^<]+)</a>', html)}
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
    return labels, text


@freeze_time(DAY)
def test_each_role_sees_exactly_its_own_work(tree, role_users, unit_users, client):
    build_county(tree, role_users)
    users = {Role.ADMIN: role_users["admin"], Role.REVIEWER: role_users["reviewer"],
             Role.REPORTER: unit_users["town_sec"], Role.LIAISON: unit_users["town_liaison"],
             Role.EVALUATOR: role_users["evaluator"], Role.LEADER: role_users["leader"],
             Role.INSPECTOR: role_users["inspector"], Role.CLERK: role_users["clerk"]}
    assert set(users) == set(Role), "every role in the system has a 工作台 case"
    for role, user in users.items():
        labels, text = shown_tasks(client, user)
        assert labels == EXPECTED[role], f"{role.label}: {sorted(labels)}"
        assert "暂无待办事项" not in text, role.label
    outsider = shown_tasks(client, role_users["outsider"])[0]
    assert outsider == {"乙县委第4季度汇报未报送"}, f"county B's admin sees none of county A: {outsider}"


@freeze_time(DAY)
def test_leader_sees_critiques_and_the_meeting_with_date_and_place(tree, role_users, client):
    campaign = build_county(tree, role_users)
    labels, text = shown_tasks(client, role_users["leader"])
    assert "点评与述职评议会（上级书记）" in text
    assert "2026-12-18 09:30，甲县委常委会议室" in text
    assert "已提交述职报告 1 份" in text
    assert "2026-12-18 到期（剩 17 天）" in text
    participant = campaign.participants.get(org=tree.town_a1)
    rectification_services.critique_save(actor=role_users["leader"], participant=participant, strengths="亮点",
                                         problems="", suggestions="建议", create_problems=False)
    html = client.get("/").content.decode()
    assert re.search(r'述职点评待撰写</a>.*?text-bg-primary">1</span>', html, re.S), "one 点评 left of two"
    client.force_login(role_users["leader"])
    for href in re.findall(r'<a class="[^"]*workbench-task" href="([^"]+)"', html):
        assert client.get(href).status_code == 200, href


@freeze_time(DAY)
def test_evaluator_is_sent_to_the_meeting_and_every_link_opens(tree, role_users, client):
    build_county(tree, role_users)
    labels, text = shown_tasks(client, role_users["evaluator"])
    assert "三级联动派员：出席、打分、点评" in text
    html = client.get("/").content.decode()
    links = re.findall(r'<a class="[^"]*workbench-task" href="([^"]+)"', html)
    assert links
    for href in links:
        assert client.get(href).status_code == 200, href


@freeze_time(DAY)
def test_overdue_critique_is_red_once_the_meeting_day_has_passed(tree, role_users, client):
    build_county(tree, role_users)
    with freeze_time("2026-12-20 10:00:00+08:00"):
        client.force_login(role_users["leader"])
        html = client.get("/").content.decode()
        text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))
        assert re.search(r'list-group-item-danger[^>]*>\s*<div>\s*<a class="fw-bold text-danger workbench-task"[^>]*>'
                         r"述职点评待撰写", html)
        assert "已逾期 2 天" in text
        assert ATTEND not in text, "a meeting that has been held is no longer to attend"


@freeze_time(DAY)
def test_published_results_are_listed_for_reading_not_counted(tree, role_users, unit_users, client):
    from tests.dashboards.conftest import publish

    campaign = make_campaign(tree, title="2025年度甲县抓基层党建述职评议考核", year=2025)
    publish(campaign, {tree.town_a1: "好", tree.town_a2: "较好"})
    for user in (role_users["leader"], unit_users["town_sec"]):
        labels, text = shown_tasks(client, user)
        assert "考核结果已发布" in labels and "近期发布的结果" in text, user
    labels, text = shown_tasks(client, unit_users["town_sec"])
    assert labels == {"考核结果已发布", QUARTERLY}
    assert "待办 1 项" in text, "a published result is no open work"
    assert re.search(r'工作台 <span class="badge[^"]*" title="待办事项">1</span>', client.get("/").content.decode())
    assert "考核结果已发布" not in shown_tasks(client, role_users["evaluator"])[0]
    assert "考核结果已发布" not in shown_tasks(client, unit_users["village_liaison"])[0]


@freeze_time(DAY)
def test_returned_data_sheet_goes_back_to_the_unit_and_spot_checks_to_the_inspector(tree, role_users, unit_users,
                                                                                 client):
    from shuping.registers import services as register_services

    sheet = register_services.sheet_save(actor=unit_users["town_liaison"], org=tree.town_a1, year=2026, values={},
                                         submit=True)
    assert "基础数据待确认" in shown_tasks(client, role_users["admin"])[0]
    assert "基础数据待确认" not in shown_tasks(client, role_users["inspector"])[0]
    register_services.sheet_return(actor=role_users["admin"], sheet=sheet, reason="党员人数与党统数据不符")
    labels, text = shown_tasks(client, unit_users["town_liaison"])
    assert "基础数据被退回，待修改" in labels and "党员人数与党统数据不符" in text
    assert "基础数据被退回，待修改" not in shown_tasks(client, unit_users["village_liaison"])[0]
    assert "基础数据待确认" not in shown_tasks(client, role_users["admin"])[0]

    problem = pushed_problem(tree.town_a2, "督导反馈：三会一课记录不全")
    rect = rectification_services.rectification_plan(actor=None, rectification=problem.rectification, owner=None,
                                                     measures="整改", deadline=datetime.date(2026, 12, 31))
    rectification_services.progress_add(actor=None, rectification=rect, text="已整改",
                                        files=[SimpleUploadedFile("a.png", PNG)])
    rectification_services.rectification_apply_close(actor=None, rectification=rect)
    rectification_services.rectification_verify(actor=role_users["inspector"], rectification=rect, approve=True)
    rectification_services.spot_check_create(actor=role_users["admin"], org=tree.county_a, percent=100)
    client.force_login(role_users["inspector"])
    html = client.get("/").content.decode()
    link = re.search(r'<a class="[^"]*workbench-task" href="([^"]+)">抽查事项待核查</a>', html)
    assert link and client.get(link.group(1)).status_code == 200
    assert "抽查事项待核查" not in shown_tasks(client, role_users["clerk"])[0]

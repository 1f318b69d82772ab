"""Issue 12 item 11: one person may not decide at two levels of the same report (by default);
levels name their reviewers (a person, or a role on an org); the demo uses four people."""

import types

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shuping.accounts.models import Role
from shuping.accounts.scope import UserScope
from shuping.campaigns import services as campaign_services
from shuping.reports import services
from shuping.reports.demo import build_demo_reports
from shuping.reports.documents import parse_editor_text
from shuping.reports.models import Report, ReportState, ReviewLevel, ReviewPlan

from ..builders import make_campaign, make_user
from ..reports.conftest import REPORT_V1

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(tree, role_users):
    campaign = make_campaign(tree)
    campaign_services.campaign_transition(actor=None, campaign=campaign, to_state="writing")
    participant = campaign.participants.get(org=tree.town_a1)
    services.report_save(actor=role_users["reporter"], participant=participant, blocks=parse_editor_text(REPORT_V1),
                         source="editor")
    services.report_submit(actor=role_users["reporter"], participant=participant)
    return participant


def _decide(participant, user, level, decision="approve", comment="同意"):
    return services.report_review(actor=user, scope=UserScope(user), participant=participant, level_order=level,
                                  decision=decision, comment=comment)


def test_one_reviewer_cannot_approve_through_every_unassigned_level(submitted, role_users):
    reviewer = role_users["reviewer"]
    _decide(submitted, reviewer, 1)
    with pytest.raises(ValidationError, match="同一人不能在同一报告的两个级次"):
        _decide(submitted, reviewer, 2)
    with pytest.raises(ValidationError, match="两个级次"):
        _decide(submitted, reviewer, 2, "return", "请补充数据")  # returning is deciding too
    report = Report.objects.get(participant=submitted)
    assert report.current_level == 2 and report.state == ReportState.SUBMITTED
    # The review queue no longer offers him the report.
    from shuping.reports.selectors import review_queue

    assert report.pk not in [r.pk for r in review_queue(UserScope(reviewer), reviewer)]


def test_four_levels_take_four_people(submitted, role_users, tree):
    people = [role_users["reviewer"]] + [make_user(f"rv{i}", Role.REVIEWER, tree.county_a) for i in (2, 3, 4)]
    for level, person in enumerate(people, start=1):
        _decide(submitted, person, level)
    report = Report.objects.get(participant=submitted)
    assert report.state == ReportState.APPROVED
    assert len({a.actor_id for a in report.actions.filter(decision="approve")}) == 4


def test_a_campaign_may_allow_one_person_at_several_levels(submitted, role_users):
    ReviewPlan.objects.update_or_create(campaign=submitted.campaign, defaults={"separate_levels": False})
    for level in (1, 2, 3, 4):
        _decide(submitted, role_users["reviewer"], level)
    assert Report.objects.get(participant=submitted).state == ReportState.APPROVED


def test_a_level_may_name_a_role_on_an_org(submitted, role_users, tree):
    level = ReviewLevel.objects.get(campaign=submitted.campaign, order=1)
    level.reviewer_role, level.reviewer_org = Role.ADMIN, tree.county_a
    level.save()
    with pytest.raises(ValidationError, match="不是本级审核人"):
        _decide(submitted, role_users["reviewer"], 1)  # review rights, but not the named role
    _decide(submitted, role_users["admin"], 1)  # 组织部管理员 @ 甲县委
    assert Report.objects.get(participant=submitted).current_level == 2


def test_chain_page_names_a_role_and_keeps_separation_on_by_default(client, tree, role_users):
    campaign = make_campaign(tree)
    client.force_login(role_users["admin"])
    url = reverse("reports:chain", kwargs={"pk": campaign.pk})
    page = client.get(url).content.decode()
    assert "审核人 @ 甲县委" in page and "同一人不得在同一报告的两级审核" in page
    data = {"level-TOTAL_FORMS": "2", "level-INITIAL_FORMS": "0", "level-MIN_NUM_FORMS": "0",
            "level-MAX_NUM_FORMS": "8", "resubmit_from": "first", "separate_levels": "on",
            "level-0-name": "党建办主任", "level-0-deadline_days": "3", "level-0-reviewer_group": f"reviewer@{tree.county_a.pk}",
            "level-1-name": "组织部长", "level-1-deadline_days": "3", "level-1-assignee": role_users["admin"].pk}
    assert client.post(url, data).status_code == 302
    first, second = ReviewLevel.objects.filter(campaign=campaign).order_by("order")
    assert (first.reviewer_role, first.reviewer_org_id, first.assignee_id) == ("reviewer", tree.county_a.pk, None)
    assert second.assignee_id == role_users["admin"].pk
    assert ReviewPlan.objects.get(campaign=campaign).separate_levels
    detail = client.get(reverse("reports:campaign", kwargs={"pk": campaign.pk})).content.decode()
    assert "甲县委审核人" in detail and "同一人不得在同一报告的两级审核" in detail


def test_demo_assigns_four_different_reviewers(tree, role_users):
    campaign = make_campaign(tree, title="2026年度清河县抓基层党建述职评议考核",
                             participants=[tree.town_a1, tree.town_a2, tree.village_a1])
    campaign_services.campaign_transition(actor=None, campaign=campaign, to_state="writing")
    context = types.SimpleNamespace(users={"reviewer": ("reviewer", ""), "reporter": ("reporter", "")})
    build_demo_reports(context)
    assignees = list(ReviewLevel.objects.filter(campaign=campaign).order_by("order").values_list("assignee", flat=True))
    assert len(assignees) == 4 and None not in assignees and len(set(assignees)) == 4
    approved = Report.objects.get(state=ReportState.APPROVED)
    actors = list(approved.actions.filter(decision="approve").order_by("level_order").values_list("actor", flat=True))
    assert actors == assignees
    assert "reviewer2" in [username for username, _ in context.users.values()]

import types

import pytest
from django.core.exceptions import ValidationError

from shuping.accounts.models import Role
from shuping.accounts.scope import UserScope
from shuping.audit.models import AuditEntry
from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import CampaignState
from shuping.reports import selectors, services
from shuping.reports.documents import parse_editor_text
from shuping.reports.models import Report, ReportState, ReportVersion, ResubmitFrom

from ..builders import make_user
from .conftest import REPORT_V1, approve, level_reviewer

pytestmark = pytest.mark.django_db


def _save(participant, user, text):
    return services.report_save(actor=user, participant=participant, blocks=parse_editor_text(text), source="editor")


def test_every_save_is_a_new_version_and_old_versions_stay(written, role_users):
    reporter = role_users["reporter"]
    _save(written, reporter, REPORT_V1 + "补充一段新的内容。\n")
    versions = list(ReportVersion.objects.filter(report__participant=written).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert "补充一段新的内容" not in versions[0].text
    assert "补充一段新的内容" in versions[1].text
    assert AuditEntry.objects.filter(action="report.save").count() == 2


def test_saving_identical_content_is_refused(written, role_users):
    with pytest.raises(ValidationError, match="相同"):
        _save(written, role_users["reporter"], REPORT_V1)


def test_writing_needs_the_writing_or_review_stage(tree, role_users):
    from ..builders import make_campaign

    campaign = make_campaign(tree, title="草稿考核")
    participant = campaign.participants.first()
    with pytest.raises(ValidationError, match="报告撰写"):
        _save(participant, role_users["reporter"], REPORT_V1)


def test_four_level_chain_approves_and_locks(submitted, role_users):
    reviewer = role_users["reviewer"]
    report = Report.objects.get(participant=submitted)
    assert report.state == ReportState.SUBMITTED and report.current_level == 1
    assert report.state_label == "已提交（待第1级审核）"
    for level in (1, 2, 3):
        approve(submitted, reviewer, level)
        report.refresh_from_db()
        assert report.current_level == level + 1
    assert selectors.approved_report_text(submitted) is None
    approve(submitted, reviewer, 4, "同意")
    report.refresh_from_db()
    assert report.state == ReportState.APPROVED and report.is_locked
    assert report.approved_version.number == 1
    assert "红色代办" in selectors.approved_report_text(submitted)
    assert selectors.approved_report(submitted) == report.approved_version
    assert [a.decision for a in report.actions.all()] == ["submit", "approve", "approve", "approve", "approve"]
    with pytest.raises(ValidationError, match="锁定"):
        _save(submitted, role_users["reporter"], REPORT_V1 + "再改一下\n")
    with pytest.raises(ValidationError, match="已通过"):
        services.report_submit(actor=role_users["reporter"], participant=submitted)


def test_return_with_passage_comment_then_resubmit_restarts_at_level_one(submitted, role_users):
    reviewer = role_users["reviewer"]
    approve(submitted, reviewer, 1)
    second = level_reviewer(reviewer, 2)
    action = services.report_review(
        actor=second, scope=UserScope(second), participant=submitted, level_order=2, decision="return",
        comment="请补充上年度问题整改情况",
        passages=[{"quote": "取得明显成效", "comment": "成效是什么？请用数据说明"}],
    )
    report = Report.objects.get(participant=submitted)
    assert report.state == ReportState.RETURNED and report.returned_level == 2
    passage = action.passages.get()
    assert report.submitted_version.text[passage.start:passage.end] == "取得明显成效"
    assert passage.version == report.submitted_version
    assert AuditEntry.objects.filter(action="report.return").exists()
    _save(submitted, role_users["reporter"], REPORT_V1.replace("取得明显成效", "新建阵地4个"))
    services.report_submit(actor=role_users["reporter"], participant=submitted)
    report.refresh_from_db()
    assert report.state == ReportState.SUBMITTED and report.current_level == 1
    assert report.submitted_version.number == 2


def test_resubmission_can_continue_at_the_returning_level(submitted, campaign, role_users):
    services.ReviewPlan.objects.update_or_create(campaign=campaign, defaults={"resubmit_from": ResubmitFrom.RETURNING})
    reviewer = role_users["reviewer"]
    approve(submitted, reviewer, 1)
    approve(submitted, reviewer, 2)
    third = level_reviewer(reviewer, 3)
    services.report_review(actor=third, scope=UserScope(third), participant=submitted, level_order=3,
                           decision="return", comment="数据不实")
    _save(submitted, role_users["reporter"], REPORT_V1 + "已核实数据。\n")
    report = services.report_submit(actor=role_users["reporter"], participant=submitted)
    assert report.current_level == 3


def test_return_needs_a_comment_and_a_findable_quote(submitted, role_users):
    reviewer = role_users["reviewer"]
    scope = UserScope(reviewer)
    with pytest.raises(ValidationError, match="修改意见"):
        services.report_review(actor=reviewer, scope=scope, participant=submitted, level_order=1, decision="return")
    with pytest.raises(ValidationError, match="找不到"):
        services.report_review(actor=reviewer, scope=scope, participant=submitted, level_order=1, decision="return",
                               passages=[{"quote": "报告里没有这句话", "comment": "?"}])


def test_reviewer_cannot_act_on_another_level_or_a_draft(written, role_users):
    reviewer = role_users["reviewer"]
    with pytest.raises(ValidationError, match="不能审核"):
        approve(written, reviewer, 1)
    services.report_submit(actor=role_users["reporter"], participant=written)
    with pytest.raises(ValidationError, match="第1级"):
        approve(written, reviewer, 2)
    approve(written, reviewer, 1)
    with pytest.raises(ValidationError, match="第2级"):
        approve(written, reviewer, 1)  # a stale second click on the same level


def test_assigned_level_only_for_the_assignee(submitted, campaign, role_users, tree):
    reviewer = role_users["reviewer"]
    other = make_user("reviewer2", Role.REVIEWER, tree.county_a)
    level = campaign.review_levels.get(order=1)
    level.assignee = other
    level.save()
    with pytest.raises(ValidationError, match="不是本级审核人"):
        approve(submitted, reviewer, 1)
    approve(submitted, other, 1)


def test_reviewer_of_another_county_cannot_act(submitted, tree):
    stranger = make_user("stranger", Role.REVIEWER, tree.county_b)
    with pytest.raises(ValidationError, match="不是本级审核人"):
        approve(submitted, stranger, 1)


def test_chain_is_configurable_until_the_first_submission(campaign, written, role_users):
    admin = role_users["admin"]
    levels = services.review_chain_set(actor=admin, campaign=campaign, levels=[
        {"name": "党建办主任", "deadline_days": 2}, {"name": "组织部长", "deadline_days": 4},
    ], resubmit_from=ResubmitFrom.FIRST)
    assert [lv.name for lv in levels] == ["党建办主任", "组织部长"]
    services.report_submit(actor=role_users["reporter"], participant=written)
    assert not services.chain_editable(campaign)
    with pytest.raises(ValidationError, match="不能再修改"):
        services.review_chain_set(actor=admin, campaign=campaign, levels=[{"name": "书记", "deadline_days": 1}])
    reviewer = role_users["reviewer"]
    approve(written, reviewer, 1)
    approve(written, reviewer, 2)
    assert Report.objects.get(participant=written).state == ReportState.APPROVED


def test_review_is_closed_once_the_meeting_starts(submitted, campaign, role_users):
    campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.REVIEW)
    approve(submitted, role_users["reviewer"], 1)  # the 审核 stage still allows it
    # The transition guard keeps a campaign with reports in review out of the meeting; force the
    # state here to prove the review service refuses on its own as well.
    type(campaign).objects.filter(pk=campaign.pk).update(state=CampaignState.MEETING)
    with pytest.raises(ValidationError, match="会议"):
        approve(submitted, role_users["reviewer"], 2)


def test_prior_problems_fall_back_to_none_without_the_rectification_selector(written, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "shuping.rectification.selectors", None)  # import raises ImportError
    assert selectors.prior_problems(written) == []
    monkeypatch.setitem(sys.modules, "shuping.rectification.selectors", types.SimpleNamespace())
    assert selectors.prior_problems(written) == []  # module without the function


def test_prior_problems_come_from_the_rectification_selector(written, monkeypatch):
    import sys

    fake = types.SimpleNamespace(prior_problems_for=lambda p: [types.SimpleNamespace(description="阵地建设滞后")])
    monkeypatch.setitem(sys.modules, "shuping.rectification.selectors", fake)
    assert selectors.prior_problems(written) == ["阵地建设滞后"]
    version = ReportVersion.objects.get(report__participant=written)
    analysis = selectors.analysis_for(version, written)
    assert [p["problem"] for p in analysis["prior_problems"]] == ["阵地建设滞后"]


def test_analysis_reads_topics_in_the_wording_of_the_org_sector(written):
    version = ReportVersion.objects.get(report__participant=written)
    ReportVersion.objects.filter(pk=version.pk).update(text="一、主要做法\n全年开展义诊12场，组织医德医风专题教育3次。\n")
    version.refresh_from_db()
    org = written.org
    org.sector = ""
    org.save(update_fields=["sector"])
    plain = {t["topic"]: t["degree"] for t in selectors.analysis_for(version, written)["topics"]}
    assert plain["作风建设"] == "absent"
    org.sector = "hospital"
    org.save(update_fields=["sector"])
    # The sector is part of the cache key: changing it re-checks the same version.
    hospital = {t["topic"]: t["degree"] for t in selectors.analysis_for(version, written)["topics"]}
    assert hospital["作风建设"] == "covered" and hospital["服务群众"] == "covered"

"""Writes for reports: saving versions, the review chain, and the chain's configuration.

Campaign states that allow writing, submitting and reviewing: 报告撰写 and 审核
(WRITABLE_CAMPAIGN_STATES). Before that the campaign is still being set up; from the
meeting on, the approved versions are what the meeting sees and nothing may change.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from shuping.audit.services import log_action
from shuping.campaigns.models import Campaign, CampaignState, Participant
from shuping.clock import now

from .documents import blocks_to_text
from .models import (
    PassageComment,
    Report,
    ReportState,
    ReportVersion,
    ResubmitFrom,
    ReviewAction,
    ReviewDecision,
    ReviewLevel,
    ReviewPlan,
)

WRITABLE_CAMPAIGN_STATES = (CampaignState.WRITING, CampaignState.REVIEW)
CHAIN_EDITABLE_CAMPAIGN_STATES = (CampaignState.DRAFT, CampaignState.WRITING)
DEFAULT_LEVELS = [("党建科室负责人", 3), ("分管副部长", 3), ("组织部长", 3), ("书记", 5)]
MAX_LEVELS = 8


class ReportError(ValidationError):
    pass


def _actor_name(actor) -> str:
    if getattr(actor, "is_authenticated", False):
        return actor.get_full_name() or actor.first_name or actor.get_username()
    return str(actor or "系统")


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _require_campaign_open(campaign: Campaign, what: str) -> None:
    # Re-read: the caller's copy may predate a transition to the meeting.
    campaign = Campaign.objects.only("state").get(pk=campaign.pk)
    if campaign.state not in WRITABLE_CAMPAIGN_STATES:
        raise ReportError(f"考核处于“{CampaignState(campaign.state).label}”阶段，不能{what}（仅“报告撰写”和“审核”阶段可以）")


# --- review chain configuration -------------------------------------------------------------


def review_plan_get(campaign: Campaign) -> ReviewPlan:
    plan = ReviewPlan.objects.filter(campaign=campaign).first()
    return plan or ReviewPlan(campaign=campaign)


def chain_editable(campaign: Campaign) -> bool:
    """The chain may change until the first report enters it."""
    return (
        campaign.state in CHAIN_EDITABLE_CAMPAIGN_STATES
        and not ReviewAction.objects.filter(report__participant__campaign=campaign).exists()
    )


@transaction.atomic
def review_chain_ensure(*, actor, campaign: Campaign) -> list[ReviewLevel]:
    """Create the default four levels the first time a campaign needs its chain."""
    levels = list(ReviewLevel.objects.filter(campaign=campaign).order_by("order"))
    if levels:
        return levels
    # Lock the campaign row so two first submissions do not both create the defaults.
    Campaign.objects.select_for_update().get(pk=campaign.pk)
    levels = list(ReviewLevel.objects.filter(campaign=campaign).order_by("order"))
    if levels:
        return levels
    levels = [
        ReviewLevel.objects.create(campaign=campaign, order=i, name=name, deadline_days=days)
        for i, (name, days) in enumerate(DEFAULT_LEVELS, start=1)
    ]
    log_action("report.chain_default", actor=actor, obj=campaign, org=campaign.organiser,
               after={"levels": [lv.name for lv in levels]})
    return levels


@transaction.atomic
def review_chain_set(*, actor, campaign: Campaign, levels: list[dict], submission_deadline=None,
                     resubmit_from: str = ResubmitFrom.FIRST, separate_levels: bool = True) -> list[ReviewLevel]:
    """Replace the chain. `levels` are dicts with name, deadline_days and the level's reviewers:
    assignee (a person) or reviewer_role + reviewer_org (a role on an org), in order."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not chain_editable(campaign):
        raise ReportError("已有报告进入审核流程（或考核已进入审核阶段），审核流程不能再修改")
    if not levels:
        raise ReportError("至少需要一级审核")
    if len(levels) > MAX_LEVELS:
        raise ReportError(f"审核级次不能超过 {MAX_LEVELS} 级")
    names = [(lv.get("name") or "").strip() for lv in levels]
    if not all(names):
        raise ReportError("每一级都要填写审核人（岗位）名称")
    before = {
        "levels": list(ReviewLevel.objects.filter(campaign=campaign).values_list("name", "deadline_days", "assignee_id")),
    }
    old_plan = review_plan_get(campaign)
    before.update(submission_deadline=old_plan.submission_deadline, resubmit_from=old_plan.resubmit_from,
                  separate_levels=old_plan.separate_levels)
    ReviewLevel.objects.filter(campaign=campaign).delete()
    created = [
        ReviewLevel.objects.create(
            campaign=campaign, order=i, name=name, deadline_days=int(lv.get("deadline_days") or 0),
            assignee=lv.get("assignee"), reviewer_role=lv.get("reviewer_role") or "",
            reviewer_org=lv.get("reviewer_org"),
        )
        for i, (name, lv) in enumerate(zip(names, levels, strict=True), start=1)
    ]
    ReviewPlan.objects.update_or_create(
        campaign=campaign, defaults={"submission_deadline": submission_deadline, "resubmit_from": resubmit_from,
                                     "separate_levels": separate_levels}
    )
    log_action("report.chain_set", actor=actor, obj=campaign, org=campaign.organiser, before=before, after={
        "levels": [(lv.name, lv.deadline_days, lv.assignee_id, lv.reviewer_role, lv.reviewer_org_id) for lv in created],
        "submission_deadline": submission_deadline, "resubmit_from": resubmit_from, "separate_levels": separate_levels,
    })
    return created


# --- writing ----------------------------------------------------------------------------------


def _report_for_update(participant: Participant) -> Report:
    report, _ = Report.objects.get_or_create(participant=participant)
    # Lock: a save racing a submit must not slip a new version past the submitted one.
    return Report.objects.select_for_update().get(pk=report.pk)


def _add_version(report: Report, *, actor, blocks: list[dict], source: str, filename: str = "") -> ReportVersion:
    text = blocks_to_text(blocks)
    if not text.strip():
        raise ReportError("报告内容为空")
    number = (report.versions.aggregate(m=Max("number"))["m"] or 0) + 1
    version = ReportVersion.objects.create(
        report=report, number=number, blocks=blocks, text=text, source=source, filename=filename[:255],
        created_at=now(), created_by=_user(actor),
    )
    participant = report.participant
    log_action("report.save", actor=actor, obj=report, org=participant.org,
               after={"version": number, "source": source, "filename": filename, "chars": version.char_count})
    return version


@transaction.atomic
def report_save(*, actor, participant: Participant, blocks: list[dict], source: str, filename: str = "") -> ReportVersion:
    """Store a new version; earlier versions stay as they were."""
    _require_campaign_open(participant.campaign, "撰写报告")
    report = _report_for_update(participant)
    if report.state == ReportState.APPROVED:
        raise ReportError("报告已审核通过并锁定，不能再修改")
    if report.state == ReportState.SUBMITTED:
        raise ReportError("报告正在审核中，退回后才能修改")
    latest = report.latest_version()
    if latest is not None and latest.blocks == blocks:
        raise ReportError("内容与上一版相同，未保存新版本")
    return _add_version(report, actor=actor, blocks=blocks, source=source, filename=filename)


def _start_level(report: Report) -> int:
    plan = review_plan_get(report.participant.campaign)
    if report.returned_level and plan.resubmit_from == ResubmitFrom.RETURNING:
        return report.returned_level
    return 1


def _submit(report: Report, *, actor) -> Report:
    version = report.latest_version()
    if version is None:
        raise ReportError("请先撰写或上传报告")
    campaign = report.participant.campaign
    levels = review_chain_ensure(actor=actor, campaign=campaign)
    level = min(_start_level(report), len(levels))
    at = now()
    before = report.state
    report.state = ReportState.SUBMITTED
    report.current_level = level
    report.level_started_at = at
    report.submitted_version = version
    report.first_submitted_at = report.first_submitted_at or at
    report.save()
    ReviewAction.objects.create(report=report, version=version, decision=ReviewDecision.SUBMIT,
                                actor=_user(actor), actor_name=_actor_name(actor), at=at)
    log_action("report.submit", actor=actor, obj=report, org=report.participant.org,
               before={"state": before}, after={"state": report.state, "level": level, "version": version.number})
    return report


@transaction.atomic
def report_submit(*, actor, participant: Participant) -> Report:
    _require_campaign_open(participant.campaign, "提交报告")
    report = _report_for_update(participant)
    if report.state not in (ReportState.DRAFT, ReportState.RETURNED):
        raise ReportError(f"报告当前状态为“{report.state_label}”，不能提交")
    return _submit(report, actor=actor)


# --- reviewing --------------------------------------------------------------------------------


def level_names_user(level: ReviewLevel, user) -> bool:
    """Whether the level's named reviewers include `user`: the assigned person, or a holder of
    the named role on the named org (or on an org above it); an unnamed level names everyone."""
    if level.assignee_id is not None:
        return level.assignee_id == user.pk
    if level.reviewer_role and level.reviewer_org_id:
        from shuping.accounts.models import RoleGrant

        orgs = [*level.reviewer_org.ancestors(), level.reviewer_org]
        return RoleGrant.objects.filter(user_id=user.pk, role=level.reviewer_role, org__in=orgs).exists()
    return True


def may_act_on_level(scope, user, campaign: Campaign, level: ReviewLevel | None) -> bool:
    if level is None or not scope.covers(campaign.organiser, "report.review"):
        return False
    return level_names_user(level, user)


def level_already_acted(report: Report, user, level_order: int) -> int | None:
    """Separation of duties: the other level at which `user` already decided on this report
    (None when they have not, or when the campaign allows one person at several levels)."""
    if not review_plan_get(report.participant.campaign).separate_levels:
        return None
    return (
        ReviewAction.objects.filter(report=report, actor_id=user.pk,
                                    decision__in=[ReviewDecision.APPROVE, ReviewDecision.RETURN])
        .exclude(level_order=level_order).values_list("level_order", flat=True).first()
    )


def may_review(scope, user, report: Report | None, level: ReviewLevel | None) -> bool:
    """What the review page offers: a named reviewer of the level who has not acted at another."""
    return (
        report is not None and level is not None
        and may_act_on_level(scope, user, report.participant.campaign, level)
        and level_already_acted(report, user, level.order) is None
    )


def locate_passage(text: str, quote: str, hint: int | None = None) -> tuple[int, int] | None:
    """Offsets of `quote` in `text`; with several occurrences the one nearest to `hint`."""
    quote = quote.strip()
    if not quote:
        return None
    hits = []
    start = text.find(quote)
    while start != -1:
        hits.append(start)
        start = text.find(quote, start + 1)
    if not hits:
        return None
    best = min(hits, key=lambda s: abs(s - hint)) if hint is not None else hits[0]
    return best, best + len(quote)


def _review(report: Report, *, actor, level: ReviewLevel, decision: str, comment: str,
            passages: list[dict]) -> ReviewAction:
    version = report.submitted_version
    comment = (comment or "").strip()
    located = []
    for item in passages:
        quote, note = (item.get("quote") or "").strip(), (item.get("comment") or "").strip()
        if not quote and not note:
            continue
        if not quote or not note:
            raise ReportError("批注需要同时填写引用的原文和批注意见")
        span = locate_passage(version.text, quote, item.get("hint"))
        if span is None:
            raise ReportError(f"在报告中找不到引用的原文“{quote[:30]}”，请直接从报告中复制")
        located.append((quote, note, span))
    if decision == ReviewDecision.RETURN and not (comment or located):
        raise ReportError("退回修改时请填写修改意见")
    at = now()
    action = ReviewAction.objects.create(
        report=report, version=version, decision=decision, level_order=level.order, level_name=level.name,
        comment=comment, actor=_user(actor), actor_name=_actor_name(actor), at=at,
    )
    for quote, note, (start, end) in located:
        PassageComment.objects.create(action=action, version=version, quote=quote, start=start, end=end, comment=note)
    before = {"state": report.state, "level": report.current_level}
    if decision == ReviewDecision.APPROVE:
        last = report.participant.campaign.review_levels.aggregate(m=Max("order"))["m"]
        if level.order >= last:
            report.state = ReportState.APPROVED
            report.current_level = None
            report.level_started_at = None
            report.approved_version = version
            report.approved_at = at
            report.returned_level = None
        else:
            report.current_level = level.order + 1
            report.level_started_at = at
    elif decision == ReviewDecision.RETURN:
        report.state = ReportState.RETURNED
        report.returned_level = level.order
        report.current_level = None
        report.level_started_at = None
    else:
        raise ReportError("未知的审核结果")
    report.save()
    log_action(f"report.{decision}", actor=actor, obj=report, org=report.participant.org, before=before, after={
        "state": report.state, "level": report.current_level, "version": version.number, "comment": comment,
        "passages": [{"quote": q, "comment": n, "span": [s, e]} for q, n, (s, e) in located],
    })
    return action


@transaction.atomic
def report_review(*, actor, scope, participant: Participant, level_order: int, decision: str,
                  comment: str = "", passages: list[dict] = ()) -> ReviewAction:
    """Approve or return at one level. `level_order` is the level the reviewer saw: if the
    report moved on meanwhile the action is refused instead of landing on another level."""
    campaign = participant.campaign
    _require_campaign_open(campaign, "审核报告")
    report = Report.objects.filter(participant=participant).first()
    if report is None:
        raise ReportError("该述职人尚未撰写报告")
    # Lock the report row: two reviewers of the same level pressing at once must not
    # both advance it (the second one sees the new level and is refused).
    report = Report.objects.select_for_update().get(pk=report.pk)
    if report.state != ReportState.SUBMITTED:
        raise ReportError(f"报告当前状态为“{report.state_label}”，不能审核")
    if report.current_level != level_order:
        raise ReportError(f"报告现在待第{report.current_level}级审核，不是第{level_order}级，请刷新页面")
    level = ReviewLevel.objects.filter(campaign=campaign, order=level_order).first()
    if not may_act_on_level(scope, actor, campaign, level):
        raise ReportError("您不是本级审核人，不能办理")
    earlier = level_already_acted(report, actor, level_order)
    if earlier is not None:
        raise ReportError(f"您已在第{earlier}级审核过这份报告：同一人不能在同一报告的两个级次把关，请由本级其他审核人办理")
    return _review(report, actor=actor, level=level, decision=decision, comment=comment, passages=list(passages))


def _guard_reviews_finished(campaign: Campaign) -> list[str]:
    """The meeting hears approved reports: none may still sit in the review chain.

    Drafts and returned reports do not block (a unit may report orally or on paper), and a
    county that does not use the report module has no reports at all.
    """
    # A 班子成员's written 述职 does not go to the meeting and does not hold it up.
    pending = Report.objects.filter(participant__campaign=campaign, participant__kind="unit",
                                    state=ReportState.SUBMITTED).count()
    return [f"尚有 {pending} 份述职报告在审核中，请审核完毕后再进入述职评议会"] if pending else []


def register_guards() -> None:
    from shuping.campaigns.models import CampaignState
    from shuping.campaigns.services import TRANSITION_GUARDS

    guards = TRANSITION_GUARDS.setdefault((CampaignState.REVIEW, CampaignState.MEETING), [])
    if _guard_reviews_finished not in guards:
        guards.append(_guard_reviews_finished)

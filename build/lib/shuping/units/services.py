"""Writes for the unit's own part and the superior's confirmations. Each write is row-locked
where the unit and the superior can act at the same moment, and audited."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from shuping.audit.services import log_action, snapshot
from shuping.clock import local_date, now, today
from shuping.rectification import evidence as evidence_files
from shuping.rectification import services as rectification_services
from shuping.rectification.models import Category, Problem, Rectification, Severity, Source, Status
from shuping.routine import services as routine_services
from shuping.routine.models import CircularState, QuarterlyCircular, ResponsibilityItem

from .models import Claim, PlanState, QuarterlyReport, ResponsibilityUpdate, UnitPlan, UpdateState

# Sources whose problems are pushed to a unit by someone else and must be claimed (认领).
PUSHED_SOURCES = (Source.TOUR, Source.INSPECTION, Source.CRITIQUE, Source.PUBLIC, Source.CARRY_OVER)
PLAN_FIELDS = ["owner", "measures", "deadline", "state", "return_reason"]


class UnitError(ValidationError):
    pass


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# ---- problems: 自己查 and 认领 -----------------------------------------------------------------


@transaction.atomic
def problem_register_own(*, actor, org, description: str, category: str = Category.OTHER,
                         severity: str = Severity.NORMAL, found_on: datetime.date | None = None) -> Problem:
    """A problem the unit found itself (自己查); it is the unit's from the start, so it is claimed."""
    if found_on is not None and found_on > today():
        raise UnitError("发现日期不能晚于今天")
    problem = rectification_services.problem_create(
        actor=actor, org=org, description=description, source=Source.SELF, category=category, severity=severity,
        found_on=found_on)
    Claim.objects.create(problem=problem, claimed_by=_user(actor), claimed_at=now(), note="本单位自查发现")
    return problem


@transaction.atomic
def problem_claim(*, actor, problem: Problem, note: str = "") -> Claim:
    """认领: the unit takes on a problem pushed to it. Claiming twice is refused, not duplicated."""
    if problem.rectification.status == Status.CLOSED:
        raise UnitError("该问题已销号，无需认领")
    try:
        # The unique problem column decides a race between the secretary and the liaison.
        with transaction.atomic():
            claim = Claim.objects.create(problem=problem, claimed_by=_user(actor), claimed_at=now(),
                                         note=(note or "").strip()[:300])
    except IntegrityError:
        raise UnitError("该问题已被认领") from None
    log_action("unit.problem_claim", actor=actor, obj=problem, org=problem.org, after={"note": claim.note})
    return claim


def _require_other_reviewer(actor, submitted_by) -> None:
    """Whoever sent the work up does not also confirm it, even when holding both roles."""
    if submitted_by is not None and getattr(actor, "pk", None) == submitted_by.pk:
        raise UnitError("不能审核本人报送的内容，请由上级其他人员审核")


def _ensure_claimed(*, actor, problem: Problem) -> None:
    if not Claim.objects.filter(problem=problem).exists():
        problem_claim(actor=actor, problem=problem, note="制定整改方案时认领")


# ---- 整改方案: written by the unit, approved or returned by the superior ----------------------


def _lock_plan(rectification: Rectification) -> UnitPlan:
    # The unit editing and the superior reviewing may meet; decide on the locked, current row.
    plan, _ = UnitPlan.objects.get_or_create(rectification=rectification, defaults={"updated_at": now()})
    return UnitPlan.objects.select_for_update(of=("self",)).select_related(
        "rectification__problem", "rectification__org").get(pk=plan.pk)


@transaction.atomic
def plan_save(*, actor, rectification: Rectification, owner, measures: str, deadline: datetime.date | None,
              submit: bool = False) -> UnitPlan:
    """Save the unit's 整改方案 as a draft, or submit it for the superior's approval."""
    if rectification.problem_id is None:
        raise UnitError("共性问题的整改方案由牵头单位制定")
    if rectification.status == Status.CLOSED:
        raise UnitError("已销号的问题不能再修改整改方案")
    plan = _lock_plan(rectification)
    if plan.state == PlanState.SUBMITTED:
        raise UnitError("整改方案已报送，正在等待上级审核")
    if plan.state == PlanState.APPROVED:
        raise UnitError("整改方案已批准；如需调整请联系上级组织部门")
    measures = (measures or "").strip()
    if submit and not measures:
        raise UnitError("请填写整改措施")
    if submit and deadline is None:
        raise UnitError("请填写整改时限")
    if submit and deadline < today():
        raise UnitError("整改时限不能早于今天")
    before = snapshot(plan, PLAN_FIELDS)
    plan.owner, plan.measures, plan.deadline = owner, measures, deadline
    if submit:
        plan.state, plan.submitted_at, plan.submitted_by = PlanState.SUBMITTED, now(), _user(actor)
    plan.updated_at = now()
    plan.save()
    if submit:
        _ensure_claimed(actor=actor, problem=rectification.problem)
    log_action("unit.plan_submit" if submit else "unit.plan_save", actor=actor, obj=rectification,
               org=rectification.org, before=before, after=snapshot(plan, PLAN_FIELDS))
    return plan


@transaction.atomic
def plan_approve(*, actor, plan: UnitPlan) -> UnitPlan:
    """批准: the plan becomes the rectification's plan (owner, measures, deadline)."""
    plan = _lock_plan(plan.rectification)
    if plan.state != PlanState.SUBMITTED:
        raise UnitError("只有待审核的整改方案才能批准")
    _require_other_reviewer(actor, plan.submitted_by)
    rectification_services.rectification_plan(actor=actor, rectification=plan.rectification, owner=plan.owner,
                                               measures=plan.measures, deadline=plan.deadline)
    plan.state, plan.reviewed_at, plan.reviewed_by, plan.return_reason = PlanState.APPROVED, now(), _user(actor), ""
    plan.updated_at = now()
    plan.save()
    log_action("unit.plan_approve", actor=actor, obj=plan.rectification, org=plan.rectification.org,
               before={"state": PlanState.SUBMITTED}, after={"state": PlanState.APPROVED})
    return plan


@transaction.atomic
def plan_return(*, actor, plan: UnitPlan, reason: str) -> UnitPlan:
    """退回: the unit revises and submits again; the reason is required and kept."""
    plan = _lock_plan(plan.rectification)
    if plan.state != PlanState.SUBMITTED:
        raise UnitError("只有待审核的整改方案才能退回")
    _require_other_reviewer(actor, plan.submitted_by)
    reason = (reason or "").strip()
    if not reason:
        raise UnitError("退回整改方案必须说明理由")
    plan.state, plan.reviewed_at, plan.reviewed_by, plan.return_reason = PlanState.RETURNED, now(), _user(actor), reason
    plan.updated_at = now()
    plan.save()
    log_action("unit.plan_return", actor=actor, obj=plan.rectification, org=plan.rectification.org,
               before={"state": PlanState.SUBMITTED}, after={"state": PlanState.RETURNED, "reason": reason})
    return plan


# ---- responsibility list: the unit reports, the superior confirms ------------------------------


@transaction.atomic
def responsibility_update_submit(*, actor, item: ResponsibilityItem, achieved_value: Decimal, note: str,
                                 upload=None) -> ResponsibilityUpdate:
    if achieved_value is None or achieved_value < 0:
        raise UnitError("累计完成值不能为负数")
    note = (note or "").strip()
    if not note:
        raise UnitError("请填写进展说明")
    if ResponsibilityUpdate.objects.filter(item=item, state=UpdateState.SUBMITTED).exists():
        raise UnitError("上一次报送的进展尚待上级确认")
    stored = None
    if upload is not None:
        data, content_type = evidence_files.check_upload(upload)
        stored = evidence_files.write_file(data, upload.name, content_type)
    try:
        update = ResponsibilityUpdate.objects.create(
            item=item, achieved_value=achieved_value, note=note[:500], submitted_at=now(), submitted_by=_user(actor),
            evidence_name=stored.original_name if stored else "", evidence_stored=stored.stored_name if stored else "",
            evidence_type=stored.content_type if stored else "")
        log_action("unit.responsibility_submit", actor=actor, obj=item, org=item.org,
                   after={"achieved_value": achieved_value, "note": update.note, "evidence": update.evidence_name,
                          "sha256": stored.sha256 if stored else ""})
    except Exception:
        if stored:
            evidence_files.remove_files([stored])
        raise
    return update


def _lock_update(update: ResponsibilityUpdate) -> ResponsibilityUpdate:
    return ResponsibilityUpdate.objects.select_for_update(of=("self",)).select_related("item__org").get(pk=update.pk)


@transaction.atomic
def responsibility_update_confirm(*, actor, update: ResponsibilityUpdate) -> ResponsibilityUpdate:
    """确认: the reported value enters the responsibility list as a progress entry."""
    update = _lock_update(update)
    if update.state != UpdateState.SUBMITTED:
        raise UnitError("该进展已处理")
    _require_other_reviewer(actor, update.submitted_by)
    note = update.note + (f"（佐证：{update.evidence_name}）" if update.evidence_name else "")
    routine_services.responsibility_progress_add(actor=actor, item=update.item, achieved_value=update.achieved_value,
                                                 note=note[:500], recorded_on=local_date(update.submitted_at))
    update.state, update.reviewed_at, update.reviewed_by = UpdateState.CONFIRMED, now(), _user(actor)
    update.save()
    log_action("unit.responsibility_confirm", actor=actor, obj=update.item, org=update.item.org,
               after={"update": update.pk, "achieved_value": update.achieved_value})
    return update


@transaction.atomic
def responsibility_update_return(*, actor, update: ResponsibilityUpdate, reason: str) -> ResponsibilityUpdate:
    update = _lock_update(update)
    if update.state != UpdateState.SUBMITTED:
        raise UnitError("该进展已处理")
    _require_other_reviewer(actor, update.submitted_by)
    reason = (reason or "").strip()
    if not reason:
        raise UnitError("退回必须说明理由")
    update.state, update.reviewed_at, update.reviewed_by = UpdateState.RETURNED, now(), _user(actor)
    update.return_reason = reason[:300]
    update.save()
    log_action("unit.responsibility_return", actor=actor, obj=update.item, org=update.item.org,
               after={"update": update.pk, "reason": update.return_reason})
    return update


# ---- quarterly 工作汇报 --------------------------------------------------------------------------


def _circular_issued(organiser, year: int, quarter: int) -> bool:
    return QuarterlyCircular.objects.filter(organiser=organiser, year=year, quarter=quarter,
                                            state=CircularState.ISSUED).exists()


@transaction.atomic
def quarterly_report_submit(*, actor, org, year: int, quarter: int, summary: str, text: str,
                            offers_speech: bool = False) -> QuarterlyReport:
    """报送 (or revise, until the quarter's circular is issued) the unit's 书面汇报 to its superior."""
    if org.parent_id is None:
        raise UnitError("最高层级组织无需报送季度汇报")
    if not 1 <= quarter <= 4:
        raise UnitError("季度应为 1～4")
    summary, text = (summary or "").strip(), (text or "").strip()
    if not summary or not text:
        raise UnitError("请填写工作亮点和书面汇报内容")
    organiser = org.parent
    if _circular_issued(organiser, year, quarter):
        raise UnitError(f"{year}年第{quarter}季度通报已印发，不能再报送或修改汇报")
    report = QuarterlyReport.objects.select_for_update().filter(org=org, year=year, quarter=quarter).first()
    before = snapshot(report, ["summary", "text", "offers_speech"]) if report else None
    if report is None:
        report = QuarterlyReport(org=org, organiser=organiser, year=year, quarter=quarter)
    report.summary, report.text, report.offers_speech = summary[:200], text, offers_speech
    report.submitted_at, report.submitted_by = now(), _user(actor)
    report.save()
    log_action("unit.quarterly_submit", actor=actor, obj=report, org=org, before=before,
               after=snapshot(report, ["summary", "text", "offers_speech"]))
    return report


@transaction.atomic
def quarterly_pick(*, actor, report: QuarterlyReport, picked: bool) -> QuarterlyReport:
    """The organiser picks (or drops) a unit for a 典型发言 at the 调度会."""
    report = QuarterlyReport.objects.select_for_update().get(pk=report.pk)
    if report.picked_for_speech != picked:
        report.picked_for_speech = picked
        report.save(update_fields=["picked_for_speech"])
        log_action("unit.quarterly_pick", actor=actor, obj=report, org=report.organiser,
                   before={"picked": not picked}, after={"picked": picked})
    return report


def practice_lines(reports) -> list[str]:
    return [f"{report.org.name}：{report.summary}" for report in reports]


@transaction.atomic
def circular_draw_reports(*, actor, circular: QuarterlyCircular) -> int:
    """Add the 典型发言 units' highlights to the draft circular's 经验做法 (each line once)."""
    circular = QuarterlyCircular.objects.get(pk=circular.pk)  # the current text, not the caller's copy
    reports = QuarterlyReport.objects.filter(organiser=circular.organiser, year=circular.year,
                                             quarter=circular.quarter, picked_for_speech=True).select_related("org")
    existing = [line for line in (circular.practices or "").splitlines() if line.strip()]
    new = [line for line in practice_lines(reports) if line not in existing]
    if not new:
        return 0
    routine_services.circular_save(actor=actor, organiser=circular.organiser, year=circular.year,
                                   quarter=circular.quarter, circular=circular, practices="\n".join([*existing, *new]))
    return len(new)

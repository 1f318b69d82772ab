"""Writes for problems and rectification. The state machine lives here, in TRANSITIONS and
`_transition`; every change is row-locked and audited."""

import datetime
import random

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction

from shuping.audit.services import log_action, snapshot
from shuping.clock import now, today
from shuping.core.marks import job_ran

from . import evidence as evidence_files
from .models import (
    OPEN_STATUSES,
    CarryOver,
    Category,
    CommonProblem,
    Critique,
    Evidence,
    Problem,
    ProgressEntry,
    Rectification,
    Reminder,
    ReminderKind,
    Severity,
    Source,
    SpotCheck,
    SpotCheckItem,
    SpotCheckResult,
    Status,
    StatusChange,
    Verification,
    VerificationKind,
    strip_numbering,
)

S = Status


class RectificationError(ValidationError):
    pass


# (from, to) → label. Closing (→ 已销号) additionally needs a verification: see _transition.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.NOT_STARTED, S.IN_PROGRESS): "开始整改",
    (S.NOT_STARTED, S.PENDING): "申请销号",
    (S.IN_PROGRESS, S.PENDING): "申请销号",
    (S.OVERDUE, S.PENDING): "申请销号",
    (S.PENDING, S.CLOSED): "核验通过，销号",
    (S.PENDING, S.IN_PROGRESS): "核验不通过，退回整改",
    (S.CLOSED, S.IN_PROGRESS): "重新打开",
    (S.NOT_STARTED, S.OVERDUE): "逾期",
    (S.IN_PROGRESS, S.OVERDUE): "逾期",
    (S.OVERDUE, S.IN_PROGRESS): "调整时限，恢复整改",
    # A common problem's verified close-out closes its members (the verification is the common one's).
    (S.NOT_STARTED, S.CLOSED): "随共性问题销号",
    (S.IN_PROGRESS, S.CLOSED): "随共性问题销号",
    (S.OVERDUE, S.CLOSED): "随共性问题销号",
}


def _lock(rectification: Rectification) -> Rectification:
    # The owner applying for 销号 and an inspector verifying may act at the same moment;
    # re-reading under a row lock makes each decision on the current state.
    return Rectification.objects.select_for_update(of=("self",)).select_related("problem", "common", "org").get(pk=rectification.pk)


def _transition(rect: Rectification, to: str, *, actor, reason: str = "", verification: Verification | None = None) -> None:
    """Move a locked rectification to `to`. The only place that writes `status`."""
    key = (rect.status, to)
    if key not in TRANSITIONS:
        raise RectificationError(f"不能从“{S(rect.status).label}”转为“{S(to).label}”")
    if to == S.CLOSED and verification is None:
        raise RectificationError("未经核验不能销号")
    before = rect.status
    rect.status = to
    rect.closed_at = now() if to == S.CLOSED else None
    if to == S.OVERDUE:
        rect.overdue_since = today()
    rect.updated_at = now()
    rect.save(update_fields=["status", "closed_at", "overdue_since", "updated_at"])
    user = actor if getattr(actor, "pk", None) else None
    StatusChange.objects.create(rectification=rect, from_status=before, to_status=to, reason=reason, actor=user, at=now())
    log_action("rectification.transition", actor=actor, obj=rect, org=rect.org,
               before={"status": before}, after={"status": to, "reason": reason})


def _require_not_closed(rect: Rectification, what: str) -> None:
    if rect.status == S.CLOSED:
        raise RectificationError(f"已销号的整改不能{what}，如需修改请先说明理由重新打开")


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


# ---- problems ------------------------------------------------------------------------------


PROBLEM_FIELDS = ["description", "category", "severity", "source", "source_document", "found_on", "campaign", "participant"]


def _validate_problem(*, org, description, category, severity, source, participant=None, campaign=None):
    if not (description or "").strip():
        raise RectificationError("问题描述不能为空")
    if category not in Category.values:
        raise RectificationError(f"问题类别“{category}”无效")
    if severity not in Severity.values:
        raise RectificationError(f"严重程度“{severity}”无效")
    if source not in Source.values:
        raise RectificationError(f"问题来源“{source}”无效")
    if participant is not None and participant.org_id != org.pk:
        raise RectificationError("述职人与责任单位不一致")
    if participant is not None and campaign is not None and participant.campaign_id != campaign.pk:
        raise RectificationError("述职人不属于所选考核")


@transaction.atomic
def problem_create(*, actor, org, description: str, source: str, category: str = Category.OTHER,
                   severity: str = Severity.NORMAL, source_document: str = "", found_on: datetime.date | None = None,
                   campaign=None, participant=None, critique: Critique | None = None,
                   owner=None, measures: str = "", deadline: datetime.date | None = None) -> Problem:
    if participant is not None and campaign is None:
        campaign = participant.campaign
    _validate_problem(org=org, description=description, category=category, severity=severity, source=source,
                      participant=participant, campaign=campaign)
    problem = Problem.objects.create(
        org=org, description=description.strip(), category=category, severity=severity, source=source,
        source_document=source_document, found_on=found_on or today(), campaign=campaign, participant=participant,
        critique=critique, created_at=now(), created_by=_user(actor),
    )
    rect = Rectification.objects.create(problem=problem, org=org, owner=owner, measures=measures, deadline=deadline,
                                        updated_at=now())
    log_action("problem.create", actor=actor, obj=problem, org=org, after=snapshot(problem))
    if owner or measures or deadline:
        log_action("rectification.plan", actor=actor, obj=rect, org=org, after=snapshot(rect))
    return problem


@transaction.atomic
def problem_update(*, actor, problem: Problem, **fields) -> Problem:
    rect = _lock(problem.rectification)
    _require_not_closed(rect, "修改问题")
    problem = Problem.objects.get(pk=problem.pk)
    unknown = set(fields) - set(PROBLEM_FIELDS)
    if unknown:
        raise RectificationError(f"不能修改：{'、'.join(sorted(unknown))}")
    before = snapshot(problem)
    for name, value in fields.items():
        setattr(problem, name, value)
    _validate_problem(org=problem.org, description=problem.description, category=problem.category,
                      severity=problem.severity, source=problem.source, participant=problem.participant,
                      campaign=problem.campaign)
    problem.save()
    log_action("problem.update", actor=actor, obj=problem, org=problem.org, before=before, after=snapshot(problem))
    return problem


# ---- rectification workflow ----------------------------------------------------------------


@transaction.atomic
def rectification_plan(*, actor, rectification: Rectification, owner, measures: str,
                       deadline: datetime.date | None) -> Rectification:
    """Set owner, measures and deadline (整改方案). Moving an overdue deadline forward resumes the work."""
    rect = _lock(rectification)
    _require_not_closed(rect, "修改整改方案")
    if not (measures or "").strip():
        raise RectificationError("请填写整改措施")
    if deadline is None:
        raise RectificationError("请填写整改时限")
    before = snapshot(rect, ["owner", "measures", "deadline", "status"])
    rect.owner, rect.measures, rect.deadline = owner, measures.strip(), deadline
    rect.updated_at = now()
    rect.save(update_fields=["owner", "measures", "deadline", "updated_at"])
    log_action("rectification.plan", actor=actor, obj=rect, org=rect.org, before=before,
               after=snapshot(rect, ["owner", "measures", "deadline", "status"]))
    if rect.status == S.OVERDUE and deadline >= today():
        _transition(rect, S.IN_PROGRESS, actor=actor, reason=f"整改时限调整为 {deadline:%Y-%m-%d}")
    return rect


@transaction.atomic
def progress_add(*, actor, rectification: Rectification, text: str, files=()) -> ProgressEntry:
    """Report progress with evidence files; the files are checked before anything is written."""
    rect = _lock(rectification)
    _require_not_closed(rect, "再报告进展")
    if rect.status == S.PENDING:
        raise RectificationError("已申请销号，正在等待核验；如需补充材料请等待核验结果")
    if not (text or "").strip():
        raise RectificationError("请填写整改进展")
    checked = [(upload, *evidence_files.check_upload(upload)) for upload in files]
    stored = []
    try:
        entry = ProgressEntry.objects.create(rectification=rect, text=text.strip(), author=_user(actor), at=now())
        for upload, data, content_type in checked:
            item = evidence_files.write_file(data, upload.name, content_type)
            stored.append(item)
            Evidence.objects.create(
                progress=entry, original_name=item.original_name, stored_name=item.stored_name,
                content_type=item.content_type, size=item.size, sha256=item.sha256,
                uploaded_by=_user(actor), uploaded_at=now(),
            )
        log_action("rectification.progress", actor=actor, obj=rect, org=rect.org,
                   after={"text": entry.text, "files": [{"name": s.original_name, "sha256": s.sha256} for s in stored]})
        if rect.status == S.NOT_STARTED:
            _transition(rect, S.IN_PROGRESS, actor=actor, reason="报告整改进展")
    except Exception:
        evidence_files.remove_files(stored)
        raise
    return entry


@transaction.atomic
def rectification_apply_close(*, actor, rectification: Rectification, note: str = "") -> Rectification:
    rect = _lock(rectification)
    if not rect.measures or rect.deadline is None:
        raise RectificationError("请先制定整改方案（措施、责任人、时限）")
    if not rect.progress.exists():
        raise RectificationError("申请销号前请至少报告一次整改进展并上传佐证材料")
    _transition(rect, S.PENDING, actor=actor, reason=note or "整改完成，申请销号")
    return rect


@transaction.atomic
def rectification_verify(*, actor, rectification: Rectification, approve: bool, comment: str = "") -> Rectification:
    """核验: approve → 已销号 (and a common problem's members with it); reject → 整改中 with a reason."""
    rect = _lock(rectification)
    if rect.status != S.PENDING:
        raise RectificationError("只有“申请销号”的整改才能核验")
    if not approve and not comment.strip():
        raise RectificationError("退回整改必须说明理由")
    verification = Verification.objects.create(rectification=rect, kind=VerificationKind.VERIFY, approved=approve,
                                                comment=comment.strip(), actor=_user(actor), at=now())
    if approve:
        _transition(rect, S.CLOSED, actor=actor, reason=comment.strip() or "核验通过", verification=verification)
        if rect.common_id and rect.common.close_members:
            _close_members(rect.common, actor=actor)
    else:
        _transition(rect, S.IN_PROGRESS, actor=actor, reason=comment.strip())
    return rect


def _close_members(common: CommonProblem, *, actor) -> int:
    count = 0
    members = Rectification.objects.filter(problem__common=common).exclude(status=S.CLOSED).order_by("pk")
    for member in members:
        rect = _lock(member)
        if rect.status == S.CLOSED:
            continue
        reason = f"随共性问题“{common.title}”整改销号"
        verification = Verification.objects.create(rectification=rect, kind=VerificationKind.COMMON, approved=True,
                                                   comment=reason, actor=_user(actor), at=now())
        _transition(rect, S.CLOSED, actor=actor, reason=reason, verification=verification)
        count += 1
    return count


@transaction.atomic
def rectification_reopen(*, actor, rectification: Rectification, reason: str) -> Rectification:
    rect = _lock(rectification)
    if rect.status != S.CLOSED:
        raise RectificationError("只有已销号的整改需要重新打开")
    if not (reason or "").strip():
        raise RectificationError("重新打开必须说明理由")
    _transition(rect, S.IN_PROGRESS, actor=actor, reason=reason.strip())
    return rect


# ---- overdue job -----------------------------------------------------------------------------


def due_soon_days() -> int:
    return int(getattr(settings, "SHUPING_DUE_SOON_DAYS", 7))


def mark_overdue(*, day: datetime.date | None = None) -> dict[str, int]:
    """The daily job: mark items past their deadline 逾期 and write today's reminders.

    Idempotent: a second run on the same day changes nothing (one Reminder per item per day).
    Items awaiting verification (申请销号) are the verifier's turn, not the owner's: no change.
    """
    day = day or today()
    marked = 0
    late = Rectification.objects.filter(status__in=[S.NOT_STARTED, S.IN_PROGRESS], deadline__lt=day)
    for pk in late.values_list("pk", flat=True):
        with transaction.atomic():
            rect = Rectification.objects.select_for_update(of=("self",)).select_related("org").get(pk=pk)
            if rect.status in (S.NOT_STARTED, S.IN_PROGRESS) and rect.deadline and rect.deadline < day:
                _transition(rect, S.OVERDUE, actor="系统（逾期检查）", reason=f"超过整改时限 {rect.deadline:%Y-%m-%d}")
                marked += 1
    reminders = 0
    soon = day + datetime.timedelta(days=due_soon_days())
    candidates = (
        Rectification.objects.filter(status__in=[S.NOT_STARTED, S.IN_PROGRESS, S.OVERDUE], deadline__lte=soon)
        .select_related("owner", "org", "problem", "common")
    )
    existing = set(Reminder.objects.filter(day=day).values_list("rectification_id", flat=True))
    new = []
    for rect in candidates:
        if rect.pk in existing or rect.deadline is None:
            continue
        subject = str(rect.subject)
        who = rect.owner.name if rect.owner else f"{rect.org.name}（未指定责任人）"
        if rect.status == S.OVERDUE or rect.deadline < day:
            kind = ReminderKind.OVERDUE
            message = f"{who}：“{subject}”已超过整改时限 {rect.deadline:%Y-%m-%d}（逾期 {(day - rect.deadline).days} 天），请尽快整改并报告进展"
        else:
            kind = ReminderKind.DUE_SOON
            message = f"{who}：“{subject}”将于 {rect.deadline:%Y-%m-%d} 到期（剩余 {(rect.deadline - day).days} 天）"
        new.append(Reminder(rectification=rect, day=day, kind=kind, org=rect.org, person=rect.owner, message=message[:500]))
    Reminder.objects.bulk_create(new, ignore_conflicts=True)
    reminders = len(new)
    if marked or reminders:
        log_action("rectification.mark_overdue", actor="系统（逾期检查）", object_type="rectification.job",
                   label=f"{day:%Y-%m-%d} 逾期检查", after={"marked": marked, "reminders": reminders})
    job_ran("mark-overdue")
    return {"marked": marked, "reminders": reminders}


# ---- spot checks -----------------------------------------------------------------------------


@transaction.atomic
def spot_check_create(*, actor, org, percent: int, note: str = "", rng: random.Random | None = None) -> SpotCheck:
    if not 1 <= percent <= 100:
        raise RectificationError("抽查比例应在 1–100 之间")
    closed = list(
        Rectification.objects.filter(status=S.CLOSED, org__in=org.subtree().values("pk")).order_by("pk").values_list("pk", flat=True)
    )
    if not closed:
        raise RectificationError("该范围内没有已销号的整改事项可供抽查")
    count = max(1, round(len(closed) * percent / 100))
    picked = (rng or random.SystemRandom()).sample(closed, count)
    spot = SpotCheck.objects.create(org=org, percent=percent, note=note, created_by=_user(actor), created_at=now())
    SpotCheckItem.objects.bulk_create([SpotCheckItem(spot_check=spot, rectification_id=pk) for pk in sorted(picked)])
    log_action("rectification.spot_check", actor=actor, obj=spot, org=org,
               after={"percent": percent, "closed": len(closed), "picked": sorted(picked)})
    return spot


@transaction.atomic
def spot_check_record(*, actor, item: SpotCheckItem, passed: bool, finding: str = "") -> SpotCheckItem:
    item = SpotCheckItem.objects.select_for_update().get(pk=item.pk)
    if item.result != SpotCheckResult.PENDING:
        raise RectificationError("该事项已记录抽查结果")
    if not passed and not finding.strip():
        raise RectificationError("抽查不通过必须记录发现的问题")
    rect = _lock(item.rectification)
    item.result = SpotCheckResult.PASSED if passed else SpotCheckResult.FAILED
    item.finding = finding.strip()
    item.checked_by, item.checked_at = _user(actor), now()
    item.save()
    Verification.objects.create(rectification=rect, kind=VerificationKind.SPOT_CHECK, approved=passed,
                                comment=item.finding, actor=_user(actor), at=now())
    log_action("rectification.spot_check_result", actor=actor, obj=rect, org=rect.org,
               after={"spot_check": item.spot_check_id, "passed": passed, "finding": item.finding})
    if not passed and rect.status == S.CLOSED:
        _transition(rect, S.IN_PROGRESS, actor=actor, reason=f"抽查发现：{item.finding}")
    return item


# ---- common problems -------------------------------------------------------------------------


@transaction.atomic
def common_problem_create(*, actor, organiser, title: str, problems, category: str = Category.OTHER,
                          close_members: bool = True, owner=None, measures: str = "",
                          deadline: datetime.date | None = None) -> CommonProblem:
    problems = list(Problem.objects.select_for_update(of=("self",)).filter(pk__in=[p.pk for p in problems]).select_related("org"))
    if len(problems) < 2:
        raise RectificationError("共性问题至少包含两个单位的问题")
    outside = [p for p in problems if not p.org.is_within(organiser)]
    if outside:
        raise RectificationError(f"“{outside[0].org.name}”不在牵头单位“{organiser.name}”的范围内")
    taken = [p for p in problems if p.common_id]
    if taken:
        raise RectificationError(f"问题“{taken[0]}”已属于另一个共性问题")
    if not title.strip():
        raise RectificationError("请填写共性问题名称")
    common = CommonProblem.objects.create(organiser=organiser, title=title.strip(), category=category,
                                          close_members=close_members, created_at=now(), created_by=_user(actor))
    Problem.objects.filter(pk__in=[p.pk for p in problems]).update(common=common)
    Rectification.objects.create(common=common, org=organiser, owner=owner, measures=measures, deadline=deadline,
                                 updated_at=now())
    log_action("common_problem.create", actor=actor, obj=common, org=organiser,
               after={"title": common.title, "problems": [p.pk for p in problems],
                      "orgs": sorted({p.org.name for p in problems})})
    return common


# ---- critique --------------------------------------------------------------------------------


@transaction.atomic
def critique_save(*, actor, participant, strengths: str, problems: str, suggestions: str,
                  create_problems: bool = True, category: str = Category.OTHER) -> tuple[Critique, list[Problem]]:
    """Save the 点评; each new line under 存在问题 becomes a Problem (source 上级找) when asked."""
    critique = Critique.objects.select_for_update().filter(participant=participant).first()
    before = snapshot(critique) if critique else None
    if critique is None:
        critique = Critique(participant=participant, created_at=now())
    critique.strengths, critique.problems, critique.suggestions = strengths.strip(), problems.strip(), suggestions.strip()
    critique.author, critique.updated_at = _user(actor), now()
    critique.save()
    log_action("critique.save", actor=actor, obj=critique, org=participant.org, before=before, after=snapshot(critique))
    created = []
    if create_problems:
        existing = set(critique.found_problems.values_list("description", flat=True))
        campaign = participant.campaign
        from .selectors import prior_problems_for

        # A line about last year's open problem (the draft writes 上年度指出的“…”) is that problem,
        # already on the list: registering it again would count it twice.
        prior = [p.description for p in prior_problems_for(participant) if p.description]
        for line in critique.problem_lines():
            text = _strip_numbering(line)
            if not text or text in existing or any(description in text for description in prior):
                continue
            created.append(problem_create(
                actor=actor, org=participant.org, description=text, source=Source.CRITIQUE, category=guess_category(text, category),
                source_document=f"{campaign.title} 点评", campaign=campaign, participant=participant, critique=critique,
            ))
            existing.add(text)
    return critique, created


def _strip_numbering(line: str) -> str:
    return strip_numbering(line)


CATEGORY_WORDS = [
    (Category.TOUR, ("巡视", "巡察")),
    (Category.SUPPORT, ("经费", "阵地", "场所", "保障", "报酬", "待遇")),
    (Category.MEMBERS, ("发展党员", "三会一课", "党员教育", "流动党员", "组织生活", "主题党日", "党员队伍")),
    (Category.TEAM, ("班子", "一岗双责", "第一责任人", "专题研究", "书记")),
    (Category.SERVICE, ("服务群众", "为民", "群众", "办实事")),
    (Category.CONDUCT, ("作风", "形式主义", "官僚主义", "纪律")),
    (Category.IDEOLOGY, ("意识形态", "宣传", "舆情")),
    (Category.ORGANISING, ("软弱涣散", "组织力", "覆盖", "标准化", "规范化", "两新")),
]


def guess_category(text: str, default: str = Category.OTHER) -> str:
    for category, words in CATEGORY_WORDS:
        if any(word in text for word in words):
            return category
    return default


# ---- carry-over ------------------------------------------------------------------------------


@transaction.atomic
def carry_over(*, actor, campaign) -> int:
    """Link each participant's prior problems into `campaign` (上年述职遗留). Idempotent."""
    from .selectors import prior_problems_for

    created = 0
    for participant in campaign.participants.select_related("org", "campaign"):
        for problem in prior_problems_for(participant):
            _, made = CarryOver.objects.get_or_create(
                participant=participant, problem=problem,
                defaults={"campaign": campaign, "open_when_carried": problem.rectification.status in OPEN_STATUSES,
                          "created_at": now()},
            )
            created += int(made)
    if created:
        log_action("rectification.carry_over", actor=actor, obj=campaign, org=campaign.organiser,
                   after={"linked": created})
    return created

"""Writes for routine assessment. Every change is audited; problems are created only through
shuping.rectification.services.problem_create."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from shuping.audit.services import log_action, snapshot
from shuping.clock import now, today
from shuping.rectification import services as rectification_services
from shuping.rectification.models import Category, Severity, Source
from shuping.scoring import numbers

from . import selectors
from .models import (
    CircularState,
    InspectionFinding,
    InspectionPlan,
    InspectionVisit,
    MonthlyScore,
    QuarterlyCircular,
    ResponsibilityItem,
    ResponsibilityProgress,
    ResultUse,
    RoutineIndicator,
    SupervisionOrder,
    UseKind,
)


class RoutineError(ValidationError):
    pass


def _user(actor):
    return actor if getattr(actor, "pk", None) else None


def plain(value: Decimal) -> str:
    """60.00 → "60", 7.50 → "7.5" for messages."""
    return f"{Decimal(value).normalize():f}"


def parse_score(text, maximum: Decimal) -> Decimal:
    """A score typed by a person, by the one shared rule (shuping.scoring.numbers)."""
    try:
        return numbers.parse_score(text, maximum=maximum)
    except numbers.ScoreError as error:
        raise RoutineError(str(error)) from None


def require_scorable_month(year: int, month: int) -> None:
    if not 1 <= month <= 12:
        raise RoutineError("月份应为 1～12")
    current = today()
    if (year, month) > (current.year, current.month):
        raise RoutineError(f"{year}年{month}月尚未到来，不能评分")


def require_unit(organiser, unit) -> None:
    if unit.parent_id != organiser.pk:
        raise RoutineError(f"“{unit.name}”不是{organiser.name}的直属单位")


# ---- indicators -------------------------------------------------------------------------------


@transaction.atomic
def indicator_save(*, actor, organiser, year: int, code: str, name: str, max_score: Decimal, guidance: str = "",
                   order: int = 0, indicator: RoutineIndicator | None = None) -> RoutineIndicator:
    before = snapshot(indicator) if indicator else None
    if indicator is not None and indicator.code != code and indicator.scores.exists():
        raise RoutineError("该指标已有评分，不能修改编码")
    if indicator is not None and max_score < (max((s.score for s in indicator.scores.all()), default=Decimal(0))):
        raise RoutineError("已有评分高于新的满分，请先调整评分")
    indicator = indicator or RoutineIndicator(organiser=organiser, year=year)
    indicator.code, indicator.name, indicator.max_score = code.strip(), name.strip(), max_score
    indicator.guidance, indicator.order = guidance, order
    try:
        indicator.full_clean()
    except ValidationError as exc:
        if "__all__" in getattr(exc, "message_dict", {}):
            raise RoutineError(f"{year}年度已有编码为“{code}”的指标") from None
        raise
    indicator.save()
    log_action("routine.indicator_save", actor=actor, obj=indicator, org=organiser, before=before,
               after=snapshot(indicator))
    return indicator


@transaction.atomic
def indicator_delete(*, actor, indicator: RoutineIndicator) -> None:
    if indicator.scores.exists():
        raise RoutineError("该指标已有评分，不能删除")
    before = snapshot(indicator)
    indicator.delete()
    log_action("routine.indicator_delete", actor=actor, object_type="routine.routineindicator",
               object_id=before["id"], label=f"{before['code']} {before['name']}", org=indicator.organiser,
               before=before)


# ---- monthly scores ---------------------------------------------------------------------------


def _write_row(*, actor, organiser, year: int, month: int, unit, scores: dict) -> dict:
    """Write one unit's month; `scores` maps indicator → validated Decimal or None (clear)."""
    existing = {
        s.indicator_id: s
        # Locked: two clerks saving the same row at once must not interleave their writes.
        for s in MonthlyScore.objects.select_for_update().filter(org=unit, month=month, indicator__in=list(scores))
    }
    changed_before, changed_after = {}, {}
    for indicator, value in scores.items():
        current = existing.get(indicator.pk)
        old = current.score if current else None
        if old == value:
            continue
        changed_before[indicator.code], changed_after[indicator.code] = old, value
        if value is None:
            current.delete()
        elif current is None:
            MonthlyScore.objects.create(indicator=indicator, org=unit, month=month, score=value,
                                        entered_by=_user(actor), entered_at=now())
        else:
            current.score, current.entered_by, current.entered_at = value, _user(actor), now()
            current.save(update_fields=["score", "entered_by", "entered_at"])
    return {"before": changed_before, "after": changed_after}


@transaction.atomic
def monthly_scores_save(*, actor, organiser, year: int, month: int, unit, values: dict[str, str]) -> dict:
    """Save one row of the entry grid: indicator code → typed text ("" clears the score).

    Raises RoutineError with {code: [message]} for the cells that are wrong; nothing is written then.
    """
    require_scorable_month(year, month)
    require_unit(organiser, unit)
    indicators = {i.code: i for i in selectors.indicators(organiser, year)}
    errors, scores = {}, {}
    for code, text in values.items():
        indicator = indicators.get(code)
        if indicator is None:
            errors[code] = [f"指标“{code}”不存在"]
            continue
        if str(text).strip() == "":
            scores[indicator] = None
            continue
        try:
            scores[indicator] = parse_score(text, indicator.max_score)
        except RoutineError as exc:
            errors[code] = exc.messages
    if errors:
        raise RoutineError(errors)
    change = _write_row(actor=actor, organiser=organiser, year=year, month=month, unit=unit, scores=scores)
    if change["after"]:
        log_action("routine.monthly_scores", actor=actor, obj=unit, org=unit,
                   before={"year": year, "month": month, **change["before"]},
                   after={"year": year, "month": month, **change["after"]})
    return change


@transaction.atomic
def monthly_scores_store(*, actor, organiser, year: int, month: int, rows: list[tuple], source: str) -> int:
    """Write validated import rows [(unit, indicator, Decimal)] together; one audit entry."""
    require_scorable_month(year, month)
    by_unit: dict = {}
    for unit, indicator, value in rows:
        require_unit(organiser, unit)
        by_unit.setdefault(unit, {})[indicator] = value
    changed = 0
    for unit, scores in by_unit.items():
        changed += len(_write_row(actor=actor, organiser=organiser, year=year, month=month, unit=unit,
                                  scores=scores)["after"])
    log_action("routine.monthly_import", actor=actor, obj=organiser, org=organiser,
               after={"year": year, "month": month, "rows": len(rows), "changed": changed, "source": source})
    return changed


# ---- responsibility lists ---------------------------------------------------------------------


@transaction.atomic
def responsibility_save(*, actor, organiser, year: int, org, task: str, target_value: Decimal, target_unit: str,
                        deadline: datetime.date, evidence_required: str = "", order: int = 0,
                        item: ResponsibilityItem | None = None) -> ResponsibilityItem:
    if not org.is_within(organiser):
        raise RoutineError(f"“{org.name}”不在{organiser.name}的管辖范围内")
    before = snapshot(item) if item else None
    item = item or ResponsibilityItem(organiser=organiser, year=year, created_at=now())
    item.org, item.task, item.target_value, item.target_unit = org, task.strip(), target_value, target_unit.strip()
    item.deadline, item.evidence_required, item.order = deadline, evidence_required.strip(), order
    item.full_clean()
    item.save()
    log_action("routine.responsibility_save", actor=actor, obj=item, org=org, before=before, after=snapshot(item))
    return item


@transaction.atomic
def responsibility_progress_add(*, actor, item: ResponsibilityItem, achieved_value: Decimal, note: str = "",
                                recorded_on: datetime.date | None = None) -> ResponsibilityProgress:
    if achieved_value < 0:
        raise RoutineError("完成值不能为负数")
    recorded_on = recorded_on or today()
    if recorded_on > today():
        raise RoutineError("记录日期不能晚于今天")
    entry = ResponsibilityProgress.objects.create(item=item, recorded_on=recorded_on, achieved_value=achieved_value,
                                                  note=note.strip(), entered_by=_user(actor), entered_at=now())
    log_action("routine.responsibility_progress", actor=actor, obj=item, org=item.org,
               after={"recorded_on": recorded_on, "achieved_value": achieved_value, "note": entry.note,
                      "completion": selectors.completion_percent(achieved_value, item.target_value)})
    return entry


# ---- quarterly circulars ----------------------------------------------------------------------

CIRCULAR_FIELDS = ["title", "doc_number", "practices", "problems", "lowest_n", "supervision_deadline"]


@transaction.atomic
def circular_save(*, actor, organiser, year: int, quarter: int, circular: QuarterlyCircular | None = None,
                  **fields) -> QuarterlyCircular:
    if circular is not None:
        # Locked: editing must not race with issuing (an issued circular is final).
        circular = QuarterlyCircular.objects.select_for_update().get(pk=circular.pk)
        if circular.state == CircularState.ISSUED:
            raise RoutineError("通报已印发，不能再修改")
    elif QuarterlyCircular.objects.filter(organiser=organiser, year=year, quarter=quarter).exists():
        raise RoutineError(f"{year}年第{quarter}季度的通报已存在")
    if not 1 <= quarter <= 4:
        raise RoutineError("季度应为 1～4")
    before = snapshot(circular, CIRCULAR_FIELDS) if circular else None
    circular = circular or QuarterlyCircular(organiser=organiser, year=year, quarter=quarter, created_at=now(),
                                             created_by=_user(actor))
    for name, value in fields.items():
        if name not in CIRCULAR_FIELDS:
            raise ValueError(f"unknown circular field {name}")
        setattr(circular, name, value)
    circular.full_clean()
    circular.save()
    log_action("routine.circular_save", actor=actor, obj=circular, org=organiser, before=before,
               after=snapshot(circular, CIRCULAR_FIELDS))
    return circular


def lowest_units(rows: list[selectors.RankRow], n: int) -> list[selectors.RankRow]:
    """The last n of each ranking group by rank; a tie at the cut includes every tied unit."""
    chosen = []
    groups: dict[str, list] = {}
    for row in rows:
        groups.setdefault(row.group, []).append(row)
    for members in groups.values():
        if n <= 0 or len(members) <= 1:
            continue
        n_here = min(n, len(members) - 1)
        cut_rank = sorted((r.rank for r in members), reverse=True)[n_here - 1]
        lowest = [r for r in members if r.rank >= cut_rank]
        if len(lowest) < len(members):  # a tie across the whole group has no "lowest" units
            chosen.extend(lowest)
    return chosen


@transaction.atomic
def circular_issue(*, actor, circular: QuarterlyCircular) -> list[SupervisionOrder]:
    """印发: freeze the circular and open a 督办单 (a tracked problem) for each lowest unit."""
    # Locked: two organisers pressing 印发 at once must not create the orders twice.
    circular = QuarterlyCircular.objects.select_for_update().select_related("organiser").get(pk=circular.pk)
    if circular.state == CircularState.ISSUED:
        raise RoutineError("通报已印发")
    rows = selectors.quarter_table(circular.organiser, circular.year, circular.quarter)
    if not rows:
        raise RoutineError("本季度尚无评分，不能印发通报")
    reference = circular.doc_number or circular.title
    orders = []
    for row in lowest_units(rows, circular.lowest_n):
        problem = rectification_services.problem_create(
            actor=actor, org=row.org, source=Source.INSPECTION, category=Category.OTHER, severity=Severity.NORMAL,
            description=(f"{circular.year}年第{circular.quarter}季度抓基层党建日常考核得分 {row.total}，"
                         f"在{row.group}中排名第 {row.rank} 位，列入督办。请对照日常考核指标查找差距，"
                         f"于 {circular.supervision_deadline:%Y年%m月%d日} 前完成整改并报送整改情况。"),
            source_document=f"督办单（{reference}）", found_on=today(),
            owner=row.org.secretary, deadline=circular.supervision_deadline,
            measures="对照季度通报指出的差距制定整改措施，按月报送进展。",
        )
        orders.append(SupervisionOrder.objects.create(
            circular=circular, org=row.org, rank=row.rank, group=row.group, total=row.total, problem=problem,
            deadline=circular.supervision_deadline))
    circular.state, circular.issued_at = CircularState.ISSUED, now()
    circular.save(update_fields=["state", "issued_at"])
    log_action("routine.circular_issue", actor=actor, obj=circular, org=circular.organiser,
               before={"state": CircularState.DRAFT},
               after={"state": CircularState.ISSUED, "orders": [o.org.code for o in orders]})
    return orders


# ---- half-year inspections -------------------------------------------------------------------


@transaction.atomic
def inspection_plan_create(*, actor, org, title: str, period_start: datetime.date, period_end: datetime.date,
                           team=(), notes: str = "") -> InspectionPlan:
    if period_end < period_start:
        raise RoutineError("结束日期不能早于开始日期")
    plan = InspectionPlan(org=org, title=title.strip(), period_start=period_start, period_end=period_end,
                          notes=notes.strip(), created_at=now(), created_by=_user(actor))
    plan.full_clean()
    plan.save()
    plan.team.set(team)
    log_action("routine.inspection_plan", actor=actor, obj=plan, org=org,
               after={**snapshot(plan), "team": [u.username for u in team]})
    return plan


@transaction.atomic
def inspection_visit_add(*, actor, plan: InspectionPlan, org, visited_on: datetime.date, inspector=None,
                         notes: str = "") -> InspectionVisit:
    if not org.is_within(plan.org):
        raise RoutineError(f"“{org.name}”不在本次督查范围内")
    if inspector is not None and not plan.team.filter(pk=inspector.pk).exists():
        raise RoutineError("督查人员不是本督查组成员")
    if not plan.period_start <= visited_on <= plan.period_end:
        raise RoutineError("督查日期不在督查期间内")
    visit = InspectionVisit.objects.create(plan=plan, org=org, visited_on=visited_on, inspector=inspector,
                                           notes=notes.strip(), created_at=now())
    log_action("routine.inspection_visit", actor=actor, obj=visit, org=org, after=snapshot(visit))
    return visit


@transaction.atomic
def inspection_finding_add(*, actor, visit: InspectionVisit, description: str, category: str = Category.OTHER,
                           severity: str = Severity.NORMAL, deadline: datetime.date | None = None) -> InspectionFinding:
    """A finding becomes a problem (source 督查发现) in the rectification ledger."""
    plan = visit.plan
    problem = rectification_services.problem_create(
        actor=actor, org=visit.org, description=description, source=Source.INSPECTION, category=category,
        severity=severity, source_document=f"{plan.title}（{visit.visited_on:%Y-%m-%d} 督查）",
        found_on=visit.visited_on, owner=visit.org.secretary, deadline=deadline,
    )
    finding = InspectionFinding.objects.create(visit=visit, problem=problem)
    log_action("routine.inspection_finding", actor=actor, obj=finding, org=visit.org,
               after={"visit": visit.pk, "problem": problem.pk})
    return finding


# ---- result uses -------------------------------------------------------------------------------


@transaction.atomic
def result_use_create(*, actor, person, org, kind: str, decided_on: datetime.date, document: str = "",
                      note: str = "", result=None) -> ResultUse:
    if kind not in UseKind.values:
        raise RoutineError(f"运用方式“{kind}”无效")
    if result is not None and result.participant.secretary_id != person.pk:
        raise RoutineError("所选考核结果不是该人员的")
    if result is not None and not result.version.campaign.is_frozen:
        raise RoutineError("只能运用已发布的考核结果")
    if decided_on > today():
        raise RoutineError("日期不能晚于今天")
    use = ResultUse.objects.create(person=person, org=org, kind=kind, decided_on=decided_on,
                                   document=document.strip(), note=note.strip(), result=result,
                                   created_at=now(), created_by=_user(actor))
    log_action("routine.result_use", actor=actor, obj=use, org=org, after=snapshot(use))
    return use


# ---- composite --------------------------------------------------------------------------------


@transaction.atomic
def campaign_routine_apply(*, actor, campaign, overwrite: bool = False) -> int:
    """Copy the monthly-score routine score into Participant.routine_score (audited per participant).

    Manual entries are kept unless `overwrite`; the frozen result then records exactly what was used.
    """
    from shuping.campaigns import services as campaign_services

    details = selectors.campaign_routine_details(campaign)
    copied = 0
    for participant in campaign.participants.all():
        if participant.pk not in details:
            continue
        if participant.routine_score is not None and not overwrite:
            continue
        value = details[participant.pk][0]
        if participant.routine_score != value:
            campaign_services.participant_update(actor=actor, participant=participant, routine_score=value)
            copied += 1
    log_action("routine.apply_to_campaign", actor=actor, obj=campaign, org=campaign.organiser,
               after={"copied": copied, "overwrite": overwrite})
    return copied


# ---- ranking groups per organiser ------------------------------------------------------------


def parse_ranking_groups(text: str) -> list[tuple[str, list[str]]]:
    """Lines "分组名称：乡镇、街道" → [(name, [unit type values])]; nothing after the colon = all the rest."""
    from shuping.orgs.models import UnitType

    by_label = {label: value for value, label in UnitType.choices}
    groups, names = [], set()
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _sep, types = line.replace(":", "：").partition("：")
        name = name.strip()
        if not name or len(name) > 50:
            raise RoutineError(f"第{number}行：分组名称不能为空且不超过50字")
        if name in names:
            raise RoutineError(f"第{number}行：分组“{name}”重复")
        values = []
        for label in (t.strip() for t in types.replace(",", "、").replace("，", "、").split("、")):
            if not label:
                continue
            if label not in by_label:
                raise RoutineError(f"第{number}行：单位类别“{label}”无效，可用：{'、'.join(by_label)}")
            values.append(by_label[label])
        names.add(name)
        groups.append((name, values))
    return groups


@transaction.atomic
def ranking_groups_set(*, actor, organiser, groups: list[tuple[str, list[str]]]):
    """Replace the organiser's routine ranking groups (an empty list restores the level's defaults)."""
    from .models import RankingGroup

    before = [(g.name, g.unit_types) for g in RankingGroup.objects.filter(organiser=organiser)]
    RankingGroup.objects.filter(organiser=organiser).delete()
    RankingGroup.objects.bulk_create([RankingGroup(organiser=organiser, name=name, unit_types=types, order=order)
                                      for order, (name, types) in enumerate(groups)])
    log_action("routine.ranking_groups", actor=actor, obj=organiser, org=organiser, before={"groups": before},
               after={"groups": [list(g) for g in groups]})

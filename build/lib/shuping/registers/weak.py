"""软弱涣散党组织整顿: identification (with a problem in the rectification ledger), 包联, measures and
milestones, progress with evidence, and the county's 验收 (达标/不达标). Writes and reads of this register."""

import datetime
from collections import Counter

from django.core.exceptions import ValidationError
from django.db import transaction

from shuping.audit.services import log_action, snapshot
from shuping.clock import now, today
from shuping.orgs.models import Org
from shuping.rectification import services as rectification_services
from shuping.rectification.models import Category, Source

from .models import WeakMilestone, WeakOrgCase, WeakProgress, WeakReason, WeakState

MAX_EVIDENCE_BYTES = 10 * 1024 * 1024
EVIDENCE_TYPES = (".jpg", ".jpeg", ".png", ".pdf", ".docx", ".xlsx")


class WeakError(ValidationError):
    pass


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def case_identify(*, actor, org: Org, year: int, reason_category: str, reason: str, leader: str,
                  leader_unit: Org | None = None, identified_on: datetime.date | None = None) -> WeakOrgCase:
    """The county names the org; its 整顿 becomes a problem (组织力) that the unit must rectify."""
    if reason_category not in WeakReason.values:
        raise WeakError("请选择原因类别")
    if not (reason or "").strip() or not (leader or "").strip():
        raise WeakError("具体表现和包联县级领导不能为空")
    if WeakOrgCase.objects.filter(org=org, year=year).exists():
        raise WeakError(f"{org.name}已列入{year}年软弱涣散党组织")
    case = WeakOrgCase(org=org, year=year, reason_category=reason_category, reason=reason.strip(),
                       leader=leader.strip(), leader_unit=leader_unit, identified_on=identified_on or today(),
                       created_at=now(), created_by=_user(actor))
    case.problem = rectification_services.problem_create(
        actor=actor, org=org, source=Source.INSPECTION, category=Category.ORGANISING,
        description=f"被确定为{year}年软弱涣散党组织（{case.get_reason_category_display()}）：{case.reason}",
        source_document=f"{year}年软弱涣散党组织认定", found_on=case.identified_on, owner=org.secretary,
    )
    case.save()
    log_action("register.weak_identify", actor=actor, obj=case, org=org, after=snapshot(case))
    return case


def _lock(case: WeakOrgCase) -> WeakOrgCase:
    return WeakOrgCase.objects.select_for_update().get(pk=case.pk)


def _require_open(case: WeakOrgCase) -> None:
    if case.state in (WeakState.PASSED, WeakState.FAILED):
        raise WeakError(f"已{case.get_state_display()}，不能再修改")


@transaction.atomic
def milestone_add(*, actor, case: WeakOrgCase, measure: str, due: datetime.date) -> WeakMilestone:
    case = _lock(case)
    _require_open(case)
    if not (measure or "").strip():
        raise WeakError("整顿措施不能为空")
    milestone = WeakMilestone.objects.create(case=case, measure=measure.strip(), due=due)
    if case.state == WeakState.IDENTIFIED:
        case.state = WeakState.RECTIFYING
        case.save(update_fields=["state"])
    log_action("register.weak_milestone", actor=actor, obj=case, org=case.org,
               after={"measure": milestone.measure, "due": due})
    return milestone


@transaction.atomic
def progress_add(*, actor, case: WeakOrgCase, note: str, milestone: WeakMilestone | None = None,
                 evidence=None, milestone_done: bool = False) -> WeakProgress:
    case = _lock(case)
    _require_open(case)
    if not (note or "").strip():
        raise WeakError("进展情况不能为空")
    if milestone is not None and milestone.case_id != case.pk:
        raise WeakError("整顿措施不属于本条整顿")
    if evidence is not None:
        name = getattr(evidence, "name", "")
        if not name.lower().endswith(EVIDENCE_TYPES):
            raise WeakError("佐证材料只接受图片、PDF、Word 或 Excel 文件")
        if evidence.size > MAX_EVIDENCE_BYTES:
            raise WeakError("佐证材料不能超过 10 MB")
    progress = WeakProgress(case=case, milestone=milestone, note=note.strip(), recorded_at=now(),
                            recorded_by=_user(actor))
    if evidence is not None:
        progress.evidence_name = getattr(evidence, "name", "")[:200]
        progress.evidence.save(progress.evidence_name, evidence, save=False)  # through Django's storage
    progress.save()
    if milestone is not None and milestone_done and milestone.done_on is None:
        milestone.done_on = today()
        milestone.save(update_fields=["done_on"])
    if case.state == WeakState.IDENTIFIED:
        case.state = WeakState.RECTIFYING
        case.save(update_fields=["state"])
    log_action("register.weak_progress", actor=actor, obj=case, org=case.org,
               after={"note": progress.note, "evidence": progress.evidence_name,
                      "milestone_done": milestone.measure if milestone and milestone_done else ""})
    return progress


@transaction.atomic
def case_accept(*, actor, case: WeakOrgCase, passed: bool, note: str,
                accepted_on: datetime.date | None = None) -> WeakOrgCase:
    """验收 by the county: 达标 or 不达标, with its opinion."""
    case = _lock(case)
    _require_open(case)
    if not (note or "").strip():
        raise WeakError("请填写验收意见")
    before = snapshot(case)
    case.state = WeakState.PASSED if passed else WeakState.FAILED
    case.accepted_on, case.acceptance_note = accepted_on or today(), note.strip()
    case.save(update_fields=["state", "accepted_on", "acceptance_note"])
    log_action("register.weak_accept", actor=actor, obj=case, org=case.org, before=before, after=snapshot(case))
    return case


# --- reads ----------------------------------------------------------------------------------


def cases_in(root: Org, year: int):
    return (WeakOrgCase.objects.filter(org__in=root.subtree(), year=year)
            .select_related("org", "leader_unit", "problem").prefetch_related("milestones"))


def progress_summary(cases) -> dict:
    """The 整顿 dashboard: counts by state and by reason, and milestones done on time."""
    cases = list(cases)
    states = Counter(c.state for c in cases)
    reasons = Counter(c.get_reason_category_display() for c in cases)
    milestones = [m for c in cases for m in c.milestones.all()]
    done = sum(1 for m in milestones if m.done_on)
    overdue = sum(1 for m in milestones if m.done_on is None and m.due < today())
    return {
        "total": len(cases),
        "states": [(label, states.get(value, 0)) for value, label in WeakState.choices],
        "reasons": sorted(reasons.items(), key=lambda item: -item[1]),
        "milestones": len(milestones), "done": done, "overdue": overdue,
        "done_pct": f"{done * 100 / len(milestones):.1f}" if milestones else "—",
    }


def weak_in_year(org: Org, year: int) -> WeakOrgCase | None:
    """For the star rating: an org listed this year and not yet accepted as 达标 is on the negative list."""
    return WeakOrgCase.objects.filter(org=org, year=year).exclude(state=WeakState.PASSED).first()


# --- Excel ----------------------------------------------------------------------------------

SHEET = "软弱涣散党组织"
HEADERS = ["单位编码", "单位名称", "原因类别", "具体表现", "包联县级领导", "包联单位编码", "认定日期"]
EXPORT_HEADERS = [*HEADERS, "状态", "整顿措施", "已完成措施", "验收日期", "验收意见"]


def export_rows(root: Org, year: int):
    for case in cases_in(root, year):
        milestones = list(case.milestones.all())
        yield [case.org.code, case.org.name, case.get_reason_category_display(), case.reason, case.leader,
               case.leader_unit.code if case.leader_unit else "", f"{case.identified_on:%Y-%m-%d}",
               case.get_state_display(), len(milestones), sum(1 for m in milestones if m.done_on),
               f"{case.accepted_on:%Y-%m-%d}" if case.accepted_on else "", case.acceptance_note]


def cases_workbook(root: Org, year: int, *, template: bool = False) -> bytes:
    from .excel import list_workbook

    rows = [] if template else export_rows(root, year)
    return list_workbook(SHEET, HEADERS if template else EXPORT_HEADERS, rows, [
        ["范围", root.name], ["年度", year],
        ["原因类别", "、".join(WeakReason.labels)],
        ["导入规则", "每行一个党组织；全部行校验通过才写入，有错误时逐行列出，不写入任何数据；已列入当年名单的单位不重复导入。"],
    ])


def cases_import(source, *, actor, root: Org, year: int, max_bytes: int | None = None) -> list[WeakOrgCase]:
    from .excel import parse_date, read_rows

    orgs = {o.code: o for o in root.subtree()}
    reasons = {label: value for value, label in WeakReason.choices}
    listed = set(WeakOrgCase.objects.filter(org__in=orgs.values(), year=year).values_list("org__code", flat=True))
    seen: dict[str, int] = {}

    def parse(number, record):
        problems = []
        org = orgs.get(record.get("单位编码", ""))
        if org is None:
            problems.append(("单位编码", f"“{record.get('单位编码', '')}”不是{root.name}所辖单位"))
        elif org.code in listed:
            problems.append(("单位编码", f"{org.name}已列入{year}年名单"))
        elif org.code in seen:
            problems.append(("单位编码", f"与第 {seen[org.code]} 行重复"))
        else:
            seen[org.code] = number
        reason = reasons.get(record.get("原因类别", ""))
        if reason is None:
            problems.append(("原因类别", f"应为：{'、'.join(WeakReason.labels)}"))
        for column in ("具体表现", "包联县级领导"):
            if not record.get(column):
                problems.append((column, "不能为空"))
        unit_code = record.get("包联单位编码", "")
        unit = Org.objects.filter(code=unit_code).first() if unit_code else None
        if unit_code and unit is None:
            problems.append(("包联单位编码", f"没有编码为“{unit_code}”的单位"))
        day = parse_date(record.get("认定日期", "")) if record.get("认定日期") else today()
        if day is None:
            problems.append(("认定日期", "日期格式应为 2026-03-31"))
        item = {"org": org, "reason_category": reason, "reason": record.get("具体表现", ""),
                    "leader": record.get("包联县级领导", ""), "leader_unit": unit, "identified_on": day}
        return item, problems

    items = read_rows(source, SHEET, ["单位编码", "原因类别", "具体表现", "包联县级领导"],
                      ["单位名称", "包联单位编码", "认定日期"], parse, max_bytes=max_bytes)
    with transaction.atomic():
        return [case_identify(actor=actor, year=year, **item) for item in items]

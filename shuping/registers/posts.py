"""第一书记 and 驻村工作队: who is sent by which unit to which village, for which period."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from shuping.audit.services import log_action, snapshot
from shuping.clock import now
from shuping.orgs.models import Org, UnitType

from .models import Assignment, PostRole

VILLAGE_TYPES = (UnitType.VILLAGE, UnitType.COMMUNITY)


class PostError(ValidationError):
    pass


@transaction.atomic
def assignment_save(*, actor, assignment: Assignment) -> Assignment:
    before = snapshot(Assignment.objects.get(pk=assignment.pk)) if assignment.pk else None
    if assignment.village.unit_type not in VILLAGE_TYPES:
        raise PostError(f"“{assignment.village.name}”不是村（社区）")
    if assignment.end and assignment.end < assignment.start:
        raise PostError("结束日期不能早于开始日期")
    if not assignment.person_name.strip() or not assignment.sending_unit.strip():
        raise PostError("姓名和派出单位不能为空")
    if assignment.role == PostRole.FIRST_SECRETARY:
        # One 第一书记 per village at a time: overlapping periods are a data-entry error.
        clash = Assignment.objects.filter(village=assignment.village, role=PostRole.FIRST_SECRETARY).exclude(
            pk=assignment.pk).filter(Q(end__isnull=True) | Q(end__gte=assignment.start))
        if assignment.end:
            clash = clash.filter(start__lte=assignment.end)
        if clash.exists():
            raise PostError(f"{assignment.village.name}在该期间已有第一书记（{clash.first().person_name}）")
    if assignment.created_at is None:
        assignment.created_at = now()
    assignment.full_clean()
    assignment.save()
    log_action("register.assignment_save", actor=actor, obj=assignment, org=assignment.village, before=before,
               after=snapshot(assignment))
    return assignment


@transaction.atomic
def assignment_delete(*, actor, assignment: Assignment, reason: str) -> None:
    """Remove a wrongly entered assignment (one that ended is given an end date instead); the audit log keeps it."""
    reason = (reason or "").strip()
    if not reason:
        raise PostError("请填写删除原因")
    log_action("register.assignment_delete", actor=actor, obj=assignment, org=assignment.village,
               before=snapshot(assignment), after={"reason": reason[:200]})
    assignment.delete()


def assignments_in(root: Org, year: int | None = None):
    found = Assignment.objects.filter(village__in=root.subtree()).select_related("village", "village__parent")
    if year:
        found = found.filter(start__lte=datetime.date(year, 12, 31)).filter(
            Q(end__isnull=True) | Q(end__gte=datetime.date(year, 1, 1)))
    return found


# --- Excel ----------------------------------------------------------------------------------

SHEET = "驻村干部"
HEADERS = ["姓名", "身份", "派出单位", "驻村单位编码", "驻村单位名称", "开始日期", "结束日期", "联系电话"]


def assignments_workbook(root: Org, year: int | None = None, *, template: bool = False) -> bytes:
    from .excel import list_workbook

    rows = [] if template else [
        [a.person_name, a.get_role_display(), a.sending_unit, a.village.code, a.village.name, f"{a.start:%Y-%m-%d}",
         f"{a.end:%Y-%m-%d}" if a.end else "", a.phone] for a in assignments_in(root, year)]
    return list_workbook(SHEET, HEADERS, rows, [
        ["范围", root.name], ["身份", "、".join(PostRole.labels)],
        ["导入规则", "同一人同一村同一开始日期视为同一条，导入时更新；全部行校验通过才写入。"],
    ])


def assignments_import(source, *, actor, root: Org, max_bytes: int | None = None) -> list[Assignment]:
    from .excel import parse_date, read_rows

    villages = {o.code: o for o in root.subtree().filter(unit_type__in=VILLAGE_TYPES)}
    roles = {label: value for value, label in PostRole.choices}

    def parse(number, record):
        problems = []
        village = villages.get(record.get("驻村单位编码", ""))
        if village is None:
            problems.append(("驻村单位编码", f"“{record.get('驻村单位编码', '')}”不是{root.name}所辖村（社区）"))
        role = roles.get(record.get("身份", "") or "第一书记")
        if role is None:
            problems.append(("身份", f"应为：{'、'.join(PostRole.labels)}"))
        for column in ("姓名", "派出单位"):
            if not record.get(column):
                problems.append((column, "不能为空"))
        start = parse_date(record.get("开始日期", ""))
        if start is None:
            problems.append(("开始日期", "日期格式应为 2026-03-31"))
        end = parse_date(record["结束日期"]) if record.get("结束日期") else None
        if record.get("结束日期") and end is None:
            problems.append(("结束日期", "日期格式应为 2026-03-31"))
        return {"person_name": record.get("姓名", ""), "role": role, "sending_unit": record.get("派出单位", ""),
                    "village": village, "start": start, "end": end, "phone": record.get("联系电话", "")}, problems

    items = read_rows(source, SHEET, ["姓名", "派出单位", "驻村单位编码", "开始日期"],
                      ["身份", "驻村单位名称", "结束日期", "联系电话"], parse, max_bytes=max_bytes)
    saved = []
    with transaction.atomic():
        for item in items:
            row = Assignment.objects.filter(person_name=item["person_name"], village=item["village"],
                                            start=item["start"]).first() or Assignment()
            for field, value in item.items():
                setattr(row, field, value)
            try:
                saved.append(assignment_save(actor=actor, assignment=row))
            except ValidationError as exc:
                from shuping.core.xlsx import ImportFailed, RowError

                raise ImportFailed([RowError(SHEET, 0, "", f"{item['person_name']}：{'；'.join(exc.messages)}")]) from exc
    return saved

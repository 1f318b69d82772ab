"""Excel in and out for routine assessment: monthly scores and responsibility lists.

Imports validate every row first and write nothing when any row is wrong (all or nothing).
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction

from shuping.core.xlsx import (
    ImportFailed,
    RowError,
    WorkbookError,
    new_workbook,
    open_workbook,
    read_sheet,
    workbook_bytes,
    write_sheet,
)
from shuping.orgs.models import Org

from . import selectors, services

SCORE_SHEET = "月度评分"
SCORE_HEADERS = ["单位编码", "单位名称", "指标编码", "得分"]
DUTY_SHEET = "责任清单"
DUTY_HEADERS = ["单位编码", "单位名称", "重点任务", "目标值", "计量单位", "完成时限", "佐证材料"]
DUTY_EXPORT_HEADERS = [*DUTY_HEADERS, "累计完成值", "完成率（%）", "是否逾期"]


@dataclass
class ImportSummary:
    rows: int
    changed: int

    def describe(self) -> str:
        return f"导入成功：共 {self.rows} 行，其中 {self.changed} 个分数有变化"


def scores_template(organiser: Org, year: int, month: int) -> bytes:
    """Pre-filled: one row per unit × indicator, with the month's current score if any."""
    current = {(row.org.pk, code): score for row in selectors.month_table(organiser, year, month)
               for code, score in row.scores.items()}
    indicators = list(selectors.indicators(organiser, year))
    rows = [
        [unit.code, unit.name, ind.code, current.get((unit.pk, ind.code))]
        for unit in selectors.units(organiser) for ind in indicators
    ]
    workbook = new_workbook()
    write_sheet(workbook, SCORE_SHEET, SCORE_HEADERS, rows, widths={"单位名称": 30})
    write_sheet(workbook, "指标说明", ["指标编码", "指标名称", "满分", "评分要点"],
                [[i.code, i.name, i.max_score, i.guidance] for i in indicators], widths={"评分要点": 60})
    write_sheet(workbook, "说明", ["项目", "内容"], [
        ["组织单位", organiser.name], ["年度", year], ["月份", month],
        ["填写要求", "每行一个单位的一个指标得分；得分为 0 至满分之间的数，最多两位小数；得分留空的行不导入。"],
        ["导入规则", "全部行校验通过才写入；有错误时逐行列出，不写入任何数据。"],
    ], widths={"内容": 80})
    return workbook_bytes(workbook)


def scores_import(source, *, actor, organiser: Org, year: int, month: int, max_bytes: int | None = None) -> ImportSummary:
    try:
        workbook = open_workbook(source, max_bytes=max_bytes)
    except WorkbookError as exc:
        raise ImportFailed([RowError(SCORE_SHEET, 0, "", str(exc))]) from exc
    errors: list[RowError] = []
    sheet = read_sheet(workbook, SCORE_SHEET, ["单位编码", "指标编码", "得分"], ["单位名称"], errors)
    if sheet is None and not errors:
        errors.append(RowError(SCORE_SHEET, 0, "", f"缺少工作表“{SCORE_SHEET}”"))
    try:
        services.require_scorable_month(year, month)
    except services.RoutineError as exc:
        errors.append(RowError(SCORE_SHEET, 0, "", "；".join(exc.messages)))
    if errors:
        raise ImportFailed(errors)
    units = {u.code: u for u in selectors.units(organiser)}
    indicators = {i.code: i for i in selectors.indicators(organiser, year)}
    if not indicators:
        raise ImportFailed([RowError(SCORE_SHEET, 0, "", f"{organiser.name}{year}年度尚未设置日常考核指标")])
    rows, seen = [], {}
    for number, record in sheet.rows:
        code, name, ind_code, text = (record.get(h, "") for h in ("单位编码", "单位名称", "指标编码", "得分"))
        if not text:
            continue  # a template row left empty: nothing to import
        row_errors = []
        unit = units.get(code)
        if unit is None:
            row_errors.append(RowError(SCORE_SHEET, number, "单位编码", f"“{code}”不是{organiser.name}的直属单位"
                                       if code else "单位编码不能为空"))
        elif name and name != unit.name:
            row_errors.append(RowError(SCORE_SHEET, number, "单位名称", f"与编码 {code} 对应的单位“{unit.name}”不一致"))
        indicator = indicators.get(ind_code)
        if indicator is None:
            row_errors.append(RowError(SCORE_SHEET, number, "指标编码", f"{year}年度没有编码为“{ind_code}”的指标"))
        else:
            try:
                value = services.parse_score(text, indicator.max_score)
            except services.RoutineError as exc:
                row_errors.append(RowError(SCORE_SHEET, number, "得分", "；".join(exc.messages)))
        if unit is not None and indicator is not None:
            key = (unit.pk, indicator.pk)
            if key in seen:
                row_errors.append(RowError(SCORE_SHEET, number, "指标编码", f"与第 {seen[key]} 行重复"))
            seen.setdefault(key, number)
        if row_errors:
            errors.extend(row_errors)
        else:
            rows.append((unit, indicator, value))
    if errors:
        raise ImportFailed(errors)
    if not rows:
        raise ImportFailed([RowError(SCORE_SHEET, 0, "", "没有可导入的得分")])
    changed = services.monthly_scores_store(actor=actor, organiser=organiser, year=year, month=month, rows=rows,
                                            source="excel")
    return ImportSummary(rows=len(rows), changed=changed)


def _parse_date(text: str) -> datetime.date:
    text = text.strip().split(" ")[0].replace("/", "-").replace(".", "-")
    for fmt in ("%Y-%m-%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def responsibilities_import(source, *, actor, organiser: Org, year: int, max_bytes: int | None = None) -> int:
    try:
        workbook = open_workbook(source, max_bytes=max_bytes)
    except WorkbookError as exc:
        raise ImportFailed([RowError(DUTY_SHEET, 0, "", str(exc))]) from exc
    errors: list[RowError] = []
    sheet = read_sheet(workbook, DUTY_SHEET, ["单位编码", "重点任务", "目标值", "计量单位", "完成时限"],
                       ["单位名称", "佐证材料"], errors)
    if sheet is None and not errors:
        errors.append(RowError(DUTY_SHEET, 0, "", f"缺少工作表“{DUTY_SHEET}”"))
    if errors:
        raise ImportFailed(errors)
    orgs = {o.code: o for o in organiser.subtree().exclude(pk=organiser.pk)}
    parsed = []
    for number, r in sheet.rows:
        row_errors = []
        org = orgs.get(r["单位编码"])
        if org is None:
            row_errors.append(RowError(DUTY_SHEET, number, "单位编码", f"“{r['单位编码']}”不在{organiser.name}的管辖范围内"))
        if not r["重点任务"]:
            row_errors.append(RowError(DUTY_SHEET, number, "重点任务", "不能为空"))
        try:
            target = Decimal(r["目标值"])
            if not target.is_finite() or target <= 0:
                raise InvalidOperation
        except InvalidOperation:
            row_errors.append(RowError(DUTY_SHEET, number, "目标值", "应为大于 0 的数"))
        if not r["计量单位"]:
            row_errors.append(RowError(DUTY_SHEET, number, "计量单位", "不能为空"))
        try:
            deadline = _parse_date(r["完成时限"])
        except ValueError:
            row_errors.append(RowError(DUTY_SHEET, number, "完成时限", "日期格式应为 2026-12-31"))
        if row_errors:
            errors.extend(row_errors)
        else:
            parsed.append((org, r, target, deadline))
    if errors:
        raise ImportFailed(errors)
    with transaction.atomic():
        for order, (org, r, target, deadline) in enumerate(parsed):
            services.responsibility_save(actor=actor, organiser=organiser, year=year, org=org, task=r["重点任务"],
                                         target_value=target, target_unit=r["计量单位"], deadline=deadline,
                                         evidence_required=r.get("佐证材料", ""), order=order)
    return len(parsed)


def responsibilities_export(organiser: Org, year: int, within: Org | None = None, *, day: datetime.date) -> bytes:
    rows = [
        [i.org.code, i.org.name, i.task, i.target_value, i.target_unit, i.deadline.isoformat(), i.evidence_required,
         i.achieved, i.completion, "是" if i.is_overdue(day) else "否"]
        for i in selectors.responsibility_items(organiser, year, within)
    ]
    workbook = new_workbook()
    write_sheet(workbook, DUTY_SHEET, DUTY_EXPORT_HEADERS, rows, widths={"单位名称": 28, "重点任务": 50, "佐证材料": 30})
    return workbook_bytes(workbook)

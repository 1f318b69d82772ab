"""基础数据 in and out as .xlsx: one row per unit, one column per fact, all-or-nothing import."""

from dataclasses import dataclass

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
from .models import FactSheet, FactValue, SheetState

SHEET = "基础数据"
KEY_HEADERS = ["单位编码", "单位名称"]


@dataclass
class ImportSummary:
    units: int
    values: int
    submitted: int | None = None

    def describe(self) -> str:
        text = f"导入成功：{self.units} 个单位、{self.values} 项数据"
        if self.submitted is None or self.submitted == self.units:
            return text + "，已提交待上级确认"
        return text + (f"，其中 {self.submitted} 个单位已提交待上级确认" if self.submitted else "，待各单位提交上级确认")


def _rows(root: Org, year: int, *, state_column: bool):
    table = selectors.subtree_table(root, year, limit=100_000)
    for row in table["rows"]:
        state = [row["sheet"].get_state_display() if row["sheet"] else "未填报"] if state_column else []
        yield [row["org"].code, row["org"].name, *row["values"], *state]


def facts_workbook(root: Org, year: int, *, state_column: bool = True) -> bytes:
    """The export (with each unit's state) or the import template; both carry what is there now."""
    facts = selectors.active_facts(root)
    headers = [*KEY_HEADERS, *[f.header for f in facts], *(["状态"] if state_column else [])]
    workbook = new_workbook()
    write_sheet(workbook, SHEET, headers, _rows(root, year, state_column=state_column), widths={"单位名称": 30})
    write_sheet(workbook, "填报说明", ["数据项", "计量单位", "取值范围", "适用单位", "填报主体", "说明"], [
        [f.name, f.unit or "是/否", _range(f), f.unit_types_display, f.enterer_display, f.guidance] for f in facts
    ], widths={"说明": 50, "适用单位": 24, "填报主体": 24})
    write_sheet(workbook, "说明", ["项目", "内容"], [
        ["范围", root.name], ["年度", year],
        ["填写要求", "每行一个单位；“—”表示该项不适用于该单位；留空表示不填写；是/否类填“是”或“否”。"],
        ["导入规则", "全部行校验通过才写入；有错误时逐行列出，不写入任何数据。导入后状态为“待上级确认”，已确认的单位需先退回才能更改。"],
    ], widths={"内容": 80})
    return workbook_bytes(workbook)


def _range(fact) -> str:
    if fact.kind == "boolean":
        return "是/否"
    low = "" if fact.min_value is None else f"{fact.min_value.normalize():f}"
    high = "" if fact.max_value is None else f"{fact.max_value.normalize():f}"
    return f"{low}～{high}"


def facts_import(source, *, actor, scope, root: Org, year: int, max_bytes: int | None = None) -> ImportSummary:
    try:
        workbook = open_workbook(source, max_bytes=max_bytes)
    except WorkbookError as exc:
        raise ImportFailed([RowError(SHEET, 0, "", str(exc))]) from exc
    facts = selectors.active_facts(root)
    errors: list[RowError] = []
    sheet = read_sheet(workbook, SHEET, ["单位编码"], ["单位名称", *[f.header for f in facts]], errors)
    if sheet is None:
        raise ImportFailed(errors or [RowError(SHEET, 0, "", f"缺少工作表“{SHEET}”")])
    present = [f for f in facts if f.header in sheet.headers]
    if not present:
        raise ImportFailed([RowError(SHEET, 1, "", "没有任何数据项列，请使用下载的模板")])
    orgs = {o.code: o for o in root.subtree()}
    states = dict(FactSheet.objects.filter(org__in=orgs.values(), year=year).values_list("org__code", "state"))
    by_pk = {f.pk: f for f in facts}
    stored = {(org_id, fact_id): value for org_id, fact_id, value in FactValue.objects.filter(
        sheet__org__in=orgs.values(), sheet__year=year).values_list("sheet__org_id", "fact_id", "value")}

    def confirmed_values(org):
        sheet = FactSheet.objects.get(org=org, year=year)
        return {by_pk[v.fact_id]: v.value for v in sheet.values.all() if v.fact_id in by_pk}

    parsed, seen = [], {}
    for number, record in sheet.rows:
        code = record.get("单位编码", "")
        org = orgs.get(code)
        row_errors = []
        if org is None:
            row_errors.append(RowError(SHEET, number, "单位编码",
                                       f"“{code}”不是{root.name}所辖单位" if code else "单位编码不能为空"))
        elif not any(selectors.may_enter(scope, f, org, importing=True) for f in present):
            row_errors.append(RowError(SHEET, number, "单位编码", f"无权填报“{org.name}”的基础数据"))
        elif record.get("单位名称") and record["单位名称"] != org.name:
            row_errors.append(RowError(SHEET, number, "单位名称", f"与编码 {code} 对应的单位“{org.name}”不一致"))
        elif code in seen:
            row_errors.append(RowError(SHEET, number, "单位编码", f"与第 {seen[code]} 行重复"))
        values = {}
        if org is not None:
            seen.setdefault(code, number)
            for fact in present:
                text = record.get(fact.header, "")
                if text in ("", "—"):
                    continue
                if not fact.applies_to(org):
                    row_errors.append(RowError(SHEET, number, fact.header, f"该项不适用于{org.get_unit_type_display()}，请留空"))
                    continue
                try:
                    value = services.parse_fact_value(fact, text)
                except services.RegisterError as exc:
                    row_errors.append(RowError(SHEET, number, fact.header, "；".join(exc.messages)))
                    continue
                if not selectors.may_enter(scope, fact, org, importing=True):
                    if value != stored.get((org.pk, fact.pk)):  # an exported value coming back unchanged is fine
                        row_errors.append(RowError(SHEET, number, fact.header,
                                                   f"该项由{fact.enterer_display}，您无权填报，请留空"))
                    continue
                values[fact] = value
        if not row_errors and states.get(code) == SheetState.CONFIRMED:
            if values == {f: v for f, v in confirmed_values(org).items() if f in present}:
                continue  # an exported confirmed row coming back unchanged
            row_errors.append(RowError(SHEET, number, "单位编码", f"“{org.name}”{year}年基础数据已确认，需上级退回后才能更改"))
        if row_errors:
            errors.extend(row_errors)
        elif values:
            parsed.append((org, values))
    if errors:
        raise ImportFailed(errors)
    if not parsed:
        raise ImportFailed([RowError(SHEET, 0, "", "没有可导入的数据")])
    submitted = 0
    with transaction.atomic():
        for org, values in parsed:
            # A department or superior importing its own items fills them in; submitting is the unit's (or its
            # confirmer's) act.
            submit = selectors.may_submit(scope, org, importing=True)
            services.sheet_save(actor=actor, org=org, year=year, values=values, submit=submit, state_from_import=True)
            submitted += submit
    return ImportSummary(units=len(parsed), values=sum(len(v) for _, v in parsed), submitted=submitted)


# --- the other registers: one list sheet each, validated row by row, all or nothing -----------


def read_rows(source, sheet_name: str, required: list[str], optional: list[str], parse_row, *,
              max_bytes: int | None = None) -> list:
    """`parse_row(number, record)` returns (item, [messages by column]); any message fails the import."""
    try:
        workbook = open_workbook(source, max_bytes=max_bytes)
    except WorkbookError as exc:
        raise ImportFailed([RowError(sheet_name, 0, "", str(exc))]) from exc
    errors: list[RowError] = []
    sheet = read_sheet(workbook, sheet_name, required, optional, errors)
    if sheet is None:
        raise ImportFailed(errors or [RowError(sheet_name, 0, "", f"缺少工作表“{sheet_name}”")])
    items = []
    for number, record in sheet.rows:
        item, problems = parse_row(number, record)
        errors.extend(RowError(sheet_name, number, column, message) for column, message in problems)
        if not problems and item is not None:
            items.append(item)
    if errors:
        raise ImportFailed(errors)
    if not items:
        raise ImportFailed([RowError(sheet_name, 0, "", "没有可导入的数据")])
    return items


def parse_date(text: str):
    import datetime

    text = (text or "").strip().split(" ")[0]
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


def list_workbook(sheet_name: str, headers: list[str], rows, notes: list[list[str]]) -> bytes:
    workbook = new_workbook()
    write_sheet(workbook, sheet_name, headers, rows, widths={h: 30 for h in headers if "名称" in h or "表现" in h})
    write_sheet(workbook, "说明", ["项目", "内容"], notes, widths={"内容": 80})
    return workbook_bytes(workbook)

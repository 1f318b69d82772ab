"""问题清单 import from .xlsx: every row checked first, then all rows written or none."""

import datetime
import re

from django.db import transaction

from shuping.core.xlsx import (
    ImportFailed,
    RowError,
    new_workbook,
    open_workbook,
    read_sheet,
    workbook_bytes,
    write_notes,
    write_sheet,
)
from shuping.orgs.models import Org, Person

from . import services
from .models import Category, Severity, Source

SHEET = "问题清单"
REQUIRED = ["组织编码", "问题描述"]
OPTIONAL = ["组织名称", "问题类别", "严重程度", "问题来源", "来源文件", "发现日期", "整改措施", "责任人", "整改时限"]

SOURCE_ALIASES = {label: value for value, label in Source.choices}
SOURCE_ALIASES.update({"自己查": Source.SELF, "自查": Source.SELF, "上级找": Source.CRITIQUE, "点评指出": Source.CRITIQUE,
                       "点评": Source.CRITIQUE, "群众提": Source.PUBLIC, "巡视": Source.TOUR, "巡察": Source.TOUR,
                       "巡视巡察": Source.TOUR, "督查": Source.INSPECTION, "上年遗留": Source.CARRY_OVER})


def parse_date(text: str) -> datetime.date | None:
    text = text.strip()
    match = re.match(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?", text)
    if not match:
        return None
    try:
        return datetime.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _find_person(text: str, org: Org, errors, number):
    person = Person.objects.filter(code=text).first()
    if person is None:
        candidates = list(Person.objects.filter(name=text, memberships__org__in=org.subtree().values("pk")).distinct()[:2])
        if not candidates:
            candidates = list(Person.objects.filter(name=text, memberships__org__in=org.ancestors()).distinct()[:2])
        if len(candidates) > 1:
            errors.append(RowError(SHEET, number, "责任人", f"“{text}”有重名，请填写人员编号"))
            return None
        person = candidates[0] if candidates else None
    if person is None:
        errors.append(RowError(SHEET, number, "责任人", f"找不到人员“{text}”（请填写人员编号或本单位人员姓名）"))
    return person


def import_problems(source, *, actor, allowed_paths: list[str] | None, campaign=None, max_bytes: int | None = None) -> int:
    """Import the 问题清单 sheet. `allowed_paths` None means any org (superuser)."""
    workbook = open_workbook(source, max_bytes=max_bytes)
    errors: list[RowError] = []
    sheet = read_sheet(workbook, SHEET, REQUIRED, OPTIONAL, errors)
    if sheet is None and not errors:
        errors.append(RowError(SHEET, 0, "", f"找不到名为“{SHEET}”的工作表"))
    if errors:
        raise ImportFailed(errors)
    orgs = {o.code: o for o in Org.objects.filter(code__in={r["组织编码"] for _, r in sheet.rows})}
    participants = {}
    if campaign is not None:
        participants = {p.org_id: p for p in campaign.participants.all()}
    plans = []
    for number, row in sheet.rows:
        before = len(errors)
        org = orgs.get(row["组织编码"])
        if org is None:
            errors.append(RowError(SHEET, number, "组织编码", f"找不到组织“{row['组织编码']}”"))
        elif allowed_paths is not None and not any(org.path.startswith(p) for p in allowed_paths):
            errors.append(RowError(SHEET, number, "组织编码", f"“{org.name}”不在您的管理范围内"))
        description = row["问题描述"]
        if not description:
            errors.append(RowError(SHEET, number, "问题描述", "不能为空"))
        category = row.get("问题类别") or Category.OTHER
        if category not in Category.values:
            errors.append(RowError(SHEET, number, "问题类别", f"“{category}”无效，应为：{'、'.join(Category.values)}"))
        severity = row.get("严重程度") or Severity.NORMAL
        if severity not in Severity.values:
            errors.append(RowError(SHEET, number, "严重程度", f"“{severity}”无效，应为：一般、较重、严重"))
        source_text = row.get("问题来源") or "自己查"
        source_value = SOURCE_ALIASES.get(source_text)
        if source_value is None:
            errors.append(RowError(SHEET, number, "问题来源", f"“{source_text}”无效，应为：自己查、上级找、群众提、巡视巡察反馈、督查发现、上年述职遗留"))
        found_on = None
        if row.get("发现日期"):
            found_on = parse_date(row["发现日期"])
            if found_on is None:
                errors.append(RowError(SHEET, number, "发现日期", f"“{row['发现日期']}”不是有效日期（如 2025-03-18）"))
        deadline = None
        if row.get("整改时限"):
            deadline = parse_date(row["整改时限"])
            if deadline is None:
                errors.append(RowError(SHEET, number, "整改时限", f"“{row['整改时限']}”不是有效日期（如 2025-06-30）"))
        owner = None
        if row.get("责任人") and org is not None:
            owner = _find_person(row["责任人"], org, errors, number)
        if len(errors) == before:
            plans.append({
                "org": org, "description": description, "category": category, "severity": severity,
                "source": source_value, "source_document": row.get("来源文件", ""), "found_on": found_on,
                "owner": owner, "measures": row.get("整改措施", ""), "deadline": deadline,
                "campaign": campaign, "participant": participants.get(org.pk),
            })
    if errors:
        raise ImportFailed(errors)
    if not plans:
        raise ImportFailed([RowError(SHEET, 0, "", "工作表中没有数据行")])
    with transaction.atomic():
        for plan in plans:
            services.problem_create(actor=actor, **plan)
    return len(plans)


def template_workbook() -> bytes:
    workbook = new_workbook()
    write_sheet(workbook, SHEET, [*REQUIRED, *OPTIONAL], [
        ["QH-T01", "城关镇党委", "部分村党组织活动场所面积小、设施简陋", "工作保障", "一般", "督查发现",
         "县委组织部2025年上半年基层党建督查通报", "2025-06-20", "统筹资金改造提升3个村级活动场所", "P-QH-T01", "2025-12-31"],
    ], widths={"问题描述": 50, "整改措施": 50, "来源文件": 30})
    write_notes(workbook, "填写说明", [
        "组织编码、问题描述必填；每行一个问题。",
        f"问题类别：{'、'.join(Category.values)}（空白为“其他”）。",
        "严重程度：一般、较重、严重（空白为“一般”）。",
        "问题来源：自己查、上级找、群众提、巡视巡察反馈、督查发现、上年述职遗留（空白为“自己查”）。",
        "日期写成 2025-06-30 或 2025年6月30日；责任人填人员编号或本单位人员姓名。",
        "导入为全部成功或全部不导入：任何一行有错误时列出所有错误，不写入任何数据。",
    ], width=100)
    return workbook_bytes(workbook)

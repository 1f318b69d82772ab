"""The org-and-people workbook: template, export, and all-or-nothing import."""

import re
from dataclasses import dataclass

from django.db import transaction

from shuping.clock import today
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

from . import services
from .models import Gender, Org, OrgKind, Person, Sector, UnitType

ORG_SHEET = "组织"
PEOPLE_SHEET = "人员"
ORG_HEADERS = ["组织编码", "组织名称", "上级组织编码", "单位类别", "组织类型", "领域", "党员人数", "书记人员编号", "排序"]
PEOPLE_HEADERS = ["人员编号", "姓名", "性别", "出生年份", "职务", "手机号", "所属组织编码"]
CODE_PATTERN = re.compile(r"^[A-Za-z0-9_\-.]{1,64}$")
PHONE_PATTERN = re.compile(r"^1\d{10}$|^0\d{2,3}-?\d{7,8}$")
LIST_SPLIT = re.compile(r"[;；,，、\s]+")


def _label_map(choices) -> dict[str, str]:
    mapping = {}
    for value, label in choices.choices:
        mapping[label] = value
        mapping[value] = value
    return mapping


UNIT_TYPES = _label_map(UnitType)
ORG_KINDS = _label_map(OrgKind)
SECTORS = _label_map(Sector)
GENDERS = _label_map(Gender)


def _org_row(org: Org, codes_by_id: dict[int, str], secretary_codes: dict[int, str]) -> list:
    return [
        org.code,
        org.name,
        codes_by_id.get(org.parent_id, ""),
        org.get_unit_type_display(),
        org.get_kind_display(),
        org.get_sector_display() if org.sector else "",
        org.member_count,
        secretary_codes.get(org.secretary_id, ""),
        org.sort_order,
    ]


def export_workbook(orgs) -> bytes:
    """Orgs (parents first) and the people who belong to them, in the import format."""
    orgs = list(orgs.order_by("path"))
    org_ids = [o.pk for o in orgs]
    parent_ids = {o.parent_id for o in orgs if o.parent_id}
    codes_by_id = dict(Org.objects.filter(pk__in=set(org_ids) | parent_ids).values_list("pk", "code"))
    people = list(Person.objects.filter(memberships__org_id__in=org_ids).distinct().order_by("code"))
    memberships: dict[int, list[str]] = {}
    for person_id, code in Person.orgs.through.objects.filter(person__in=people).values_list(
        "person_id", "org__code"
    ):
        memberships.setdefault(person_id, []).append(code)
    secretary_codes = dict(Person.objects.filter(led_orgs__in=org_ids).values_list("pk", "code"))

    workbook = new_workbook()
    write_sheet(
        workbook,
        ORG_SHEET,
        ORG_HEADERS,
        (_org_row(o, codes_by_id, secretary_codes) for o in orgs),
        widths={"组织名称": 36, "组织编码": 18, "上级组织编码": 18},
    )
    write_sheet(
        workbook,
        PEOPLE_SHEET,
        PEOPLE_HEADERS,
        (
            [
                p.code,
                p.name,
                p.get_gender_display() if p.gender else "",
                p.birth_year or "",
                p.position,
                p.phone,
                "；".join(sorted(memberships.get(p.pk, []))),
            ]
            for p in people
        ),
        widths={"职务": 30, "所属组织编码": 30},
    )
    return workbook_bytes(workbook)


def template_workbook() -> bytes:
    workbook = new_workbook()
    write_sheet(
        workbook,
        ORG_SHEET,
        ORG_HEADERS,
        [["EX-001", "示例镇党委", "（上级组织编码）", "乡镇", "党委", "农村", 320, "P-001", 1]],
    )
    write_sheet(workbook, PEOPLE_SHEET, PEOPLE_HEADERS, [["P-001", "张三", "男", 1978, "党委书记", "13800000000", "EX-001"]])
    write_notes(workbook, "填写说明", [
        "1. “组织”表：组织编码唯一；上级组织编码须为本表或系统中已有的组织；顶级组织只能由系统管理员导入。",
        f"2. 单位类别：{'、'.join(UnitType.labels)}",
        f"3. 组织类型：{'、'.join(OrgKind.labels)}",
        f"4. 领域：{'、'.join(Sector.labels)}（可空）",
        "5. “人员”表：人员编号唯一；性别填 男/女；手机号 11 位；所属组织编码可填多个，用“；”分隔。",
        "6. 书记人员编号须为“人员”表或系统中已有的人员。",
        "7. 导入为“全部成功或全部不导入”：有任何错误时逐行列出，不写入任何数据；重复导入同一文件不会产生变化。",
    ], width=110)
    return workbook_bytes(workbook)


@dataclass
class ImportSummary:
    orgs_created: int = 0
    orgs_updated: int = 0
    orgs_moved: int = 0
    people_created: int = 0
    people_updated: int = 0

    @property
    def changed(self) -> int:
        return self.orgs_created + self.orgs_updated + self.orgs_moved + self.people_created + self.people_updated

    def describe(self) -> str:
        if not self.changed:
            return "导入完成：数据与系统一致，没有变化"
        return (
            f"导入完成：新增组织 {self.orgs_created} 个，更新 {self.orgs_updated} 个，调整隶属 {self.orgs_moved} 个；"
            f"新增人员 {self.people_created} 名，更新 {self.people_updated} 名"
        )


def _in_scope(path: str, allowed_paths) -> bool:
    return allowed_paths is None or any(path.startswith(p) for p in allowed_paths)


def import_workbook(source, *, actor, allowed_paths: list[str] | None, max_bytes: int | None = None) -> ImportSummary:
    """Validate every row first; write only when the whole file is clean.

    `allowed_paths` is the actor's org.manage scope (None: unrestricted, for the
    system administrator and the command line).
    """
    workbook = open_workbook(source, max_bytes=max_bytes)
    errors: list[RowError] = []
    org_sheet = read_sheet(workbook, ORG_SHEET, ORG_HEADERS[:5], ORG_HEADERS[5:], errors)
    people_sheet = read_sheet(workbook, PEOPLE_SHEET, PEOPLE_HEADERS[:2], PEOPLE_HEADERS[2:], errors)
    if org_sheet is None and people_sheet is None and not errors:
        errors.append(RowError(ORG_SHEET, 0, "", f"工作簿中没有“{ORG_SHEET}”或“{PEOPLE_SHEET}”工作表"))
    org_rows = _validate_orgs(org_sheet, errors) if org_sheet else {}
    people_rows = _validate_people(people_sheet, errors) if people_sheet else {}

    existing_orgs = {o.code: o for o in Org.objects.filter(code__in=_referenced_org_codes(org_rows, people_rows))}
    existing_people = {
        p.code: p
        for p in Person.objects.filter(
            code__in=set(people_rows) | {r["secretary"] for r in org_rows.values() if r["secretary"]}
        )
    }
    _check_references(org_rows, people_rows, existing_orgs, existing_people, allowed_paths, errors)
    if errors:
        raise ImportFailed(sorted(errors, key=lambda e: (e.sheet != ORG_SHEET, e.row)))
    with transaction.atomic():
        return _apply(org_rows, people_rows, existing_orgs, existing_people, actor, allowed_paths)


def _referenced_org_codes(org_rows, people_rows) -> set[str]:
    codes = set(org_rows) | {r["parent"] for r in org_rows.values() if r["parent"]}
    for row in people_rows.values():
        codes.update(row["orgs"])
    return codes


def _validate_orgs(sheet, errors) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    for number, record in sheet.rows:
        code = record["组织编码"]
        row = {"row": number}
        if not code:
            errors.append(RowError(ORG_SHEET, number, "组织编码", "不能为空"))
            continue
        if not CODE_PATTERN.match(code):
            errors.append(RowError(ORG_SHEET, number, "组织编码", "只能包含字母、数字、横线、下划线和点，最长 64 位"))
        if code in rows:
            errors.append(RowError(ORG_SHEET, number, "组织编码", f"与第 {rows[code]['row']} 行重复"))
            continue
        row["code"] = code
        row["name"] = record["组织名称"]
        if not row["name"]:
            errors.append(RowError(ORG_SHEET, number, "组织名称", "不能为空"))
        elif len(row["name"]) > 200:
            errors.append(RowError(ORG_SHEET, number, "组织名称", "超过 200 字"))
        row["parent"] = record["上级组织编码"]
        if row["parent"] == code:
            errors.append(RowError(ORG_SHEET, number, "上级组织编码", "不能是本组织自己"))
        for header, mapping, key, allow_blank in [
            ("单位类别", UNIT_TYPES, "unit_type", False),
            ("组织类型", ORG_KINDS, "kind", False),
            ("领域", SECTORS, "sector", True),
        ]:
            text = record.get(header, "")
            if not text and allow_blank:
                row[key] = ""
            elif text in mapping:
                row[key] = mapping[text]
            else:
                errors.append(RowError(ORG_SHEET, number, header, f"“{text}”不是有效值，可选：{'、'.join(k for k in mapping if not k.isascii())}"))
        row["member_count"] = _non_negative_int(record.get("党员人数", ""), ORG_SHEET, number, "党员人数", errors)
        row["sort_order"] = _non_negative_int(record.get("排序", ""), ORG_SHEET, number, "排序", errors)
        row["secretary"] = record.get("书记人员编号", "")
        rows[code] = row
    return rows


def _validate_people(sheet, errors) -> dict[str, dict]:
    rows: dict[str, dict] = {}
    this_year = today().year
    for number, record in sheet.rows:
        code = record["人员编号"]
        if not code:
            errors.append(RowError(PEOPLE_SHEET, number, "人员编号", "不能为空"))
            continue
        if not CODE_PATTERN.match(code):
            errors.append(RowError(PEOPLE_SHEET, number, "人员编号", "只能包含字母、数字、横线、下划线和点，最长 64 位"))
        if code in rows:
            errors.append(RowError(PEOPLE_SHEET, number, "人员编号", f"与第 {rows[code]['row']} 行重复"))
            continue
        row = {"row": number, "code": code, "name": record["姓名"], "position": record.get("职务", "")}
        if not row["name"]:
            errors.append(RowError(PEOPLE_SHEET, number, "姓名", "不能为空"))
        elif len(row["name"]) > 50:
            errors.append(RowError(PEOPLE_SHEET, number, "姓名", "超过 50 字"))
        gender = record.get("性别", "")
        if gender and gender not in GENDERS:
            errors.append(RowError(PEOPLE_SHEET, number, "性别", "只能填“男”或“女”"))
        row["gender"] = GENDERS.get(gender, "")
        year_text = record.get("出生年份", "")
        row["birth_year"] = None
        if year_text:
            if year_text.isdigit() and 1900 <= int(year_text) <= this_year:
                row["birth_year"] = int(year_text)
            else:
                errors.append(RowError(PEOPLE_SHEET, number, "出生年份", f"应为 1900–{this_year} 之间的四位年份"))
        phone = record.get("手机号", "")
        if phone and not PHONE_PATTERN.match(phone):
            errors.append(RowError(PEOPLE_SHEET, number, "手机号", "应为 11 位手机号或带区号的座机号"))
        row["phone"] = phone
        if len(row["position"]) > 100:
            errors.append(RowError(PEOPLE_SHEET, number, "职务", "超过 100 字"))
        row["orgs"] = sorted({c for c in LIST_SPLIT.split(record.get("所属组织编码", "")) if c})
        rows[code] = row
    return rows


def _non_negative_int(text, sheet, number, header, errors) -> int:
    if not text:
        return 0
    if text.isdigit():
        return int(text)
    errors.append(RowError(sheet, number, header, "应为非负整数"))
    return 0


def _check_references(org_rows, people_rows, existing_orgs, existing_people, allowed_paths, errors):
    def known_org(code):
        return code in org_rows or code in existing_orgs

    for code, row in org_rows.items():
        number = row["row"]
        parent = row["parent"]
        current = existing_orgs.get(code)
        if parent and not known_org(parent):
            errors.append(RowError(ORG_SHEET, number, "上级组织编码", f"找不到上级组织“{parent}”"))
        if not parent and allowed_paths is not None and (current is None or current.parent_id is not None):
            errors.append(RowError(ORG_SHEET, number, "上级组织编码", "只有系统管理员可以导入顶级组织，请填写上级组织编码"))
        if current is not None and not _in_scope(current.path, allowed_paths):
            errors.append(RowError(ORG_SHEET, number, "组织编码", "该组织不在您的管理范围内"))
        parent_changed = current is None or (current.parent.code if current.parent_id else "") != parent
        if (
            parent
            and parent_changed
            and parent in existing_orgs
            and parent not in org_rows
            and not _in_scope(existing_orgs[parent].path, allowed_paths)
        ):
            errors.append(RowError(ORG_SHEET, number, "上级组织编码", "上级组织不在您的管理范围内"))
        if row["secretary"] and row["secretary"] not in people_rows and row["secretary"] not in existing_people:
            errors.append(RowError(ORG_SHEET, number, "书记人员编号", f"找不到人员“{row['secretary']}”"))
    _check_cycles(org_rows, existing_orgs, errors)
    for code, row in people_rows.items():
        for org_code in row["orgs"]:
            if not known_org(org_code):
                errors.append(RowError(PEOPLE_SHEET, row["row"], "所属组织编码", f"找不到组织“{org_code}”"))
        person = existing_people.get(code)
        if person is not None and allowed_paths is not None:
            paths = list(person.orgs.values_list("path", flat=True))
            if paths and not any(_in_scope(p, allowed_paths) for p in paths):
                errors.append(RowError(PEOPLE_SHEET, row["row"], "人员编号", "该人员不在您的管理范围内"))


def _check_cycles(org_rows, existing_orgs, errors):
    parent_of = {code: existing.parent.code if existing.parent_id else "" for code, existing in existing_orgs.items()}
    parent_of.update({code: row["parent"] for code, row in org_rows.items()})
    for code, row in org_rows.items():
        seen = {code}
        current = parent_of.get(code, "")
        while current:
            if current in seen:
                errors.append(RowError(ORG_SHEET, row["row"], "上级组织编码", "上下级关系形成了循环"))
                break
            seen.add(current)
            current = parent_of.get(current, "")


def _apply(org_rows, people_rows, existing_orgs, existing_people, actor, allowed_paths) -> ImportSummary:
    summary = ImportSummary()
    orgs_by_code = dict(existing_orgs)
    pending = dict(org_rows)
    # Parents first: repeatedly take rows whose parent is already known.
    while pending:
        ready = [
            code
            for code, row in pending.items()
            if not row["parent"] or (row["parent"] in orgs_by_code and row["parent"] not in pending)
        ]
        if not ready:  # cycles were rejected during validation; this is a safety net
            raise ImportFailed([RowError(ORG_SHEET, 0, "上级组织编码", "上下级关系无法排序")])
        for code in sorted(ready, key=lambda c: pending[c]["row"]):
            row = pending.pop(code)
            parent = orgs_by_code.get(row["parent"]) if row["parent"] else None
            fields = {k: row[k] for k in ("name", "unit_type", "kind", "sector", "member_count", "sort_order")}
            org = orgs_by_code.get(code)
            if org is None:
                orgs_by_code[code] = services.org_create(actor=actor, parent=parent, code=code, **fields)
                summary.orgs_created += 1
                continue
            if org.parent_id != (parent.pk if parent else None):
                services.org_move(actor=actor, org=org, new_parent=parent)
                summary.orgs_moved += 1
            if services.org_update(actor=actor, org=org, **fields):
                summary.orgs_updated += 1
    people_by_code = dict(existing_people)
    for code, row in sorted(people_rows.items(), key=lambda item: item[1]["row"]):
        fields = {k: row[k] for k in ("name", "gender", "birth_year", "position", "phone")}
        person = people_by_code.get(code)
        listed = [orgs_by_code[c] for c in row["orgs"]]
        if person is None:
            people_by_code[code] = services.person_create(actor=actor, orgs=listed, code=code, **fields)
            summary.people_created += 1
            continue
        # Memberships outside the importer's scope are not theirs to add or remove.
        outside = [o for o in person.orgs.all() if not _in_scope(o.path, allowed_paths)]
        inside = [o for o in listed if _in_scope(o.path, allowed_paths)]
        final = {o.pk: o for o in [*inside, *outside]}
        if services.person_update(actor=actor, person=person, orgs=list(final.values()), **fields):
            summary.people_updated += 1
    for code, row in org_rows.items():
        org = orgs_by_code[code]
        org.refresh_from_db()
        secretary = people_by_code.get(row["secretary"]) if row["secretary"] else None
        if org.secretary_id != (secretary.pk if secretary else None) and services.org_update(
            actor=actor, org=org, secretary=secretary
        ):
            summary.orgs_updated += 1
    return summary

import io
import zipfile

import pytest
from openpyxl import Workbook, load_workbook

from shuping.audit.models import AuditEntry
from shuping.core.xlsx import ImportFailed, WorkbookError
from shuping.orgs import excel
from shuping.orgs.models import Membership, Org, Person


def _db_state():
    orgs = sorted(
        Org.objects.values_list(
            "code", "name", "parent__code", "unit_type", "kind", "sector", "member_count", "secretary__code", "depth"
        )
    )
    people = sorted(Person.objects.values_list("code", "name", "gender", "birth_year", "position", "phone"))
    members = sorted(Membership.objects.values_list("person__code", "org__code"))
    return orgs, people, members


def _workbook(org_rows=(), people_rows=()):
    wb = Workbook()
    wb.remove(wb.active)
    sheet = wb.create_sheet(excel.ORG_SHEET)
    sheet.append(excel.ORG_HEADERS)
    for row in org_rows:
        sheet.append(row)
    sheet = wb.create_sheet(excel.PEOPLE_SHEET)
    sheet.append(excel.PEOPLE_HEADERS)
    for row in people_rows:
        sheet.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    return buffer


def test_export_then_import_into_an_empty_database_is_identical(tree, django_db_blocker):
    exported = excel.export_workbook(Org.objects.all())
    before = _db_state()
    Org.objects.update(secretary=None)
    Membership.objects.all().delete()
    Person.objects.all().delete()
    for org in Org.objects.order_by("-depth"):
        org.delete()
    assert Org.objects.count() == 0
    summary = excel.import_workbook(io.BytesIO(exported), actor=None, allowed_paths=None)
    assert summary.orgs_created == len(before[0])
    assert _db_state() == before


def test_reimporting_the_same_file_changes_nothing(tree):
    exported = excel.export_workbook(Org.objects.all())
    audit_count = AuditEntry.objects.count()
    before = _db_state()
    summary = excel.import_workbook(io.BytesIO(exported), actor=None, allowed_paths=None)
    assert summary.changed == 0
    assert _db_state() == before
    assert AuditEntry.objects.count() == audit_count


def test_scoped_admin_can_reimport_their_own_export(tree):
    scope = [tree.county_a.path]
    exported = excel.export_workbook(tree.county_a.subtree())
    summary = excel.import_workbook(io.BytesIO(exported), actor=None, allowed_paths=scope)
    assert summary.changed == 0


def test_import_creates_updates_and_assigns_secretaries(tree):
    source = _workbook(
        [
            ["A-3", "甲三镇党委", "A", "乡镇", "党委", "农村", 500, "PX", 3],
            ["A-3-1", "新村党支部", "A-3", "村", "党支部", "农村", 30, "", 1],
            ["A-1", "甲一镇党委（更名）", "A", "乡镇", "党委", "农村", 10, "", 0],
        ],
        [["PX", "新书记", "女", 1980, "党委书记", "13611112222", "A-3；A-3-1"]],
    )
    summary = excel.import_workbook(source, actor=None, allowed_paths=[tree.county_a.path])
    assert (summary.orgs_created, summary.people_created) == (2, 1)
    town = Org.objects.get(code="A-3")
    assert town.secretary.name == "新书记"
    assert Org.objects.get(code="A-3-1").parent == town
    assert Org.objects.get(code="A-1").name == "甲一镇党委（更名）"
    assert sorted(Person.objects.get(code="PX").orgs.values_list("code", flat=True)) == ["A-3", "A-3-1"]


def test_bad_rows_are_all_reported_and_nothing_is_written(tree):
    before = _db_state()
    audit_count = AuditEntry.objects.count()
    source = _workbook(
        [
            ["A-9", "好的一行", "A", "乡镇", "党委", "农村", 5, "", 1],
            ["A-10", "", "A", "乡镇", "党委", "农村", 5, "", 1],
            ["A-11", "类型错误", "A", "城堡", "党委", "农村", 5, "", 1],
            ["A-12", "人数错误", "A", "乡镇", "党委", "农村", -3, "", 1],
            ["A-13", "上级不存在", "ZZZ", "乡镇", "党委", "农村", 5, "", 1],
            ["A-9", "重复编码", "A", "乡镇", "党委", "农村", 5, "", 1],
            ["B-2", "越权", "B", "乡镇", "党委", "农村", 5, "", 1],
        ],
        [["PY", "某人", "未知", 1850, "", "12345", "NOPE"]],
    )
    with pytest.raises(ImportFailed) as failure:
        excel.import_workbook(source, actor=None, allowed_paths=[tree.county_a.path])
    messages = [str(e) for e in failure.value.errors]
    rows = {(e.sheet, e.row, e.column) for e in failure.value.errors}
    assert ("组织", 3, "组织名称") in rows
    assert ("组织", 4, "单位类别") in rows
    assert ("组织", 5, "党员人数") in rows
    assert ("组织", 6, "上级组织编码") in rows
    assert ("组织", 7, "组织编码") in rows
    assert ("组织", 8, "上级组织编码") in rows
    assert {("人员", 2, "性别"), ("人员", 2, "出生年份"), ("人员", 2, "手机号"), ("人员", 2, "所属组织编码")} <= rows
    assert all(m.startswith("“") for m in messages)
    assert _db_state() == before
    assert AuditEntry.objects.count() == audit_count


def test_cycle_in_parents_is_refused(tree):
    source = _workbook(
        [
            ["X-1", "甲", "X-2", "乡镇", "党委", "", 1, "", 1],
            ["X-2", "乙", "X-1", "乡镇", "党委", "", 1, "", 1],
        ]
    )
    with pytest.raises(ImportFailed) as failure:
        excel.import_workbook(source, actor=None, allowed_paths=None)
    assert any("循环" in e.message for e in failure.value.errors)


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        (b"", "不是有效的 .xlsx"),
        (b"hello world", "不是有效的 .xlsx"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "旧版 .xls"),
        (b"PK\x03\x04" + b"\0" * 50, "无法读取"),
    ],
)
def test_files_that_are_not_workbooks_get_a_chinese_message(db, payload, fragment):
    with pytest.raises(WorkbookError) as failure:
        excel.import_workbook(io.BytesIO(payload), actor=None, allowed_paths=None)
    assert fragment in str(failure.value)


def test_truncated_workbook_is_refused(db):
    data = excel.template_workbook()
    with pytest.raises(WorkbookError):
        excel.import_workbook(io.BytesIO(data[: len(data) // 2]), actor=None, allowed_paths=None)


def test_zip_without_workbook_parts_is_refused(db):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "x")
    with pytest.raises(WorkbookError):
        excel.import_workbook(io.BytesIO(buffer.getvalue()), actor=None, allowed_paths=None)


def test_missing_columns_are_reported(db):
    wb = Workbook()
    wb.active.title = excel.ORG_SHEET
    wb.active.append(["组织编码", "名字"])
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    with pytest.raises(ImportFailed) as failure:
        excel.import_workbook(buffer, actor=None, allowed_paths=None)
    assert "缺少列" in failure.value.errors[0].message


def test_formulas_and_oversized_cells_are_refused(tree):
    source = _workbook([["A-5", "=1+1", "A", "乡镇", "党委", "农村", 5, "", 1], ["A-6", "长" * 3000, "A", "乡镇", "党委", "", 1, "", 1]])
    with pytest.raises(ImportFailed) as failure:
        excel.import_workbook(source, actor=None, allowed_paths=None)
    text = " ".join(str(e) for e in failure.value.errors)
    assert "公式" in text and "过长" in text


def test_template_has_chinese_headers(db):
    wb = load_workbook(io.BytesIO(excel.template_workbook()))
    assert [c.value for c in wb[excel.ORG_SHEET][1]] == excel.ORG_HEADERS
    assert [c.value for c in wb[excel.PEOPLE_SHEET][1]] == excel.PEOPLE_HEADERS


def test_import_view_shows_row_errors(client, tree, role_users):
    client.force_login(role_users["admin"])
    source = _workbook([["A-20", "", "A", "乡镇", "党委", "", 1, "", 1]])
    source.name = "bad.xlsx"
    response = client.post("/orgs/import/", {"file": source})
    body = response.content.decode()
    assert response.status_code == 200
    assert "错误清单" in body and "不能为空" in body
    assert not Org.objects.filter(code="A-20").exists()

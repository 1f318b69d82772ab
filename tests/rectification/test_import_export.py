import io

import docx
import openpyxl
import pytest

from shuping.core.xlsx import ImportFailed, new_workbook, workbook_bytes, write_sheet
from shuping.rectification import excel, selectors, services
from shuping.rectification.models import Problem, Rectification, Source

from .conftest import new_problem, planned

HEADERS = ["组织编码", "问题描述", "问题类别", "严重程度", "问题来源", "来源文件", "发现日期", "整改措施", "责任人", "整改时限"]


def _xlsx(rows):
    workbook = new_workbook()
    write_sheet(workbook, "问题清单", HEADERS, rows)
    return io.BytesIO(workbook_bytes(workbook))


def test_import_creates_problems_with_plans(tree):
    count = excel.import_problems(_xlsx([
        ["A-1", "村级活动阵地面积不足", "工作保障", "较重", "巡视巡察反馈", "县委巡察反馈", "2025-03-18", "改扩建场所", "PA", "2025年12月31日"],
        ["A-1-1", "三会一课记录不规范", "", "", "", "", "", "", "甲村书记", ""],
    ]), actor=None, allowed_paths=[tree.county_a.path])
    assert count == 2
    first = Problem.objects.get(description="村级活动阵地面积不足")
    assert first.source == Source.TOUR and first.severity == "较重" and str(first.found_on) == "2025-03-18"
    assert first.rectification.owner == tree.person_a and str(first.rectification.deadline) == "2025-12-31"
    second = Problem.objects.get(org=tree.village_a1)
    assert second.source == Source.SELF and second.category == "其他"
    assert second.rectification.owner == tree.person_a


def test_import_is_all_or_nothing_with_row_errors(tree):
    with pytest.raises(ImportFailed) as failed:
        excel.import_problems(_xlsx([
            ["A-1", "正确的一行", "工作保障", "一般", "自己查", "", "2025-03-18", "", "", ""],
            ["NOPE", "单位不存在", "", "", "", "", "", "", "", ""],
            ["A-2", "", "无此类别", "很重", "道听途说", "", "2025-13-40", "", "", ""],
            ["B-1", "不在范围内", "", "", "", "", "", "", "", ""],
        ]), actor=None, allowed_paths=[tree.county_a.path])
    messages = [str(e) for e in failed.value.errors]
    assert any("第 3 行" in m and "NOPE" in m for m in messages)
    assert {e.column for e in failed.value.errors if e.row == 4} >= {"问题描述", "问题类别", "严重程度", "问题来源", "发现日期"}
    assert any(e.row == 5 and "管理范围" in e.message for e in failed.value.errors)
    assert Problem.objects.count() == 0 and Rectification.objects.count() == 0


def test_import_page_shows_errors(tree, role_users, client):
    client.force_login(role_users["admin"])
    response = client.post("/problems/import/", {"file": _xlsx([["NOPE", "x"] + [""] * 8])})
    body = response.content.decode()
    assert "找不到组织" in body and Problem.objects.count() == 0
    response = client.post("/problems/import/", {"file": io.BytesIO(b"not a workbook")})
    assert "不是有效的 .xlsx" in response.content.decode()


def _ledger(tree):
    problem = new_problem(tree.town_a1, "村级活动阵地面积不足，功能不完善")
    rect = planned(problem, owner=tree.person_a)
    services.progress_add(actor=None, rectification=rect, text="已完成3个村场所改造")
    new_problem(tree.town_b1, "乙县的问题")
    return problem


def test_ledger_xlsx_export_has_the_columns_and_only_scope_rows(tree, role_users, client):
    _ledger(tree)
    client.force_login(role_users["leader"])
    response = client.get("/problems/export.xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "单位", "问题") and "整改措施" in rows[0] and "整改进展" in rows[0]
    assert len(rows) == 2
    assert rows[1][2] == "村级活动阵地面积不足，功能不完善" and rows[1][8] == "甲村书记"
    assert "已完成3个村场所改造" in rows[1][11]


def test_ledger_docx_is_a_landscape_table(tree, role_users, client):
    _ledger(tree)
    client.force_login(role_users["admin"])
    response = client.get(f"/problems/export.docx?org={tree.town_a1.pk}")
    document = docx.Document(io.BytesIO(response.content))
    section = document.sections[0]
    assert section.page_width > section.page_height
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "单位", "问题", "整改措施", "责任人", "整改时限", "整改进展"]
    assert "村级活动阵地面积不足" in table.rows[1].cells[2].text
    assert "统筹资金" in table.rows[1].cells[3].text
    assert len(table.rows) == 2


def test_template_download_round_trips(tree):
    workbook = openpyxl.load_workbook(io.BytesIO(excel.template_workbook()))
    assert "问题清单" in workbook.sheetnames and "填写说明" in workbook.sheetnames


def test_problem_list_filters_by_scope(tree, role_users):
    _ledger(tree)

    class Scope:
        def paths(self, permission):
            return [tree.county_a.path]

    assert [p.org for p in selectors.visible_problems(Scope())] == [tree.town_a1]

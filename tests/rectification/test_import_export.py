import io

import docx
import openpyxl
import pytest

from shuping.accounts.models import RoleGrant
from shuping.audit.models import AuditEntry
from shuping.core.xlsx import ImportFailed, new_workbook, workbook_bytes, write_sheet
from shuping.jobs.models import Job
from shuping.jobs.services import KINDS
from shuping.rectification import excel, selectors, services
from shuping.rectification.models import Problem, Rectification, Source
from tests.builders import make_campaign

from ..jobs.worker import job_page_after_run, job_result, start_job
from .conftest import new_problem, planned

HEADERS = ["组织编码", "问题描述", "问题类别", "严重程度", "问题来源", "来源文件", "发现日期", "整改措施", "责任人", "整改时限"]


def _xlsx(rows):
    workbook = new_workbook()
    write_sheet(workbook, "问题清单", HEADERS, rows)
    return io.BytesIO(workbook_bytes(workbook))


def _named(data, name="问题清单.xlsx"):
    data.name = name
    return data


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


def test_import_page_starts_a_job_that_imports_and_reports_its_summary(tree, role_users, client):
    client.force_login(role_users["admin"])
    job_url = start_job(client, "/problems/import/", {"file": _named(_xlsx([
        ["A-1", "村级活动阵地面积不足", "工作保障", "较重", "巡视巡察反馈", "", "2025-03-18", "", "", ""],
        ["A-1-1", "三会一课记录不规范", "", "", "", "", "", "", "", ""],
    ]))})
    assert "导入问题清单：问题清单.xlsx" in client.get(job_url).content.decode() and Problem.objects.count() == 0
    page = job_page_after_run(client, job_url)
    assert "已完成" in page and "已导入 2 个问题" in page and 'href="/problems/"' in page
    assert Problem.objects.filter(org=tree.village_a1, description="三会一课记录不规范").exists()
    assert list(AuditEntry.objects.filter(action="problem.create").values_list("actor_name", flat=True)) == ["admin"] * 2


def test_import_job_shows_row_errors_and_unreadable_files_in_chinese(tree, role_users, client):
    client.force_login(role_users["admin"])
    page = job_page_after_run(client, start_job(client, "/problems/import/",
                                                {"file": _named(_xlsx([["NOPE", "x"] + [""] * 8]))}))
    assert "失败" in page and "导入失败：发现 1 处错误，未导入任何数据" in page
    assert "错误清单" in page and "找不到组织" in page and Problem.objects.count() == 0
    page = job_page_after_run(client, start_job(client, "/problems/import/",
                                                {"file": _named(io.BytesIO(b"not a workbook"))}))
    assert "导入失败：文件不是有效的 .xlsx 工作簿" in page


def test_import_job_keeps_the_importers_scope_and_campaign_choice(tree, role_users, client):
    client.force_login(role_users["outsider"])  # admin of county B: A-1 is not his
    page = job_page_after_run(client, start_job(client, "/problems/import/", {"file": _named(_xlsx([
        ["A-1", "不在范围内", "", "", "", "", "", "", "", ""]]))}))
    assert "失败" in page and "管理范围" in page and Problem.objects.count() == 0
    campaign = make_campaign(tree)  # organised by county A
    response = client.post("/problems/import/", {"file": _named(_xlsx([["B-1", "问题", *[""] * 8]])),
                                                 "campaign": campaign.pk})
    assert response.status_code == 404 and not Job.objects.filter(kind="rectification.import", params__campaign=campaign.pk)


def test_import_job_rechecks_the_role_when_it_runs(tree, role_users, client):
    admin = role_users["admin"]
    client.force_login(admin)
    job_url = start_job(client, "/problems/import/", {"file": _named(_xlsx([["A-1", "问题", *[""] * 8]]))})
    RoleGrant.objects.filter(user=admin).delete()  # the role is revoked before a worker picks the job up
    page = job_page_after_run(client, job_url)
    assert "导入失败：你已没有此项权限，请联系管理员" in page and Problem.objects.count() == 0


def _ledger(tree):
    problem = new_problem(tree.town_a1, "村级活动阵地面积不足，功能不完善")
    rect = planned(problem, owner=tree.person_a)
    services.progress_add(actor=None, rectification=rect, text="已完成3个村场所改造")
    new_problem(tree.town_b1, "乙县的问题")
    return problem


def test_ledger_xlsx_export_has_the_columns_and_only_scope_rows(tree, role_users, client):
    _ledger(tree)
    client.force_login(role_users["leader"])
    assert client.get("/problems/export.xlsx").status_code == 405  # the button starts a job (POST)
    page, content = job_result(client, "/problems/export.xlsx")
    assert "导出问题整改清单（Excel）" in page and "下载 问题整改清单.xlsx" in page
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("序号", "单位", "问题") and "整改措施" in rows[0] and "整改进展" in rows[0]
    assert len(rows) == 2
    assert rows[1][2] == "村级活动阵地面积不足，功能不完善" and rows[1][8] == "甲村书记"
    assert "已完成3个村场所改造" in rows[1][11]


def test_ledger_docx_is_a_landscape_table(tree, role_users, client):
    _ledger(tree)
    new_problem(tree.town_a2, "甲二镇的问题")
    client.force_login(role_users["admin"])
    page, content = job_result(client, f"/problems/export.docx?org={tree.town_a1.pk}")
    assert f"下载 {tree.town_a1.name}问题整改清单.docx" in page
    assert f'href="/problems/?org={tree.town_a1.pk}"' in page  # back to the list as it was filtered
    document = docx.Document(io.BytesIO(content))
    section = document.sections[0]
    assert section.page_width > section.page_height
    assert document.paragraphs[0].text == f"{tree.town_a1.name}问题整改清单"
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "单位", "问题", "整改措施", "责任人", "整改时限", "整改进展"]
    assert "村级活动阵地面积不足" in table.rows[1].cells[2].text
    assert "统筹资金" in table.rows[1].cells[3].text
    assert len(table.rows) == 2  # the filter applies: 甲二镇's problem is not in 甲一镇's list


def test_ledger_export_job_reports_progress_row_by_row(tree, role_users, client):
    _ledger(tree)
    new_problem(tree.town_a2, "甲二镇的问题")
    client.force_login(role_users["admin"])
    job = Job.objects.get(pk=start_job(client, "/problems/export.xlsx").split("/")[2])
    steps = []
    KINDS[job.kind](job, lambda done, total, step="": steps.append((done, total, step)))
    assert steps[1:] == [(0, 3, "正在写入整改清单（1/2）"), (1, 3, "正在写入整改清单（2/2）"), (2, 3, "正在保存文件")]


def test_a_ledger_export_rechecks_the_scope_when_it_runs(tree, role_users, client):
    campaign = make_campaign(tree)  # county A's
    leader = role_users["leader"]
    client.force_login(leader)
    job_url = start_job(client, f"/problems/export.xlsx?campaign={campaign.pk}")
    RoleGrant.objects.filter(user=leader).update(org=tree.county_b)  # moved to county B before it ran
    page = job_page_after_run(client, job_url)
    assert "导出失败：要处理的内容已不存在，或已不在你的管理范围内" in page and "下载" not in page


def test_template_download_round_trips(tree):
    workbook = openpyxl.load_workbook(io.BytesIO(excel.template_workbook()))
    assert "问题清单" in workbook.sheetnames and "填写说明" in workbook.sheetnames


def test_problem_list_filters_by_scope(tree, role_users):
    _ledger(tree)

    class Scope:
        def paths(self, permission):
            return [tree.county_a.path]

    assert [p.org for p in selectors.visible_problems(Scope())] == [tree.town_a1]

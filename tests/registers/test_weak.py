"""软弱涣散党组织整顿: identification → measures → progress with evidence → 验收, and its Excel list."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from shuping.core.xlsx import ImportFailed
from shuping.rectification.models import Category, Problem
from shuping.registers import weak
from shuping.registers.models import WeakOrgCase, WeakState

from ..jobs.worker import job_page_after_run, start_job
from .conftest import xlsx


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def identify(tree, **fields):
    return weak.case_identify(actor=None, org=tree.village_a1, year=2026, reason_category="leadership",
                              reason="村党支部书记长期外出，组织生活不正常", leader="张建国（县委常委）",
                              leader_unit=tree.town_a1, **fields)


def test_identification_opens_a_problem_and_is_listed_once(tree):
    case = identify(tree)
    problem = Problem.objects.get(pk=case.problem_id)
    assert problem.category == Category.ORGANISING and "软弱涣散" in problem.description
    with pytest.raises(weak.WeakError, match="已列入2026年"):
        identify(tree)
    assert weak.weak_in_year(tree.village_a1, 2026) == case


def test_the_whole_run_from_identification_to_acceptance_in_the_ui(client, tree, role_users):
    client.force_login(role_users["admin"])
    response = client.post(reverse("registers:weak_new", args=[tree.county_a.pk, 2026]), {
        "org": tree.village_a1.pk, "reason_category": "org_life", "reason": "三会一课不落实",
        "leader": "李立新（副县长）", "leader_unit": tree.town_a1.pk, "identified_on": "2026-03-10"})
    case = WeakOrgCase.objects.get()
    assert response.status_code == 302
    url = reverse("registers:weak_case", args=[case.pk])
    client.post(reverse("registers:weak_milestone", args=[case.pk]), {"measure": "选优配强村党支部书记", "due": "2026-06-30"})
    milestone = case.milestones.get()
    client.force_login(role_users["reporter"])  # the unit reports its own progress
    client.post(reverse("registers:weak_progress", args=[case.pk]), {
        "note": "经镇党委推荐，新任书记已到岗", "milestone": milestone.pk, "milestone_done": "on",
        "evidence": SimpleUploadedFile("任职文件.pdf", b"%PDF-1.4 test", content_type="application/pdf")})
    bad = client.post(reverse("registers:weak_progress", args=[case.pk]), {
        "note": "附件", "evidence": SimpleUploadedFile("run.exe", b"MZ")}, follow=True)
    assert "佐证材料只接受" in bad.content.decode()
    page = client.get(url).content.decode()
    assert "新任书记已到岗" in page and "佐证：任职文件.pdf" in page and "整顿中" in page
    progress = case.progress.get()
    download = client.get(reverse("registers:weak_evidence", args=[progress.pk]))
    assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
    assert client.post(reverse("registers:weak_accept", args=[case.pk]), {"result": "passed", "note": "x"}).status_code == 403
    client.force_login(role_users["admin"])
    client.post(reverse("registers:weak_accept", args=[case.pk]), {"result": "passed", "note": "经验收，班子配齐、制度落实"})
    case.refresh_from_db()
    assert case.state == WeakState.PASSED and weak.weak_in_year(tree.village_a1, 2026) is None
    summary = client.get(reverse("registers:weak_list", args=[tree.county_a.pk, 2026])).content.decode()
    assert "验收达标" in summary and "1/1（100.0%）" in summary
    with pytest.raises(weak.WeakError, match="不能再修改"):
        weak.milestone_add(actor=None, case=case, measure="再加", due=datetime.date(2026, 9, 1))


def test_import_round_trip_and_bad_rows(tree, role_users):
    headers = weak.HEADERS
    created = weak.cases_import(xlsx([["A-1-1", "", "集体经济薄弱、发展思路不清", "集体经济空壳", "王海燕", "A-1", "2026-04-01"]],
                                     headers, sheet=weak.SHEET), actor=None, root=tree.county_a, year=2026)
    assert [c.org for c in created] == [tree.village_a1]
    ws = load_workbook(io.BytesIO(weak.cases_workbook(tree.county_a, 2026)))[weak.SHEET]
    row = dict(zip([c.value for c in ws[1]], next(ws.iter_rows(min_row=2, values_only=True)), strict=False))
    assert (row["单位编码"], row["原因类别"], row["包联单位编码"], row["认定日期"], row["状态"]) == (
        "A-1-1", "集体经济薄弱、发展思路不清", "A-1", "2026-04-01", "已认定")
    with pytest.raises(ImportFailed) as caught:
        weak.cases_import(xlsx([
            ["A-1-1", "", "集体经济薄弱、发展思路不清", "重复", "王", "", ""],
            ["B-1-1", "", "其他", "外县", "王", "", ""],
            ["A-1", "", "不存在的类别", "", "", "ZZ", "昨天"],
        ], headers, sheet=weak.SHEET), actor=None, root=tree.county_a, year=2026)
    text = "\n".join(str(e) for e in caught.value.errors)
    for expected in ("已列入2026年名单", "不是甲县委所辖单位", "原因类别】：应为", "具体表现】：不能为空", "没有编码为“ZZ”", "日期格式"):
        assert expected in text
    assert WeakOrgCase.objects.count() == 1


def test_import_unreadable_file(tree):
    with pytest.raises(ImportFailed) as caught:
        weak.cases_import(io.BytesIO(b"garbage"), actor=None, root=tree.county_a, year=2026)
    assert "不是有效的 .xlsx" in str(caught.value.errors[0])


@pytest.mark.parametrize(("url_name", "args"), [("registers:weak_import", "year"), ("registers:brand_import", "org"),
                                                ("registers:post_import", "year")])
def test_every_register_import_page_lists_row_errors(client, tree, role_users, url_name, args):
    client.force_login(role_users["admin"])
    kwargs = [tree.county_a.pk, 2026] if args == "year" else [tree.county_a.pk]
    url = reverse(url_name, args=kwargs)
    assert "下载模板" in client.get(url).content.decode()
    page = job_page_after_run(client, start_job(client, url, {"file": SimpleUploadedFile("x.xlsx", b"not a workbook")}))
    assert "导入失败" in page and "不是有效的 .xlsx" in page

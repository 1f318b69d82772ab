import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from shuping.audit.models import AuditEntry
from shuping.core.xlsx import ImportFailed
from shuping.routine import excel, selectors, services
from shuping.routine.models import MonthlyScore

from ..jobs.worker import job_page_after_run, start_job
from .conftest import YEAR, score


def workbook(rows, headers=("单位编码", "单位名称", "指标编码", "得分"), sheet="月度评分"):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(list(headers))
    for row in rows:
        ws.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def import_rows(tree, rows, month=3, **kwargs):
    return excel.scores_import(workbook(rows, **kwargs), actor=None, organiser=tree.county_a, year=YEAR, month=month)


def test_import_writes_every_row_and_is_audited(routine):
    summary = import_rows(routine, [("A-1", "甲一镇党委", "X", "55.5"), ("A-1", "", "Y", 38), ("A-2", "", "X", "50")])
    assert summary.rows == 3 and summary.changed == 3
    assert MonthlyScore.objects.get(org=routine.town_a1, indicator=routine.ind_x, month=3).score == Decimal("55.50")
    assert AuditEntry.objects.filter(action="routine.monthly_import").count() == 1
    again = import_rows(routine, [("A-1", "甲一镇党委", "X", "55.5")])
    assert again.changed == 0


@pytest.mark.parametrize(("row", "column", "fragment"), [
    (("A-9", "", "X", "10"), "单位编码", "不是甲县委的直属单位"),
    (("A-1-1", "", "X", "10"), "单位编码", "不是甲县委的直属单位"),
    (("B-1", "", "X", "10"), "单位编码", "不是甲县委的直属单位"),
    (("A-1", "甲二镇党委", "X", "10"), "单位名称", "不一致"),
    (("A-1", "", "Z", "10"), "指标编码", "没有编码为“Z”的指标"),
    (("A-1", "", "X", "61"), "得分", "0～60"),
    (("A-1", "", "X", "-1"), "得分", "0～60"),
    (("A-1", "", "X", "五十"), "得分", "请填写数字，最多两位小数"),
    (("A-1", "", "X", "10.123"), "得分", "两位小数"),
    (("A-1", "", "X", "=50+1"), "得分", "公式"),
])
def test_import_reports_the_row_and_writes_nothing(routine, row, column, fragment):
    good = ("A-2", "", "X", "50")
    with pytest.raises(ImportFailed) as info:
        import_rows(routine, [good, row])
    errors = info.value.errors
    assert len(errors) == 1
    assert errors[0].row == 3 and errors[0].column == column and fragment in errors[0].message, str(errors[0])
    assert MonthlyScore.objects.count() == 0


def test_import_refuses_duplicate_rows_missing_sheet_and_future_months(routine):
    with pytest.raises(ImportFailed) as info:
        import_rows(routine, [("A-1", "", "X", "50"), ("A-1", "", "X", "40")])
    assert "与第 2 行重复" in str(info.value.errors[0])
    with pytest.raises(ImportFailed) as info:
        import_rows(routine, [("A-1", "", "X", "50")], sheet="Sheet1")
    assert "缺少工作表“月度评分”" in str(info.value.errors[0])
    with pytest.raises(ImportFailed) as info:
        import_rows(routine, [("A-1", "", "X", "50")], month=12)
    assert "尚未到来" in str(info.value.errors[0])
    with pytest.raises(ImportFailed) as info:
        excel.scores_import(io.BytesIO(b"not a workbook"), actor=None, organiser=routine.county_a, year=YEAR, month=3)
    assert ".xlsx" in str(info.value.errors[0])
    assert MonthlyScore.objects.count() == 0


def test_template_is_prefilled_and_imports_back(routine):
    score(routine, routine.town_a1, 4, x=50, y=30)
    book = load_workbook(io.BytesIO(excel.scores_template(routine.county_a, YEAR, 4)))
    rows = [tuple(r) for r in book["月度评分"].iter_rows(min_row=2, values_only=True)]
    assert ("A-1", "甲一镇党委", "X", 50) in [(a, b, c, int(d) if d is not None else None) for a, b, c, d in rows]
    assert len(rows) == 3 * 2  # three towns × two indicators
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    summary = excel.scores_import(buffer, actor=None, organiser=routine.county_a, year=YEAR, month=4)
    assert summary.rows == 2 and summary.changed == 0


def test_monthly_ranking_ties_share_a_rank(routine):
    score(routine, routine.town_a1, 5, x=50, y=30)   # 80
    score(routine, routine.town_a2, 5, x=45, y=35)   # 80
    score(routine, routine.town_a3, 5, x=40, y=30)   # 70
    rows = selectors.month_table(routine.county_a, YEAR, 5)
    assert [(r.org.code, r.total, r.rank) for r in rows] == [
        ("A-1", Decimal("80.00"), 1), ("A-2", Decimal("80.00"), 1), ("A-3", Decimal("70.00"), 3)]


def test_year_total_average_and_routine_score(routine):
    score(routine, routine.town_a1, 1, x=54, y=36)   # 90
    score(routine, routine.town_a1, 2, x=48, y=32)   # 80
    score(routine, routine.town_a2, 1, x=30)         # 30, Y left empty counts 0
    rows = {r.org.code: r for r in selectors.year_table(routine.county_a, YEAR)}
    assert rows["A-1"].total == Decimal("170.00") and rows["A-1"].months == 2
    assert rows["A-1"].average == Decimal("85.00") and rows["A-1"].routine == Decimal("85.00")
    assert rows["A-2"].routine == Decimal("30.00")
    assert "A-3" not in rows


def test_routine_score_rounds_half_up(routine):
    score(routine, routine.town_a1, 1, x="33.33")
    score(routine, routine.town_a1, 2, x="33.34")
    score(routine, routine.town_a1, 3, x="33.34")
    # 100 × 100.01 / (3 × 100) = 33.33666… → 33.34
    assert selectors.routine_scores(routine.county_a, YEAR, [routine.town_a1.pk])[routine.town_a1.pk][0] == Decimal("33.34")


def test_service_validates_each_cell_in_chinese(routine):
    with pytest.raises(services.RoutineError) as info:
        score(routine, routine.town_a1, 3, x="70", y="abc")
    assert info.value.message_dict == {"X": ["分数“70”超出范围，应在 0～60 之间"], "Y": ["分数“abc”无效：请填写数字，最多两位小数（如 8 或 8.5）"]}
    with pytest.raises(services.RoutineError, match="不是甲县委的直属单位"):
        score(routine, routine.village_a1, 3, x="10")
    assert MonthlyScore.objects.count() == 0


def test_htmx_row_save_returns_the_row_with_errors_or_the_new_total(routine, client, role_users):
    client.force_login(role_users["admin"])
    url = reverse("routine:score_row", args=[routine.county_a.pk, YEAR, 6, routine.town_a1.pk])
    bad = client.post(url, {"s-X": "99", "s-Y": "10"}, HTTP_HX_REQUEST="true")
    assert bad.status_code == 200 and bad["X-Routine-Failed"] == "1"
    assert "分数“99”超出范围，应在 0～60 之间" in bad.content.decode() and MonthlyScore.objects.count() == 0
    good = client.post(url, {"s-X": "50", "s-Y": "10"}, HTTP_HX_REQUEST="true")
    body = good.content.decode()
    assert f'id="row-{routine.town_a1.pk}"' in body and "60.00" in body and "已保存" in body
    assert MonthlyScore.objects.filter(org=routine.town_a1, month=6).count() == 2
    cleared = client.post(url, {"s-X": "", "s-Y": "10"}, HTTP_HX_REQUEST="true")
    assert cleared.status_code == 200
    assert MonthlyScore.objects.filter(org=routine.town_a1, month=6).count() == 1


def test_grid_page_shows_inputs_only_to_managers(routine, client, role_users):
    score(routine, routine.town_a1, 3, x=50, y=30)
    url = reverse("routine:scores", args=[routine.county_a.pk, YEAR]) + "?month=3"
    client.force_login(role_users["admin"])
    assert 'name="s-X"' in client.get(url).content.decode()
    client.force_login(role_users["leader"])
    body = client.get(url).content.decode()
    assert 'name="s-X"' not in body and "80.00" in body


def test_the_import_page_starts_a_job_that_reports_its_summary_or_its_row_errors(routine, client, role_users):
    client.force_login(role_users["admin"])
    url = reverse("routine:scores_import", args=[routine.county_a.pk, YEAR])
    upload = workbook([("A-1", "甲一镇党委", "X", "55.5"), ("A-2", "", "X", "50")])
    upload.name = "三月评分.xlsx"
    job_url = start_job(client, url, {"file": upload, "month": 3})
    page = job_page_after_run(client, job_url)
    assert f"导入{routine.county_a.name}{YEAR}年3月日常考核评分：三月评分.xlsx" in page and "已完成" in page
    assert "导入成功：共 2 行，其中 2 个分数有变化" in page
    assert f'href="/routine/{routine.county_a.pk}/{YEAR}/scores/?month=3"' in page
    assert MonthlyScore.objects.get(org=routine.town_a1, month=3).score == Decimal("55.50")
    assert AuditEntry.objects.get(action="routine.monthly_import").actor_name == "admin"

    bad = workbook([("A-2", "", "X", "40"), ("A-1", "", "X", "61")])
    bad.name = "四月评分.xlsx"
    page = job_page_after_run(client, start_job(client, url, {"file": bad, "month": 4}))
    assert "导入失败：发现 1 处错误，未导入任何数据" in page and "错误清单" in page and "0～60" in page
    assert not MonthlyScore.objects.filter(month=4).exists()

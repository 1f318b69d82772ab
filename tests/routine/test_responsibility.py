import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from freezegun import freeze_time
from openpyxl import Workbook, load_workbook

from shuping.core.xlsx import ImportFailed
from shuping.routine import excel, selectors, services
from shuping.routine.models import ResponsibilityItem

from ..jobs.worker import job_page_after_run, start_job
from .conftest import YEAR


def _item(tree, **kwargs):
    fields = {"task": "党委书记每年至少三分之一的时间在村工作", "target_value": Decimal(122), "target_unit": "天",
              "deadline": datetime.date(2026, 10, 31), "evidence_required": "驻村工作日志"} | kwargs
    return services.responsibility_save(actor=None, organiser=tree.county_a, year=YEAR, org=tree.town_a1, **fields)


def test_completion_and_overdue_follow_the_latest_progress(routine):
    item = _item(routine)
    assert item.completion == Decimal("0.00")
    services.responsibility_progress_add(actor=None, item=item, achieved_value=Decimal(61),
                                         recorded_on=datetime.date(2026, 7, 1))
    item = selectors.responsibility_items(routine.county_a, YEAR).get(pk=item.pk)
    assert item.completion == Decimal("50.00")
    assert item.is_overdue(datetime.date(2026, 11, 16))
    assert not item.is_overdue(datetime.date(2026, 10, 31))
    services.responsibility_progress_add(actor=None, item=item, achieved_value=Decimal(130),
                                         recorded_on=datetime.date(2026, 11, 2))
    item = selectors.responsibility_items(routine.county_a, YEAR).get(pk=item.pk)
    assert item.completion == Decimal("100.00") and not item.is_overdue(datetime.date(2026, 11, 16))


def test_progress_in_the_future_is_refused(routine):
    item = _item(routine)
    with pytest.raises(services.RoutineError, match="不能晚于今天"):
        services.responsibility_progress_add(actor=None, item=item, achieved_value=Decimal(1),
                                             recorded_on=datetime.date(2026, 12, 1))


def test_items_outside_the_organiser_are_refused(routine):
    with pytest.raises(services.RoutineError, match="管辖范围"):
        services.responsibility_save(actor=None, organiser=routine.county_a, year=YEAR, org=routine.town_b1, task="x",
                                     target_value=Decimal(1), target_unit="次", deadline=datetime.date(2026, 12, 31))


def _book(rows):
    book = Workbook()
    ws = book.active
    ws.title = "责任清单"
    ws.append(["单位编码", "单位名称", "重点任务", "目标值", "计量单位", "完成时限", "佐证材料"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    buffer.seek(0)
    return buffer


def test_import_and_export_of_the_list_per_subtree(routine):
    count = excel.responsibilities_import(_book([
        ["A-1", "", "专题汇报不少于6次", 6, "次", "2026-12-31", "汇报材料"],
        ["A-1-1", "", "村党支部“三会一课”按时召开", 12, "次", "2026/12/31", ""],
        ["A-2", "", "整顿软弱涣散村", 1, "个", "2026-06-30", ""],
    ]), actor=None, organiser=routine.county_a, year=YEAR)
    assert count == 3
    content = excel.responsibilities_export(routine.county_a, YEAR, routine.town_a1, day=datetime.date(2026, 11, 16))
    rows = list(load_workbook(io.BytesIO(content))["责任清单"].iter_rows(min_row=2, values_only=True))
    assert [r[0] for r in rows] == ["A-1", "A-1-1"]
    all_rows = list(load_workbook(io.BytesIO(excel.responsibilities_export(
        routine.county_a, YEAR, day=datetime.date(2026, 11, 16))))["责任清单"].iter_rows(min_row=2, values_only=True))
    assert [r[-1] for r in all_rows if r[0] == "A-2"] == ["是"]


def test_import_errors_are_listed_and_nothing_is_written(routine):
    with pytest.raises(ImportFailed) as info:
        excel.responsibilities_import(_book([
            ["A-1", "", "专题汇报", 6, "次", "2026-12-31", ""],
            ["B-1", "", "", 0, "", "明年", ""],
        ]), actor=None, organiser=routine.county_a, year=YEAR)
    columns = [e.column for e in info.value.errors]
    assert columns == ["单位编码", "重点任务", "目标值", "计量单位", "完成时限"]
    assert ResponsibilityItem.objects.count() == 0


def test_the_import_page_imports_through_a_job_and_keeps_the_scope(routine, client, role_users):
    client.force_login(role_users["admin"])
    url = reverse("routine:responsibilities_import", args=[routine.county_a.pk, YEAR])
    upload = _book([["A-1", "", "专题汇报不少于6次", 6, "次", "2026-12-31", "汇报材料"]])
    upload.name = "责任清单.xlsx"
    page = job_page_after_run(client, start_job(client, url, {"file": upload}))
    assert "已完成" in page and "已导入 1 项责任清单事项" in page
    assert ResponsibilityItem.objects.get().task == "专题汇报不少于6次"
    outside = _book([["B-1", "", "乙县的事项", 1, "次", "2026-12-31", ""]])
    outside.name = "乙县.xlsx"
    page = job_page_after_run(client, start_job(client, url, {"file": outside}))
    assert "导入失败" in page and "错误清单" in page and ResponsibilityItem.objects.count() == 1


def test_list_page_marks_overdue_and_progress_form_records(routine, client, role_users):
    item = _item(routine)
    client.force_login(role_users["admin"])
    page = client.get(reverse("routine:responsibilities", args=[routine.county_a.pk, YEAR])).content.decode()
    assert "逾期" in page and "党委书记每年至少三分之一的时间在村工作" in page
    with freeze_time("2026-11-16 10:00:00+08:00"):
        client.post(reverse("routine:responsibility_progress", args=[item.pk]),
                    {"recorded_on": "2026-11-15", "achieved_value": "100", "note": "驻村日志 100 天"})
    assert item.progress.get().achieved_value == Decimal(100)
    # The reporter (routine.view on A-1 only in real use) sees his unit page with the list.
    client.force_login(role_users["reporter"])
    assert client.get(reverse("routine:unit", args=[routine.town_a1.pk, YEAR])).status_code == 200

import io

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from shuping.routine import services
from shuping.routine.models import MonthlyScore

from .conftest import YEAR


def test_template_import_and_circular_commands(routine, tmp_path):
    path = tmp_path / "评分.xlsx"
    call_command("routine_template", "A", str(YEAR), "7", str(path), stdout=io.StringIO())
    from openpyxl import load_workbook

    book = load_workbook(path)
    sheet = book["月度评分"]
    for row in sheet.iter_rows(min_row=2):
        row[3].value = {"A-1": 30, "A-2": 40, "A-3": 50}[row[0].value] if row[2].value == "X" else 20
    book.save(path)
    out = io.StringIO()
    call_command("routine_import", "A", str(YEAR), "7", str(path), stdout=out)
    assert "共 6 行" in out.getvalue() and MonthlyScore.objects.count() == 6
    with pytest.raises(CommandError, match="尚未建立通报"):
        call_command("routine_circular", "A", str(YEAR), "3", str(tmp_path / "c.docx"))
    import datetime

    services.circular_save(actor=None, organiser=routine.county_a, year=YEAR, quarter=3, title="三季度通报",
                           lowest_n=1, supervision_deadline=datetime.date(2026, 12, 31))
    out = io.StringIO()
    call_command("routine_circular", "A", str(YEAR), "3", str(tmp_path / "c.docx"), "--issue", stdout=out)
    assert "下达督办单 1 份：甲一镇党委" in out.getvalue()
    assert "三季度通报" in Document(tmp_path / "c.docx").paragraphs[0].text


def test_import_command_lists_row_errors(routine, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "月度评分"
    book.active.append(["单位编码", "单位名称", "指标编码", "得分"])
    book.active.append(["A-1", "", "X", "99"])
    book.save(tmp_path / "bad.xlsx")
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("routine_import", "A", str(YEAR), "7", str(tmp_path / "bad.xlsx"), stderr=err)
    assert "第 2 行【得分】：分数“99”超出范围，应在 0～60 之间" in err.getvalue()

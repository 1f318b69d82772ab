"""Golden content of every generated document outside the meetings app, read back as text:
local (Asia/Shanghai) dates, 2-place percentages, one numbering, no repeated lines, no system words."""

import datetime
import io
import re
import sys
import types
from decimal import Decimal

import pytest
from freezegun import freeze_time

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import CampaignState
from shuping.rectification import drafting, exports, selectors, services
from shuping.rectification.models import Problem, Source
from tests.builders import cast_ballot, make_campaign

from .visible import docx_lines, duplicate_lines, pdf_text, system_words, xlsx_rows

# 17:30 UTC on 1 December is 01:30 on 2 December in Shanghai: a UTC date would print the 1st.
EVENING_UTC = "2026-12-01 17:30:00+00:00"
LOCAL_DAY = "2026年12月2日"
REPORT = ("一年来，镇党委坚持书记抓、抓书记，全年专题研究基层党建工作8次，召开推进会3次，开展督查5轮。"
          "创新推行“红色网格”工作法，发展村集体经济项目12个，村均集体收入达到15.6万元。")
FULL = {"R1": "15", "R2": "15", "R3": "15", "R4": "15", "R5": "20", "B1": "7", "B2": "7", "B3": "6"}
PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")


@pytest.fixture
def report_text(monkeypatch):
    module = types.ModuleType("shuping.reports.selectors")
    module.approved_report_text = lambda participant: REPORT
    monkeypatch.setitem(sys.modules, "shuping.reports.selectors", module)


@pytest.fixture
def published(tree):
    """A campaign with a published result (so the draft reads a stored 好评率 of 4 places) and a
    previous year holding one open problem of 甲一镇."""
    previous = make_campaign(tree, title="2025年度", year=2025)
    campaign = make_campaign(tree, previous=previous)
    a1, a2 = campaign.participants.get(org=tree.town_a1), campaign.participants.get(org=tree.town_a2)
    for n in range(3):
        cast_ballot(campaign, a1, "CW", dict(FULL, R2="6"), evaluator=f"E{n}", democratic="好")
        cast_ballot(campaign, a2, "CW", FULL, evaluator=f"F{n}", democratic="好" if n else "一般")
    type(campaign).objects.filter(pk=campaign.pk).update(state=CampaignState.SCORING)
    campaign.refresh_from_db()
    campaign_services.campaign_publish(actor=None, campaign=campaign)
    services.problem_create(actor=None, org=tree.town_a1, description="村级活动阵地面积不足", source=Source.CRITIQUE,
                            participant=previous.participants.get(org=tree.town_a1), campaign=previous)
    return campaign, a1


def _percentages(text):
    return PERCENT.findall(text)


def test_critique_draft_reads_like_a_letter(published, report_text):
    _campaign, a1 = published
    draft = drafting.build_draft(a1)
    lines = draft.strengths + draft.problems + draft.suggestions
    text = "\n".join(lines)
    assert text.count("工作成效有数据支撑") == 1  # one sentence, however many numbers it holds
    assert "8次" in text and duplicate_lines(lines) == []
    assert "民主测评好评率 100.00%" in text
    assert all(re.fullmatch(r"\d+\.\d{2}", p) for p in _percentages(text)), _percentages(text)
    assert system_words(text) == [] and "版" not in text.replace("版本", "")


def test_critique_docx_numbering_dates_and_no_repeats(published, report_text, tree):
    _campaign, a1 = published
    draft = drafting.build_draft(a1)
    with freeze_time(EVENING_UTC):
        critique, _ = services.critique_save(
            actor=None, participant=a1, strengths="\n".join(draft.strengths),
            problems="一是阵地建设滞后\n二是党员教育不经常\n二是党员教育不经常",
            suggestions="\n".join(draft.suggestions), create_problems=False)
    lines = [line for line in docx_lines(exports.critique_docx([critique])) if line.strip()]
    body = "\n".join(lines)
    assert lines[-1] == LOCAL_DAY
    assert "（一）阵地建设滞后" in body and "（二）党员教育不经常" in body
    assert "一是" not in body and "（一）一是" not in body and "（三）" not in body.split("二、存在问题")[1].split("三、")[0]
    assert duplicate_lines(lines) == [] and system_words(body) == []
    assert all(re.fullmatch(r"\d+\.\d{2}", p) for p in _percentages(body))


def test_more_than_ten_lines_keep_numbering():
    text = "\n".join(f"第{n}条意见内容" for n in range(1, 13))
    assert exports.numbered_lines(text)[9:12] == ["（十）第10条意见内容", "（十一）第11条意见内容", "（十二）第12条意见内容"]


def test_open_prior_year_problem_is_not_registered_again(published, report_text):
    _campaign, a1 = published
    draft = drafting.build_draft(a1)
    assert any("村级活动阵地面积不足" in line for line in draft.problems)
    before = Problem.objects.filter(description__contains="村级活动阵地面积不足").count()
    _critique, created = services.critique_save(
        actor=None, participant=a1, strengths="", problems="\n".join(draft.problems), suggestions="",
        create_problems=True)
    assert Problem.objects.filter(description__contains="村级活动阵地面积不足").count() == before == 1
    assert created and all("村级活动阵地面积不足" not in p.description for p in created)


def test_ledger_exports_print_local_dates(tree):
    with freeze_time(EVENING_UTC):
        problem = services.problem_create(actor=None, org=tree.town_a1, description="村级活动阵地面积不足",
                                          source=Source.INSPECTION, found_on=datetime.date(2026, 12, 2))
        services.rectification_plan(actor=None, rectification=problem.rectification, owner=None,
                                    measures="改扩建活动场所", deadline=datetime.date(2026, 12, 31))
        services.progress_add(actor=None, rectification=problem.rectification, text="已完成选址")
        rows = selectors.ledger(type(problem.rectification).objects.all())
        sheet = xlsx_rows(exports.ledger_xlsx(rows))["整改清单"]
        docx = "\n".join(docx_lines(exports.ledger_docx(rows)))
    record = dict(zip(sheet[0], sheet[1], strict=True))
    assert record["发现日期"] == "2026-12-02" and record["整改进展"].startswith("2026-12-02 已完成选址")
    assert "（截至2026年12月2日）" in docx and "2026-12-02 已完成选址" in docx
    assert system_words(docx) == []


def test_results_workbook_keeps_rates_as_percent_numbers(published):
    from openpyxl import load_workbook

    from shuping.campaigns import excel

    campaign, _a1 = published
    campaign.refresh_from_db()
    content, _table = excel.results_export(campaign)
    sheet = load_workbook(io.BytesIO(content))["结果"]
    header = [c.value for c in sheet[1]]
    rate = sheet.cell(row=2, column=header.index("好评率") + 1)
    assert isinstance(rate.value, int | float | Decimal) and 0 <= rate.value <= 1 and rate.number_format == "0.00%"
    info = dict(xlsx_rows(content)["说明"][1:])
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", info["发布时间"])


def test_circular_docx_is_dated_in_shanghai(tree):
    from shuping.routine import documents
    from shuping.routine import services as routine_services

    with freeze_time(EVENING_UTC):
        circular = routine_services.circular_save(actor=None, organiser=tree.county_a, year=2026, quarter=4,
                                                  title="四季度通报", lowest_n=1,
                                                  supervision_deadline=datetime.date(2027, 1, 5))
        lines = [line for line in docx_lines(documents.circular_docx(circular)) if line.strip()]
    text = "\n".join(lines)
    assert LOCAL_DAY in lines and "2027年1月5日" in text and "2027年01月05日" not in text
    assert duplicate_lines(lines) == [] and system_words(text) == []


def test_report_archive_pdf_and_docx_read_back(tree, role_users):
    from shuping.reports import exports as report_exports
    from tests.reports.test_views import _approved_campaign

    campaign = campaign_services.campaign_transition(actor=None, campaign=make_campaign(tree),
                                                     to_state=CampaignState.WRITING)
    _approved_campaign(campaign, tree, role_users)
    with freeze_time(EVENING_UTC):
        docx = "\n".join(docx_lines(report_exports.docx_bundle(campaign)))
        pdf = pdf_text(report_exports.pdf_archive(campaign))
    assert f"编印日期：{LOCAL_DAY}" in docx
    assert "甲一镇党委书记抓基层党建工作述职报告" in pdf and LOCAL_DAY in pdf
    assert "发展党员" in pdf and "26名" in pdf  # the report's table made it into the PDF
    for text in (docx, pdf):
        assert system_words(text) == []


UTC_DATE_PATTERNS = [
    re.compile(r"(?:_at|\bat|_on_dt)\.date\(\)"),                     # updated_at.date() on an aware datetime
    re.compile(r"\{[\w.]*(?:_at|\.at)(?:\(\))?:%"),                    # f"{entry.at:%Y-%m-%d}"
    re.compile(r"(?:_at|\.at)\.strftime\("),                           # created_at.strftime(...)
    re.compile(r"\{(?:today|now)\(\):%Y年"),                           # zero-padded 年月日 beside document_date
]


def test_no_date_is_printed_from_a_utc_datetime():
    """Every date a reader sees goes through shuping.clock (local date, one format)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "shuping"
    offenders = []
    for path in root.rglob("*.py"):
        if "migrations" in path.parts or path.name == "clock.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if any(p.search(line) for p in UTC_DATE_PATTERNS):
                offenders.append(f"{path.relative_to(root)}:{number}: {line.strip()}")
    assert offenders == []

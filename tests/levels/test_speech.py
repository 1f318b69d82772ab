"""The level-wide 点评讲话: a draft built from numbers, editable, exported as .docx.

The golden-content test reads the dashboards as a user would (their .xlsx exports) and checks
that every figure printed in the .docx is one of the dashboard's figures or follows from them.
"""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from shuping.campaigns.models import ParticipantResult
from shuping.clock import now
from shuping.levels import drafting
from shuping.rectification import services as rect_services
from shuping.rectification.models import Category, Source
from shuping.reports.models import Report, ReportState, ReportVersion, VersionSource
from shuping.routine.models import MonthlyScore, RoutineIndicator

from ..builders import cast_ballot, make_campaign
from .conftest import publish_grades

pytestmark = pytest.mark.django_db

REPORT = """甲一镇党委书记抓基层党建工作述职报告
一、主要工作和成效
推行“红色代办”工作法，为群众代办事项860件；创建“党员中心户”示范点12个。
二、存在的问题
一是发展党员不够规范。
三、下一步打算
进一步加强班子建设。
"""


def approve_text(participant, text):
    report = Report.objects.create(participant=participant, state=ReportState.APPROVED, approved_at=now(),
                                   first_submitted_at=now())
    version = ReportVersion.objects.create(report=report, number=1, blocks=[], text=text, source=VersionSource.EDITOR,
                                           created_at=now())
    Report.objects.filter(pk=report.pk).update(approved_version=version, submitted_version=version)


@pytest.fixture
def level(tree):
    """County A: last year 好/差, this year 好/较好 for its townships, 一般 for a village; ballots,
    an approved report with named practices, an unanswered prior problem, a 共性问题, routine scores."""
    previous = make_campaign(tree, title="2025年度甲县考核", year=2025)
    publish_grades(previous, {tree.town_a1: "好", tree.town_a2: "差"})
    campaign = make_campaign(tree, previous=previous)
    rect_services.problem_create(actor=None, org=tree.town_a1, description="村级活动阵地面积不足功能不完善",
                                 source=Source.CRITIQUE, campaign=previous, found_on=datetime.date(2025, 12, 20))
    town1 = campaign.participants.get(org=tree.town_a1)
    top = {i.code: str(i.max_score) for i in campaign.indicators.filter(kind__in=["required", "bonus"])}
    for n in range(3):
        cast_ballot(campaign, town1, "CW", top, evaluator=f"E{n}")
    cast_ballot(campaign, town1, "CW", dict.fromkeys(top, "1"), evaluator="E9")
    approve_text(town1, REPORT)
    village = make_campaign(tree, title="2026年度甲一镇考核", participants=[tree.village_a1])
    village.organiser = tree.town_a1
    village.save(update_fields=["organiser"])
    publish_grades(village, {tree.village_a1: "一般"})
    publish_grades(campaign, {tree.town_a1: "好", tree.town_a2: "较好"})
    found = datetime.date(2026, 7, 1)
    members = [rect_services.problem_create(actor=None, org=org, description="发展党员程序不规范", found_on=found,
                                            source=Source.INSPECTION, category=Category.MEMBERS)
               for org in (tree.town_a1, tree.town_a2)]
    rect_services.common_problem_create(actor=None, organiser=tree.county_a, title="发展党员程序不规范",
                                        problems=members)
    indicator = RoutineIndicator.objects.create(organiser=tree.county_a, year=2026, code="R1", name="组织生活",
                                                max_score=Decimal("10"))
    for org, month, score in ((tree.town_a1, 1, "6"), (tree.town_a1, 12, "9"), (tree.town_a2, 1, "8"),
                              (tree.town_a2, 12, "6")):
        MonthlyScore.objects.create(indicator=indicator, org=org, month=month, score=Decimal(score), entered_at=now())
    return campaign


def docx_text(content: bytes) -> list[str]:
    import docx

    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs if p.text.strip()]


def xlsx_rows(content: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def dashboard(client, key, org, year):
    response = client.get(reverse("dashboards:export", args=[key]), {"org": org.pk, "year": year})
    assert response.status_code == 200
    return xlsx_rows(response.content)[1:]


def num(value) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def test_every_figure_in_the_speech_docx_equals_the_dashboards(level, tree, client, role_users):
    client.force_login(role_users["leader"])
    response = client.get(reverse("levels:speech_docx", args=[level.pk]))
    assert response.status_code == 200
    paragraphs = docx_text(response.content)
    body = "\n".join(paragraphs[:-1])  # the last line is the document date
    assert paragraphs[0] == "在2026年度甲县委抓基层党建工作述职评议考核会议上的点评讲话"
    assert [p for p in paragraphs if p[1:2] == "、"] == ["一、取得的成绩", "二、存在的问题", "三、下一步要求"]

    grades = dashboard(client, "grades-unit", tree.county_a, 2026)
    before = dashboard(client, "grades-unit", tree.county_a, 2025)
    routine = dashboard(client, "routine", tree.county_a, 2026)
    rect = dashboard(client, "rectification", tree.county_a, 2026)
    counts = [sum(r[1 + i] for r in grades) for i in range(4)]
    total = sum(counts)
    share = num(Decimal(counts[0] + counts[1]) * 100 / total)
    old = [sum(r[1 + i] for r in before) for i in range(4)]
    old_share = num(Decimal(old[0] + old[1]) * 100 / sum(old))
    best_unit = max(grades, key=lambda r: r[-1])
    assert (total, counts) == (3, [1, 1, 1, 0])  # the fixture really produced data
    assert f"共{total}名，其中评定为“好”{counts[0]}名、“较好”{counts[1]}名、“一般”{counts[2]}名" in body
    assert f"“好”和“较好”等次占比{share}%，比上年（{old_share}%）提高{share - old_share}个百分点" in body
    assert f"占比最高的是{best_unit[0]}（{num(best_unit[-1])}%）" in body
    best = max(routine, key=lambda r: r[-1])
    worst = min(routine, key=lambda r: r[-1])
    assert f"日常考核全年得分率最高的是{best[0]}（{num(best[-1])}%）" in body
    assert f"最低的是{worst[0]}（{num(worst[-1])}%），比最高的{best[0]}低{num(best[-1]) - num(worst[-1])}个百分点" in body
    rising = [r[0] for r in routine if r[12] > r[1]]
    assert f"{len(rising)}个单位最近一个月的日常考核得分率高于年初：{'、'.join(rising)}" in body
    problems_total, closed = sum(r[1] for r in rect), sum(r[2] for r in rect)
    assert f"全年登记问题{problems_total}个，已销号{closed}个，销号率{num(Decimal(closed) * 100 / problems_total)}%" in body
    assert "“发展党员程序不规范”，涉及2个单位、2个问题" in body
    assert "甲一镇党委探索“红色代办”等做法，述职时4张测评票中有3张打出满分90%以上的高分" in body
    assert "1个单位的述职报告没有逐条回应上年度指出的和尚未销号的问题：甲一镇党委（2/2个）" in body

    # Every figure printed is one of the above, never a number from elsewhere.
    allowed = {str(v) for v in (total, *counts, share, old_share, share - old_share, num(best_unit[-1]),
                                num(best[-1]), num(worst[-1]), num(best[-1]) - num(worst[-1]), len(rising),
                                problems_total, closed, num(Decimal(closed) * 100 / problems_total),
                                counts[2] + counts[3], num(Decimal(counts[2] + counts[3]) * 100 / total),
                                2026, 1, 2, 3, 4, 90)}
    printed = set(re.findall(r"\d+(?:\.\d+)?", body))
    assert printed <= allowed, printed - allowed


def test_the_speech_is_editable_and_the_export_prints_the_saved_text(level, client, role_users):
    client.force_login(role_users["admin"])
    url = reverse("levels:speech", args=[level.pk])
    page = client.get(url).content.decode()
    assert "“好”和“较好”等次占比" in page and "尚未保存" in page
    response = client.post(url, {"achievements": "全县基层党建整体提升。", "problems": "问题甲\n问题乙",
                                 "requirements": "要求甲"})
    assert response.status_code == 302
    text = docx_text(client.get(reverse("levels:speech_docx", args=[level.pk])).content)
    assert "全县基层党建整体提升。" in text
    assert "（一）问题甲" in text and "（二）问题乙" in text and "要求甲" in text
    assert not any("等次占比" in line for line in text)
    page = client.get(url + "?regenerate=1").content.decode()
    assert "“好”和“较好”等次占比" in page


def test_a_level_without_published_results_says_nothing_it_cannot_back(tree):
    campaign = make_campaign(tree)
    draft = drafting.build_speech(campaign)
    assert draft.achievements == []
    assert not any(re.search(r"\d", line) for line in draft.problems)
    assert len(draft.requirements) == 1  # only the standing call on collective responsibility


def test_movement_against_last_year_is_reported_downwards_too(tree):
    previous = make_campaign(tree, title="2025年度甲县考核", year=2025)
    publish_grades(previous, {tree.town_a1: "好", tree.town_a2: "好"})
    campaign = make_campaign(tree, previous=previous)
    publish_grades(campaign, {tree.town_a1: "好", tree.town_a2: "一般"})
    assert ParticipantResult.objects.count() == 4
    text = "\n".join(drafting.build_speech(campaign).achievements)
    assert "“好”和“较好”等次占比50.00%，比上年（100.00%）下降50.00个百分点" in text


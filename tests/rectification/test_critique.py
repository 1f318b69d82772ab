import io
import sys
import types

import docx
import pytest

from shuping.rectification import drafting, services
from shuping.rectification.models import Problem, Source
from tests.builders import cast_ballot, make_campaign

from ..jobs.worker import job_result
from .conftest import new_problem

REPORT = (
    "一年来，镇党委坚持书记抓、抓书记，全年专题研究基层党建工作8次。"
    "创新推行“红色网格”工作法和“支部+合作社”模式，发展村集体经济项目12个，村均集体收入达到15.6万元。"
)
FULL = {"R1": "15", "R2": "15", "R3": "15", "R4": "15", "R5": "20", "B1": "7", "B2": "7", "B3": "6"}


@pytest.fixture
def scored(tree):
    campaign = make_campaign(tree)
    a1 = campaign.participants.get(org=tree.town_a1)
    a2 = campaign.participants.get(org=tree.town_a2)
    weak = dict(FULL, R2="6", R3="9")
    for n in range(3):
        cast_ballot(campaign, a1, "CW", weak, evaluator=f"E{n}", democratic="一般")
        cast_ballot(campaign, a2, "CW", FULL, evaluator=f"F{n}", democratic="好")
    return campaign, a1, a2


@pytest.fixture
def report_provider(monkeypatch):
    module = types.ModuleType("shuping.reports.selectors")
    module.approved_report_text = lambda participant: REPORT if participant.org.code == "A-1" else None
    monkeypatch.setitem(sys.modules, "shuping.reports.selectors", module)


def test_draft_uses_report_indicators_democratic_result_and_open_prior_problems(tree, scored, report_provider):
    campaign, a1, _ = scored
    previous = make_campaign(tree, title="2025年度", year=2025)
    campaign.previous = previous
    campaign.save(update_fields=["previous"])
    new_problem(tree.town_a1, "村级活动阵地面积不足", participant=previous.participants.get(org=tree.town_a1))
    draft = drafting.build_draft(a1)
    strengths = "\n".join(draft.strengths)
    problems = "\n".join(draft.problems)
    assert "红色网格" in strengths and "支部+合作社" in strengths
    assert any("15.6万元" in f or "12个" in f for f in draft.figures)
    # R2 (6/15 = 40 %) is the weakest against the campaign mean (70 %).
    assert draft.weak_indicators[0].code == "R2"
    assert "工作保障" in problems and "40.00%" in problems and "70.00%" in problems
    assert draft.democratic.good_rate == 0 and draft.democratic.source == "实时计票"
    assert "上年度指出的“村级活动阵地面积不足”问题尚未整改销号" in problems
    assert draft.suggestions


def test_draft_without_reports_app_or_ballots_still_works(tree, monkeypatch):
    monkeypatch.setitem(sys.modules, "shuping.reports.selectors", types.ModuleType("shuping.reports.selectors"))
    campaign = make_campaign(tree)
    draft = drafting.build_draft(campaign.participants.get(org=tree.town_a1))
    assert not draft.has_report and draft.weak_indicators == [] and draft.democratic is None
    assert draft.strengths  # a neutral opening line to edit


def test_saving_a_critique_registers_each_problem_line_once(tree, scored):
    campaign, a1, _ = scored
    critique, created = services.critique_save(
        actor=None, participant=a1, strengths="亮点", suggestions="建议",
        problems="一是村级后备力量储备不足\n二是“三会一课”落实不严格\n", create_problems=True)
    assert [p.description for p in created] == ["村级后备力量储备不足", "“三会一课”落实不严格"]
    assert {p.source for p in created} == {Source.CRITIQUE}
    assert all(p.participant == a1 and p.campaign == campaign for p in created)
    assert created[1].category == "党员队伍建设"
    _, again = services.critique_save(actor=None, participant=a1, strengths="亮点", suggestions="建议",
                                      problems="一是村级后备力量储备不足\n三是软弱涣散村整顿不彻底")
    assert [p.description for p in again] == ["软弱涣散村整顿不彻底"]
    assert Problem.objects.filter(critique=critique).count() == 3


def test_draft_button_fills_the_form_and_leader_saves(tree, scored, role_users, client, report_provider):
    _, a1, _ = scored
    client.force_login(role_users["leader"])
    body = client.get(f"/critiques/{a1.pk}/?draft=1").content.decode()
    assert "红色网格" in body and "工作保障" in body
    response = client.post(f"/critiques/{a1.pk}/save/", {"strengths": "亮点一", "problems": "问题一\n问题二",
                                                         "suggestions": "建议一", "create_problems": "on"})
    assert response.status_code == 302
    assert Problem.objects.filter(participant=a1, source=Source.CRITIQUE).count() == 2


def test_critique_docx_opens_and_uses_official_fonts(tree, scored, role_users, client):
    campaign, a1, a2 = scored
    services.critique_save(actor=None, participant=a1, strengths="创新推行“红色网格”工作法", problems="后备力量不足",
                           suggestions="实施后备力量培养工程", create_problems=False)
    services.critique_save(actor=None, participant=a2, strengths="甲二镇亮点", problems="", suggestions="",
                           create_problems=False)
    client.force_login(role_users["reviewer"])
    response = client.get(f"/critiques/{a1.pk}/export.docx")
    assert response.status_code == 200
    document = docx.Document(io.BytesIO(response.content))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "点评意见" in text and "红色网格" in text and "二、存在问题" in text
    xml = document.element.xml
    assert 'w:eastAsia="仿宋_GB2312"' in xml and 'w:eastAsia="黑体"' in xml and 'w:eastAsia="方正小标宋简体"' in xml
    assert document.paragraphs[0].runs[0].font.size.pt == 22
    page, everything = job_result(client, f"/critiques/campaign/{campaign.pk}/export.docx")
    assert f"导出{campaign.title}全部点评意见" in page and f"下载 {campaign.title}点评意见.docx" in page
    all_text = "\n".join(p.text for p in docx.Document(io.BytesIO(everything)).paragraphs)
    assert "红色网格" in all_text and "甲二镇亮点" in all_text
    assert all_text.index("红色网格") < all_text.index("甲二镇亮点")  # in agenda order

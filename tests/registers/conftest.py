import datetime
import io

import pytest

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import CampaignState
from shuping.orgs.models import OrgKind, UnitType
from shuping.registers import services
from shuping.registers.defaults import install_default_facts
from shuping.registers.models import ClaimRule, Fact
from shuping.reports import services as report_services
from shuping.reports.documents import parse_editor_text
from shuping.routine import services as routine_services

from ..builders import make_campaign, make_org

REPORT = """甲一镇党委书记抓基层党建工作述职报告
一、主要工作和成效
今年全镇共发展党员12名，培养入党积极分子30名。
全镇村集体经济收入全部超过5万元，为2个村选派第一书记。
推行“三服务三心人”工作法，被评为省级党建品牌。
二、存在的问题
一是发展党员不够规范。
"""


@pytest.fixture(autouse=True)
def facts(db):
    # Transactional tests flush data-migration rows: put the shipped fact set and rules back.
    install_default_facts(Fact, ClaimRule)
    return {f.code: f for f in Fact.objects.all()}


def fill(org, year, values: dict, *, facts, confirm=True, actor=None):
    """Store a sheet through the services: enter + submit, then confirm."""
    sheet = services.sheet_save(actor=actor, org=org, year=year, submit=True,
                                values={facts[code]: services.parse_fact_value(facts[code], v) for code, v in values.items()})
    return services.sheet_confirm(actor=None, sheet=sheet) if confirm else sheet


@pytest.fixture
def ledger(tree, facts):
    """Town A1 with two villages: 9 new members in all, one village under 5万元 of collective income."""
    tree.village_a1b = make_org("A-1-2", tree.town_a1, name="甲一二村党支部", unit_type=UnitType.VILLAGE, kind=OrgKind.BRANCH)
    fill(tree.village_a1, 2026, {"new_members": 5, "collective_income": "3.2", "first_secretary": "是"}, facts=facts)
    fill(tree.village_a1b, 2026, {"new_members": 4, "collective_income": "8", "first_secretary": "否"}, facts=facts)
    return tree


@pytest.fixture
def reported(ledger, role_users):
    """Town A1 wrote and submitted a 2026 report claiming more than the ledger holds."""
    campaign = make_campaign(ledger)
    campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.WRITING)
    participant = campaign.participants.get(org=ledger.town_a1)
    report_services.report_save(actor=role_users["reporter"], participant=participant,
                                blocks=parse_editor_text(REPORT), source="editor")
    report_services.report_submit(actor=role_users["reporter"], participant=participant)
    ledger.participant = participant
    return ledger


@pytest.fixture
def plan(tree):
    return routine_services.inspection_plan_create(actor=None, org=tree.county_a, title="2026年上半年督查",
                                                   period_start=datetime.date(2026, 6, 1),
                                                   period_end=datetime.date(2026, 6, 30))


def xlsx(rows, headers, sheet="基础数据") -> io.BytesIO:
    from openpyxl import Workbook

    workbook = Workbook()
    ws = workbook.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "data.xlsx"
    return buffer

"""Demo campaigns for 清河县: this year's (in 报告撰写, no ballots: the meeting demo adds them) and
last year's, already published from a realistic Excel ballot workbook."""

import io
from decimal import Decimal

from django.db import transaction

from shuping.core.xlsx import new_workbook, workbook_bytes, write_sheet
from shuping.orgs.models import Org, UnitType

from . import excel, services
from .models import Campaign, CampaignState, IndicatorKind, RubricTemplate

S = CampaignState
ACTOR = "演示数据"
TOWN_TYPES = [UnitType.TOWNSHIP, UnitType.STREET, UnitType.PARK]
DEPT_TYPES = [UnitType.DEPARTMENT, UnitType.ENTERPRISE]
TITLE = "{year}年度清河县乡镇（街道、园区）党（工）委书记抓基层党建工作述职评议考核"
# Evaluators per group in last year's meeting: 常委, 领导小组成员单位, 党代表, 群众代表.
EVALUATORS = {"CW": 7, "LD": 10, "DB": 12, "QZ": 8}


def _ensure_campaign(county: Org, year: int) -> tuple[Campaign, bool]:
    title = TITLE.format(year=year)
    campaign = Campaign.objects.filter(organiser=county, year=year, title=title).first()
    if campaign is not None:
        return campaign, False
    campaign = services.campaign_create(actor=ACTOR, organiser=county, title=title, year=year,
                                        template=RubricTemplate.objects.get(sector=""))
    services.participants_bulk_add(actor=ACTOR, campaign=campaign, unit_types=TOWN_TYPES, ranking_group_name="乡镇组")
    services.participants_bulk_add(actor=ACTOR, campaign=campaign, unit_types=DEPT_TYPES,
                                   ranking_group_name="县直部门组", presentation="written")
    return campaign, True


def _ballot_workbook(campaign: Campaign, rng) -> bytes:
    """What a county clerk would key in from last year's paper forms."""
    indicators = [i for i in campaign.indicators.order_by("order") if i.is_scored_at_meeting]
    participants = list(campaign.participants.select_related("org"))
    strength = {p.pk: rng.uniform(0.72, 0.97) for p in participants}
    scores, votes = [], []
    for code, count in EVALUATORS.items():
        for n in range(1, count + 1):
            evaluator = f"{code}{n:02d}"
            leniency = rng.uniform(-0.05, 0.04)
            for p in participants:
                level = min(1.0, max(0.4, strength[p.pk] + leniency + rng.uniform(-0.06, 0.06)))
                for i in indicators:
                    raw = float(i.max_score) * min(1.0, level + rng.uniform(-0.05, 0.05))
                    value = Decimal(round(raw * 2) / 2).quantize(Decimal("0.1"))
                    scores.append([evaluator, code, p.org.code, i.code, min(value, i.max_score)])
                roll = level + rng.uniform(-0.12, 0.12)
                choice = "好" if roll > 0.88 else "较好" if roll > 0.76 else "一般" if roll > 0.6 else "差"
                votes.append([code, p.org.code, choice])
    workbook = new_workbook()
    write_sheet(workbook, excel.SCORE_SHEET, excel.SCORE_HEADERS, scores)
    write_sheet(workbook, excel.VOTE_SHEET, excel.VOTE_HEADERS, votes)
    return workbook_bytes(workbook)


def _publish_last_year(campaign: Campaign, rng) -> None:
    for target in (S.WRITING, S.REVIEW, S.MEETING):
        if campaign.state != target:
            campaign = services.campaign_transition(actor=ACTOR, campaign=campaign, to_state=target)
    excel.ballots_import(io.BytesIO(_ballot_workbook(campaign, rng)), actor=ACTOR, campaign=campaign,
                         note="2025年度述职评议会纸质测评表录入")
    deduction_item = campaign.indicators.filter(kind=IndicatorKind.DEDUCTION).first()
    for index, p in enumerate(campaign.participants.select_related("org").order_by("agenda_order")):
        fields = {"routine_score": Decimal(rng.randint(7800, 9700)) / 100}
        if index % 5 == 1:
            fields["bonus"] = Decimal(rng.choice([1, 2, 3]))
        if index % 7 == 3 and deduction_item is not None:
            fields["deduction"] = Decimal(2)
        services.participant_update(actor=ACTOR, participant=p, **fields)
    campaign = services.campaign_transition(actor=ACTOR, campaign=campaign, to_state=S.SCORING)
    services.campaign_publish(actor=ACTOR, campaign=campaign, reason="经县委组织部部务会审定，予以公布")


@transaction.atomic
def build_campaigns_demo(context) -> None:
    county = context.county
    last_year, created = _ensure_campaign(county, 2025)
    if created or last_year.state != S.PUBLISHED:
        _publish_last_year(last_year, context.rng)
    current, created = _ensure_campaign(county, 2026)
    if created:
        services.campaign_configure(actor=ACTOR, campaign=current, previous=last_year)
        services.campaign_transition(actor=ACTOR, campaign=current, to_state=S.WRITING)

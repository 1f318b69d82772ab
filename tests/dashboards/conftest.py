import datetime
from decimal import Decimal

import pytest

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import Campaign, CampaignState, ParticipantResult, ResultVersion

from ..builders import make_campaign


def publish(campaign: Campaign, grades: dict, *, number: int = 1) -> ResultVersion:
    """Freeze hand-made results (grades per org) without running a meeting: dashboards only read them."""
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.PUBLISHED)
    version = ResultVersion.objects.create(campaign=campaign, number=number, data=[], content_hash="x" * 64,
                                           created_at=datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC))
    for participant in campaign.participants.select_related("org"):
        if participant.org in grades:
            ParticipantResult.objects.create(version=version, participant=participant, grade=grades[participant.org],
                                             composite=Decimal("80"))
    return version


@pytest.fixture
def county_campaign(tree):
    """County A's 2026 campaign: A-1 好, A-2 一般."""
    campaign = make_campaign(tree)
    publish(campaign, {tree.town_a1: "好", tree.town_a2: "一般"})
    return campaign


@pytest.fixture
def city_campaign(tree):
    """The city's 2026 campaign in which counties A and B report (still open)."""
    campaign = make_campaign(tree, title="2026年度市委抓基层党建述职评议考核", participants=[])
    campaign.organiser = tree.city
    campaign.save(update_fields=["organiser"])
    for org in (tree.county_a, tree.county_b):
        campaign_services.participant_add(actor=None, campaign=campaign, org=org, ranking_group_name="县区组")
    return campaign

from decimal import Decimal

import pytest

from shuping.campaigns import services
from shuping.campaigns.models import Campaign, CampaignState

from ..builders import make_campaign, make_org


def set_state(campaign, state):
    """Rule tests are about the tally, not the state machine (other apps add guards to it)."""
    Campaign.objects.filter(pk=campaign.pk).update(state=state)
    campaign.refresh_from_db()
    return campaign


@pytest.fixture
def campaign(tree):
    return make_campaign(tree)


@pytest.fixture
def meeting_campaign(campaign):
    return set_state(campaign, CampaignState.MEETING)


@pytest.fixture
def one_item_campaign(tree):
    """Ten townships in 乡镇组 and a rubric of one 0–100 item, so a ballot's total is its one score."""
    towns = [tree.town_a1, tree.town_a2] + [make_org(f"A-{n}", tree.county_a, name=f"甲{n}镇党委") for n in range(3, 11)]
    campaign = make_campaign(tree, title="规则测试", participants=towns)
    for indicator in list(campaign.indicators.all()):
        services.indicator_delete(actor=None, indicator=indicator)
    services.indicator_save(actor=None, campaign=campaign, code="S", name="总体评价", max_score=Decimal(100))
    return set_state(campaign, CampaignState.MEETING)

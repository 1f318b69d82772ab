import pytest

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import CampaignState
from shuping.campaigns.services import CampaignError

from .conftest import approve


def test_reports_still_in_review_keep_the_campaign_out_of_the_meeting(campaign, submitted, role_users):
    campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.REVIEW)
    with pytest.raises(CampaignError, match="1 份述职报告在审核中"):
        campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.MEETING)
    for level in range(1, 5):
        approve(submitted, role_users["reviewer"], level)
    campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.MEETING)
    assert campaign.state == CampaignState.MEETING


def test_drafts_do_not_block_the_meeting(campaign, written):
    campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.REVIEW)
    campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.MEETING)
    assert campaign.state == CampaignState.MEETING

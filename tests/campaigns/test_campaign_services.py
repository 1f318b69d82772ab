from decimal import Decimal

import pytest

from shuping.audit.models import AuditEntry
from shuping.campaigns import services
from shuping.campaigns.models import CampaignState, Indicator, ResultVersion
from shuping.campaigns.services import CampaignError

from ..builders import cast_ballot, make_campaign


@pytest.fixture
def campaign(tree):
    return make_campaign(tree)


def _advance_to(campaign, state):
    order = [CampaignState.DRAFT, CampaignState.WRITING, CampaignState.REVIEW, CampaignState.MEETING, CampaignState.SCORING]
    for target in order[order.index(campaign.state) + 1 : order.index(state) + 1]:
        campaign = services.campaign_transition(actor=None, campaign=campaign, to_state=target)
    return campaign


def test_new_campaign_has_template_indicators_and_default_groups(campaign):
    assert campaign.indicators.filter(kind="required").count() == 5
    assert list(campaign.evaluator_groups.values_list("code", flat=True)) == ["CW", "LD", "DB", "QZ"]
    assert campaign.state == CampaignState.DRAFT


def test_draft_cannot_start_without_participants(tree):
    empty = make_campaign(tree, participants=[])
    with pytest.raises(CampaignError, match="尚未确定述职人"):
        services.campaign_transition(actor=None, campaign=empty, to_state=CampaignState.WRITING)


def test_skipping_a_state_is_refused(campaign):
    with pytest.raises(CampaignError, match="不能从"):
        services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.MEETING)


def test_transitions_are_audited(campaign):
    _advance_to(campaign, CampaignState.WRITING)
    entry = AuditEntry.objects.filter(action="campaign.transition").order_by("-seq").first()
    assert entry.before == {"state": "draft"} and entry.after == {"state": "writing"}


def test_rubric_is_frozen_once_the_meeting_starts(campaign):
    campaign = _advance_to(campaign, CampaignState.MEETING)
    with pytest.raises(CampaignError):
        services.indicator_save(actor=None, campaign=campaign, code="X1", name="新指标", max_score=Decimal(5))


def test_publish_freezes_a_hashed_snapshot_and_nothing_changes_afterwards(campaign):
    p1, p2 = campaign.participants.order_by("agenda_order")
    cast_ballot(campaign, p1, "CW", {"R1": "14", "R2": "13"}, democratic="好")
    cast_ballot(campaign, p2, "CW", {"R1": "10", "R2": "9"}, democratic="一般")
    campaign = _advance_to(campaign, CampaignState.SCORING)
    version = services.campaign_publish(actor=None, campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.PUBLISHED
    assert version.number == 1 and len(version.content_hash) == 64
    assert version.content_hash == services.payload_hash(version.data)
    assert [row["rank"] for row in version.data] == [1, 2]
    with pytest.raises(CampaignError):
        services.participant_update(actor=None, participant=p1, routine_score=Decimal(90))
    with pytest.raises(ValueError):
        version.reason = "改"
        version.save()


def test_correction_creates_a_new_version_and_keeps_the_old_one(campaign):
    p1, p2 = campaign.participants.order_by("agenda_order")
    cast_ballot(campaign, p1, "CW", {"R1": "14"})
    cast_ballot(campaign, p2, "CW", {"R1": "10"})
    campaign = _advance_to(campaign, CampaignState.SCORING)
    first = services.campaign_publish(actor=None, campaign=campaign)

    def raise_routine():
        services.participant_update(actor=None, participant=p2, routine_score=Decimal("99"))

    second = services.campaign_correct(actor=None, campaign=campaign, reason="日常考核分录入错误", changes=raise_routine)
    assert second.number == 2 and second.content_hash != first.content_hash
    assert ResultVersion.objects.get(pk=first.pk).content_hash == first.content_hash
    with pytest.raises(CampaignError):
        services.campaign_correct(actor=None, campaign=campaign, reason=" ")


def test_tally_ignores_test_ballots(campaign):
    from shuping.campaigns.models import Ballot

    p1, _ = campaign.participants.order_by("agenda_order")
    ballot = cast_ballot(campaign, p1, "CW", {"R1": "14"})
    Ballot.objects.filter(pk=ballot.pk).update(is_test=True)
    results = {r.participant: r for r in services.campaign_tally(campaign)}
    assert results[p1.pk].meeting_score is None


def test_participant_outside_the_organiser_is_refused(tree, campaign):
    with pytest.raises(CampaignError, match="管辖范围"):
        services.participant_add(actor=None, campaign=campaign, org=tree.town_b1, ranking_group_name="乡镇组")


def test_indicator_codes_are_unique_per_campaign(campaign):
    with pytest.raises(Exception):  # noqa: B017 - full_clean raises ValidationError
        services.indicator_save(actor=None, campaign=campaign, code="R1", name="重复", max_score=Decimal(5))
    assert Indicator.objects.filter(campaign=campaign, code="R1").count() == 1

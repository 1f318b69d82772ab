"""Fixtures for meeting tests: a county-A campaign in the 会议 phase with a meeting and cards."""

from dataclasses import dataclass, field

import pytest

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import CampaignState
from shuping.meetings import services

from ..builders import make_campaign


def advance(campaign, state=CampaignState.MEETING):
    order = [CampaignState.DRAFT, CampaignState.WRITING, CampaignState.REVIEW, CampaignState.MEETING]
    for target in order[order.index(campaign.state) + 1 : order.index(state) + 1]:
        campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=target)
    return campaign


@dataclass
class Hall:
    campaign: object
    meeting: object
    cards: dict = field(default_factory=dict)  # group code → [IssuedCard]
    participants: list = field(default_factory=list)
    indicators: list = field(default_factory=list)

    def scores(self, value="5"):
        """Form data giving every scored indicator the same value (capped at its max)."""
        from decimal import Decimal

        return {str(i.pk): str(min(Decimal(value), i.max_score)) for i in self.indicators}

    def token(self, group="QZ", index=0):
        return self.cards[group][index].token

    def slot(self, card, participant):
        """What only the server can compute while voting: the slot of a card's ballot."""
        from shuping.meetings import secrecy
        from shuping.meetings.models import Meeting

        key = Meeting.objects.get(pk=self.meeting.pk).ballot_key
        return secrecy.ballot_slot(key, secrecy.card_material(card.credential.pk), participant.pk)


def open_card(client, token):
    """What a phone does with the QR link: one request with the token, then a cookie."""
    from django.urls import reverse

    response = client.get(reverse("meetings:card_open", args=[token]))
    assert response.status_code == 302 and response["Location"] == reverse("meetings:ballot"), response
    return response


def build_hall(tree, *, status="open", per_group=3, named_group=None):
    campaign = make_campaign(tree)
    if named_group:
        group = campaign.evaluator_groups.get(code=named_group)
        campaign_services.evaluator_group_save(actor=None, campaign=campaign, group=group, anonymous=False)
    campaign = advance(campaign)
    meeting = services.meeting_create(actor=None, campaign=campaign, place="甲县委常委会议室")
    hall = Hall(campaign=campaign, meeting=meeting)
    for group in campaign.evaluator_groups.all():
        names = [f"{group.code}评议人{i}" for i in range(1, per_group + 1)] if not group.anonymous else []
        hall.cards[group.code] = services.credentials_issue(
            actor=None, meeting=meeting, group=group, count=per_group, names=names)
    if status == "test":
        services.meeting_start_test(actor=None, meeting=meeting)
    elif status == "open":
        services.meeting_open(actor=None, meeting=meeting)
    meeting.refresh_from_db()
    hall.participants = list(campaign.participants.order_by("agenda_order", "pk"))
    hall.indicators = services.scored_indicators(campaign)
    return hall


def hall_with_ranking_groups(tree, *, towns: int, departments: int, cards: int = 2):
    """An open meeting of `towns` 乡镇组 and `departments` 县直部门组 reporters (a county's 32),
    with `cards` anonymous 群众代表 cards and no distinct-totals rule. Returns (meeting, cards)."""
    from ..builders import make_org

    campaign = make_campaign(tree, participants=[])
    for group, count, code, name in (("乡镇组", towns, "A-T", "第{}镇党委"), ("县直部门组", departments, "A-D", "县直第{}工委")):
        for i in range(1, count + 1):
            org = make_org(f"{code}{i:02d}", tree.county_a, name=name.format(i))
            campaign_services.participant_add(actor=None, campaign=campaign, org=org, ranking_group_name=group)
    campaign = advance(campaign)
    meeting = services.meeting_create(actor=None, campaign=campaign, place="甲县委常委会议室",
                                      rule_distinct_totals=False)
    issued = services.credentials_issue(actor=None, meeting=meeting, group=campaign.evaluator_groups.get(code="QZ"),
                                        count=cards)
    services.meeting_open(actor=None, meeting=meeting)
    meeting.refresh_from_db()
    return meeting, issued


@pytest.fixture
def hall(tree):
    return build_hall(tree)


@pytest.fixture(autouse=True)
def _fast_code_hash(monkeypatch):
    """Argon2 at production cost makes every issued card ~30 ms; tests check the parameters
    themselves in test_secrecy.py and hash at a lower cost elsewhere."""
    from shuping.meetings import secrecy

    monkeypatch.setattr(secrecy, "ARGON2", {"time_cost": 1, "memory_cost": 256, "parallelism": 1})


@pytest.fixture(autouse=True)
def _fresh_layouts():
    from shuping.meetings import voting

    voting.forget_layouts()
    yield
    voting.forget_layouts()

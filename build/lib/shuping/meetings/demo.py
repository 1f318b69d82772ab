"""Demo step: a meeting for 清河县's 2026 campaign, with credentials and a few test ballots."""

import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import Campaign, CampaignState
from shuping.core.demo import _person_name

from . import services
from .models import Credential, CredentialStatus, Meeting, MeetingStatus

GROUP_SIZES = {"CW": 9, "LD": 20, "DB": 30, "QZ": 20}
ACTOR = "演示数据"


@transaction.atomic
def build_meeting_demo(context) -> None:
    campaign = Campaign.objects.filter(organiser=context.county, title__startswith="2026年度清河县").first()
    if campaign is None:
        return
    existing = Meeting.objects.filter(campaign=campaign).first()
    if existing is not None:
        _offer_demo_card(context, existing)
        return
    order = [CampaignState.DRAFT, CampaignState.WRITING, CampaignState.REVIEW, CampaignState.MEETING]
    if campaign.state not in order:
        return
    for target in order[order.index(campaign.state) + 1 :]:
        campaign = campaign_services.campaign_transition(actor=ACTOR, campaign=campaign, to_state=target)
    held_at = timezone.make_aware(datetime.datetime(2027, 1, 15, 9, 0))
    meeting = services.meeting_create(actor=ACTOR, campaign=campaign, held_at=held_at, place="县委常委会议室",
                                      base_url="")
    tokens = []
    for group in campaign.evaluator_groups.order_by("order", "pk"):
        size = GROUP_SIZES.get(group.code, 10)
        # anonymous groups (the 县委常委 included) get cards without names
        names = [_person_name(context.rng) for _ in range(size)] if not group.anonymous else []
        cards = services.credentials_issue(actor=ACTOR, meeting=meeting, group=group, count=size, names=names)
        tokens.extend(card.token for card in cards[:2])
    meeting = services.meeting_start_test(actor=ACTOR, meeting=meeting)
    indicators = services.scored_indicators(campaign)
    current = meeting.current
    if current is None:
        return
    for index, token in enumerate(tokens[:6]):
        scores = {str(i.pk): str((i.max_score * Decimal(80 + 3 * index) / 100).quantize(Decimal("0.1")))
                  for i in indicators}
        services.ballot_cast(token=token, participant_id=current.pk, raw_scores=scores,
                             democratic=["好", "较好", "好", "一般", "好", "较好"][index])
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.TEST
    _offer_demo_card(context, meeting)


def _offer_demo_card(context, meeting: Meeting) -> None:
    """Tokens are never stored, so each demo run re-issues the last anonymous card (it never voted)
    and prints its one-time QR link."""
    if meeting.status == MeetingStatus.CLOSED:
        return
    credential = (
        Credential.objects.filter(meeting=meeting, status=CredentialStatus.ACTIVE, group__anonymous=True)
        .order_by("-group__order", "-number", "-pk")
        .first()
    )
    if credential is None:
        return
    card = services.credential_reissue(actor=ACTOR, credential=credential)
    context.links.append((f"手机扫码测评演示（{credential.group.name} {credential.number}，短码 {card.display_code}）",
                          reverse("meetings:card_open", args=[card.token])))
    context.links.append(("现场大屏", f"/meetings/{meeting.pk}/board/"))

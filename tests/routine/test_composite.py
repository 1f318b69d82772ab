"""The year's routine score flows into the campaign composite (hand-computed through campaign_tally)."""

from decimal import Decimal

from django.urls import reverse

from shuping.audit.models import AuditEntry
from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import Campaign, CampaignState, ParticipantResult
from shuping.routine import services

from ..builders import cast_ballot, make_campaign
from .conftest import score


def _setup(tree):
    campaign = make_campaign(tree)  # 2026, county A, towns, weights 30/20/50
    p1, p2 = campaign.participants.order_by("agenda_order")
    score(tree, tree.town_a1, 1, x=54, y=36)   # 90
    score(tree, tree.town_a1, 2, x=48, y=32)   # 80 → routine 100 × 170 / (2 × 100) = 85.00
    score(tree, tree.town_a2, 1, x=30)         # 30 → routine 30.00, but A-2 has a manual 70
    campaign_services.participant_update(actor=None, participant=p2, routine_score=Decimal(70))
    # one CW ballot totalling 90 and one 好 vote (100).
    cast_ballot(campaign, p1, "CW", {"R1": "15", "R2": "15", "R3": "15", "R4": "15", "R5": "20", "B1": "7",
                                     "B2": "3"}, democratic="好")
    return campaign, p1, p2


def test_routine_score_from_monthly_scores_enters_the_composite(routine):
    campaign, p1, p2 = _setup(routine)
    results = {r.participant: r for r in campaign_services.campaign_tally(campaign)}
    assert results[p1.pk].meeting_score == Decimal("90.00")
    assert results[p1.pk].routine_score == Decimal("85.00")
    # (30 × 90 + 20 × 100 + 50 × 85) / 100 = (2700 + 2000 + 4250) / 100 = 89.50
    assert results[p1.pk].composite == Decimal("89.50")
    # the manual 70 wins over the computed 30; only the routine component is present.
    assert results[p2.pk].routine_score == Decimal("70.00")
    assert results[p2.pk].composite == Decimal("70.00")


def test_apply_copies_the_computed_score_keeps_manual_ones_and_is_audited(routine):
    campaign, p1, p2 = _setup(routine)
    assert services.campaign_routine_apply(actor=None, campaign=campaign) == 1
    p1.refresh_from_db()
    p2.refresh_from_db()
    assert p1.routine_score == Decimal("85.00") and p2.routine_score == Decimal("70.00")
    assert AuditEntry.objects.filter(action="campaign.participant_update", object_id=str(p1.pk)).exists()
    assert AuditEntry.objects.filter(action="routine.apply_to_campaign").exists()
    assert services.campaign_routine_apply(actor=None, campaign=campaign, overwrite=True) == 1
    p2.refresh_from_db()
    assert p2.routine_score == Decimal("30.00")


def test_published_result_records_the_routine_score(routine):
    campaign, p1, _ = _setup(routine)
    services.campaign_routine_apply(actor=None, campaign=campaign)
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.SCORING)
    campaign.refresh_from_db()
    version = campaign_services.campaign_publish(actor=None, campaign=campaign)
    row = ParticipantResult.objects.get(version=version, participant=p1)
    assert row.routine_score == Decimal("85.00") and row.composite == Decimal("89.50")


def test_composition_page_names_every_source(routine, client, role_users):
    campaign, p1, p2 = _setup(routine)
    client.force_login(role_users["admin"])
    body = client.get(reverse("routine:composition", args=[campaign.pk])).content.decode()
    assert "1 张测评票" in body and "1 票民主测评" in body
    assert "月度评分计算（2 个月、4 条评分记录）" in body
    assert "手工录入" in body and "89.50" in body
    response = client.post(reverse("routine:routine_apply", args=[campaign.pk]))
    assert response.status_code == 302
    body = client.get(reverse("routine:composition", args=[campaign.pk])).content.decode()
    assert "由月度评分复制（2 个月、4 条评分记录）" in body

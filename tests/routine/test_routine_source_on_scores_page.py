"""The 日常考核与加扣分 page says where a blank 日常考核得分 comes from, and shows the derived value."""

from decimal import Decimal

from django.urls import reverse

from shuping.campaigns import services as campaign_services
from tests.outputs.visible import page_text

from ..builders import make_campaign
from .conftest import score


def test_blank_routine_field_shows_the_monthly_derived_score_and_its_source(routine, client, role_users):
    campaign = make_campaign(routine)
    p1, p2 = campaign.participants.order_by("agenda_order")
    score(routine, routine.town_a1, 1, x=54, y=36)
    score(routine, routine.town_a1, 2, x=48, y=32)  # → 85.00
    campaign_services.participant_update(actor=None, participant=p2, routine_score=Decimal(70))
    client.force_login(role_users["admin"])
    page = client.get(reverse("campaigns:scores", args=[campaign.pk])).content.decode()
    text = page_text(page)
    assert "留空：使用\n85.00\n（由日常考核月度评分折算" in text
    assert reverse("routine:composition", args=[campaign.pk]) in page
    assert 'placeholder="85.00"' in page
    assert "已填写" in text and "留空表示不计入" not in text
    # What the page says is what the tally uses.
    results = {r.participant: r for r in campaign_services.campaign_tally(campaign)}
    assert results[p1.pk].routine_score == Decimal("85.00") and results[p2.pk].routine_score == Decimal("70.00")


def test_without_monthly_scores_blank_means_not_counted(tree, client, role_users):
    campaign = make_campaign(tree)
    client.force_login(role_users["admin"])
    text = page_text(client.get(reverse("campaigns:scores", args=[campaign.pk])).content.decode())
    assert text.count("留空：不计入（无月度评分）") == 2


def test_bonus_above_the_cap_is_refused_next_to_the_field(tree, client, role_users):
    campaign = make_campaign(tree)
    campaign.refresh_from_db()
    a1, a2 = campaign.participants.order_by("agenda_order")
    client.force_login(role_users["admin"])
    url = reverse("campaigns:scores", args=[campaign.pk])
    data = {f"p{a1.pk}-routine_score": "", f"p{a1.pk}-bonus": "8", f"p{a1.pk}-deduction": "0",
            f"p{a2.pk}-routine_score": "", f"p{a2.pk}-bonus": "0", f"p{a2.pk}-deduction": "0"}
    page = client.post(url, data).content.decode()
    assert "加分不能超过上限 5.00 分" in page_text(page) and campaign.bonus_cap == 5
    assert f'max="{campaign.bonus_cap}"' in page
    a1.refresh_from_db()
    assert a1.bonus == 0

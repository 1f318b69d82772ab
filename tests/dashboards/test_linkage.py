from decimal import Decimal

import pytest
from django.urls import reverse

from shuping.audit.models import AuditEntry
from shuping.campaigns import services as campaign_services
from shuping.dashboards import services


def test_share_of_good_grades_in_each_participants_own_campaign(tree, county_campaign, city_campaign):
    rows = {r.participant.org.code: r for r in services.linkage_rows(city_campaign, Decimal("2"))}
    a, b = rows["A"], rows["B"]
    assert (a.source_campaign, a.graded, a.good, a.good_share, a.points) == (
        county_campaign, 2, 1, Decimal("50.00"), Decimal("1.00"))
    assert (b.source_campaign, b.good_share, b.points) == (None, None, Decimal("0.00"))


def test_apply_adds_points_to_bonus_and_reapplying_replaces_them(tree, county_campaign, city_campaign):
    participant_a = city_campaign.participants.get(org=tree.county_a)
    campaign_services.participant_update(actor=None, participant=participant_a, bonus=Decimal("1.50"))
    services.linkage_apply(actor=None, campaign=city_campaign, cap=Decimal("2"))
    participant_a.refresh_from_db()
    assert participant_a.bonus == Decimal("2.50")
    services.linkage_apply(actor=None, campaign=city_campaign, cap=Decimal("4"))
    participant_a.refresh_from_db()
    assert participant_a.bonus == Decimal("3.50")  # 1.50 entered by hand + 50 % × 4
    assert participant_a.linkage.points == Decimal("2.00")
    assert AuditEntry.objects.filter(action="linkage.apply").count() == 2


def test_apply_feeds_the_composite_bonus(tree, county_campaign, city_campaign):
    services.linkage_apply(actor=None, campaign=city_campaign, cap=Decimal("2"))
    results = {r.participant: r for r in campaign_services.campaign_tally(city_campaign)}
    participant_a = city_campaign.participants.get(org=tree.county_a)
    assert results[participant_a.pk].bonus == Decimal("1.00")


def test_apply_is_refused_after_publication(tree, county_campaign):
    with pytest.raises(Exception, match="已发布"):
        services.linkage_apply(actor=None, campaign=county_campaign)


def test_linkage_page_and_button(client, role_users, tree, county_campaign, city_campaign):
    from shuping.accounts.models import Role
    from tests.builders import make_user

    city_admin = make_user("city-admin", Role.ADMIN, tree.city)
    client.force_login(city_admin)
    page = client.get(reverse("dashboards:linkage", args=[city_campaign.pk]))
    assert "计入下级考核结果" in page.content.decode() and "50.00" in page.content.decode()
    client.post(reverse("dashboards:linkage_apply", args=[city_campaign.pk]), {"cap": "3"})
    assert city_campaign.participants.get(org=tree.county_a).bonus == Decimal("1.50")
    # a county admin cannot manage the city's campaign
    client.force_login(role_users["admin"])
    assert client.get(reverse("dashboards:linkage", args=[city_campaign.pk])).status_code == 404

"""The level pages as a superior uses them: launch, create a subordinate level, adjust, read-only view."""

import pytest
from django.urls import reverse

from shuping.accounts.models import Role
from shuping.levels.models import Plan

from ..builders import make_user
from .conftest import launch

pytestmark = pytest.mark.django_db


@pytest.fixture
def city_admin(tree):
    return make_user("city-admin", Role.ADMIN, tree.city)


def test_a_prefecture_launches_the_year_from_the_form(tree, city_admin, client):
    from shuping.campaigns.models import RubricTemplate

    client.force_login(city_admin)
    response = client.post(reverse("levels:plan_create"), {
        "organiser": tree.city.pk, "title": "2026年度方案", "year": 2026, "kind": "annual",
        "writing_from": "2026-11-01", "review_until": "2026-12-10", "meeting_from": "2026-12-15",
        "meeting_until": "2027-01-20", "publish_until": "2027-01-31", "rubric_policy": "add_only",
        "weight_tolerance": "10", "joint_cap": "2", "template": RubricTemplate.objects.get(sector="").pk,
    })
    plan = Plan.objects.get()
    assert response.status_code == 302 and response.url == reverse("levels:plan", args=[plan.pk])
    page = client.get(response.url).content.decode()
    assert "各级进度" in page and tree.city.name in page and "未发布" in page
    bad = client.post(reverse("levels:plan_create"), {
        "organiser": tree.city.pk, "title": "x", "year": 2026, "kind": "annual", "writing_from": "2026-12-31",
        "review_until": "2026-12-10", "meeting_from": "2026-12-15", "meeting_until": "2027-01-20",
        "publish_until": "2027-01-31", "rubric_policy": "add_only", "weight_tolerance": "10", "joint_cap": "2"})
    assert "方案日程应依次为" in bad.content.decode() and Plan.objects.count() == 1


def test_the_superior_creates_adjusts_and_reads_a_subordinate_level(tree, city_admin, client):
    plan = launch(tree)
    root = plan.nodes.get()
    client.force_login(city_admin)
    page = client.get(reverse("levels:node", args=[root.pk])).content.decode()
    assert "建立下级考核" in page and "只读" in page
    response = client.post(reverse("levels:node_create", args=[root.pk]),
                           {"organiser": tree.county_a.pk, "meeting_date": "2027-01-05"})
    county = plan.nodes.get(campaign__organiser=tree.county_a)
    assert response.url == reverse("levels:node", args=[county.pk])
    client.post(reverse("levels:node_adjust", args=[county.pk]), {
        "meeting_date": "2027-01-05", "weight_meeting": "45", "weight_democratic": "20", "weight_routine": "35"})
    page = client.get(reverse("levels:node", args=[county.pk]), follow=True).content.decode()
    county.campaign.refresh_from_db()
    assert county.campaign.weight_meeting == 30  # refused: 15 points beyond the 10 allowed
    response = client.post(reverse("levels:node_adjust", args=[county.pk]), {
        "meeting_date": "2027-01-05", "weight_meeting": "45", "weight_democratic": "20", "weight_routine": "35"},
        follow=True)
    assert "超过方案允许的 10.00 个百分点" in response.content.decode()
    assert "甲一镇党委" in page and "R1" in page and "派员参加述职评议会" in page

"""Routine ranking groups are defined per organiser, with defaults by the organiser's level."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from shuping.orgs.models import UnitType
from shuping.routine import selectors, services
from shuping.routine.models import MonthlyScore, RoutineIndicator

from ..builders import make_org

pytestmark = pytest.mark.django_db


def _score(organiser, units, month=3):
    indicator = RoutineIndicator.objects.create(organiser=organiser, year=2026, code="R1", name="组织生活",
                                                max_score=Decimal("10"))
    for n, unit in enumerate(units):
        MonthlyScore.objects.create(indicator=indicator, org=unit, month=month, score=Decimal(9 - n),
                                    entered_at=datetime.datetime(2026, 3, 31, tzinfo=datetime.UTC))


def test_a_prefecture_ranks_counties_not_as_county_departments(tree):
    department = make_org("C-D1", tree.city, name="市委政法委", unit_type=UnitType.DEPARTMENT, sector="organ")
    _score(tree.city, [tree.county_a, tree.county_b, department])
    rows = selectors.month_table(tree.city, 2026, 3)
    assert [(r.group, r.org.name, r.rank) for r in rows] == [
        ("县（市、区）", "甲县委", 1), ("县（市、区）", "乙县委", 2), ("市（州）直单位", "市委政法委", 1)]


def test_a_township_ranks_villages_and_communities_apart(tree):
    community = make_org("A-1-C", tree.town_a1, name="甲一社区党委", unit_type=UnitType.COMMUNITY, sector="community")
    _score(tree.town_a1, [tree.village_a1, community])
    rows = selectors.month_table(tree.town_a1, 2026, 3)
    assert [(r.group, r.rank) for r in rows] == [("村", 1), ("社区", 1)]


def test_the_organisers_own_groups_replace_the_defaults_and_keep_their_order(tree):
    department = make_org("A-D1", tree.county_a, name="县委办党组", unit_type=UnitType.DEPARTMENT, sector="organ")
    services.ranking_groups_set(actor=None, organiser=tree.county_a,
                                groups=services.parse_ranking_groups("部门组：部门\n乡镇组："))
    _score(tree.county_a, [tree.town_a1, department, tree.town_a2])
    rows = selectors.month_table(tree.county_a, 2026, 3)
    assert [(r.group, r.org.name) for r in rows] == [("部门组", "县委办党组"), ("乡镇组", "甲一镇党委"),
                                                     ("乡镇组", "甲二镇党委")]
    services.ranking_groups_set(actor=None, organiser=tree.county_a, groups=[])
    assert selectors.group_resolver(tree.county_a)(department) == "县直单位"


@pytest.mark.parametrize(("text", "message"), [
    ("：乡镇", "分组名称不能为空"), ("甲：乡镇\n甲：部门", "重复"), ("甲：乡村", "单位类别“乡村”无效"),
])
def test_bad_group_text_gets_a_chinese_error(text, message):
    with pytest.raises(services.RoutineError, match=message):
        services.parse_ranking_groups(text)


def test_the_groups_page_edits_and_shows_each_units_group(client, tree, role_users):
    client.force_login(role_users["admin"])
    url = reverse("routine:ranking_groups", args=[tree.county_a.pk, 2026])
    page = client.get(url).content.decode()
    assert "乡镇（街道、园区）：乡镇、街道、园区" in page and "默认分组" in page
    client.post(url, {"groups": "一组：乡镇\n二组："})
    page = client.get(url).content.decode()
    assert "自定义" in page and "<td>甲一镇党委</td><td>乡镇</td><td>一组</td>" in page
    response = client.post(url, {"groups": "一组：火星"})
    assert "单位类别“火星”无效" in response.content.decode()
    assert "一组：乡镇" in client.get(url).content.decode()  # nothing lost on a bad save

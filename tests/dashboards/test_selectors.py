import datetime
from decimal import Decimal

from shuping.campaigns.models import Grade
from shuping.dashboards import selectors
from shuping.rectification.models import Problem, Rectification, Source, Status
from shuping.routine.models import MonthlyScore, RoutineIndicator

from ..builders import cast_ballot, make_campaign
from .conftest import publish

NOW = datetime.datetime(2026, 6, 1, tzinfo=datetime.UTC)


def _row(table, label):
    return next(r for r in table.rows if r[0] == label)


def test_grades_by_unit_count_each_township(tree, county_campaign):
    table = selectors.grades_by_unit_table(tree.county_a, 2026)
    assert table.headers[:5] == ["单位", "好", "较好", "一般", "差"]
    assert _row(table, "甲一镇党委")[1:7] == [1, 0, 0, 0, 1, Decimal("100.00")]
    assert _row(table, "甲二镇党委")[1:7] == [0, 0, 1, 0, 1, Decimal("0.00")]


def test_grades_roll_up_to_the_city_and_province(tree, county_campaign):
    city_rows = selectors.grades_by_unit_table(tree.city, 2026).rows
    assert city_rows == [["甲县委", 1, 0, 1, 0, 2, Decimal("50.00")]]
    assert selectors.grades_by_unit_table(tree.province, 2026).rows[0][1:6] == [1, 0, 1, 0, 2]
    assert selectors.grades_by_unit_table(tree.province, 2025).rows == []


def test_only_the_latest_published_version_counts(tree, county_campaign):
    publish(county_campaign, {tree.town_a1: "较好", tree.town_a2: "一般"}, number=2)
    assert _row(selectors.grades_by_unit_table(tree.county_a, 2026), "甲一镇党委")[1:3] == [0, 1]


def test_grades_by_sector(tree, county_campaign):
    table = selectors.grades_by_sector_table(tree.county_a, 2026)
    assert table.rows == [["农村", 1, 0, 1, 0, 2, Decimal("50.00")]]


def test_routine_trend_is_score_rate_of_each_township_subtree(tree):
    indicator = RoutineIndicator.objects.create(organiser=tree.county_a, year=2026, code="R1", name="组织生活",
                                                max_score=Decimal("10"))
    MonthlyScore.objects.create(indicator=indicator, org=tree.town_a1, month=1, score=Decimal("8"), entered_at=NOW)
    MonthlyScore.objects.create(indicator=indicator, org=tree.village_a1, month=1, score=Decimal("6"), entered_at=NOW)
    MonthlyScore.objects.create(indicator=indicator, org=tree.town_a2, month=3, score=Decimal("9"), entered_at=NOW)
    table = selectors.routine_table(tree.county_a, 2026)
    a1, a2 = _row(table, "甲一镇党委"), _row(table, "甲二镇党委")
    assert a1[1] == Decimal("70.00") and a1[2] is None and a1[13] == Decimal("70.00")
    assert a2[3] == Decimal("90.00")
    assert table.chart["series"][0]["data"][0] == 70.0
    # county B's admin scope never includes A's rows
    assert selectors.routine_table(tree.county_b, 2026).rows == []


def test_rectification_counts_closed_overdue_and_missing_plans(tree):
    def problem(org, status=None):
        p = Problem.objects.create(org=org, description="问题", source=Source.SELF, found_on=datetime.date(2026, 3, 1),
                                   created_at=NOW)
        if status:
            Rectification.objects.create(problem=p, org=org, status=status, updated_at=NOW)

    problem(tree.town_a1, Status.CLOSED)
    problem(tree.village_a1, Status.OVERDUE)
    problem(tree.town_a1, Status.IN_PROGRESS)
    problem(tree.town_a2)
    table = selectors.rectification_table(tree.county_a, 2026)
    assert table.headers == ["单位", "问题数", "未开始", "整改中", "申请销号", "逾期", "已销号", "销号率（%）"]
    assert _row(table, "甲一镇党委")[1:] == [3, 0, 1, 0, 1, 1, Decimal("33.33")]
    # A problem without a rectification row is not on the ledger either.
    assert [r[0] for r in table.rows] == ["甲一镇党委"]


def test_rectification_counts_equal_the_ledger_status_by_status_for_random_data(tree, client, role_users):
    import random

    from django.urls import reverse

    from shuping.rectification.models import CommonProblem

    rng = random.Random(13)
    orgs = [tree.town_a1, tree.village_a1, tree.town_a2, tree.county_a]
    for n in range(60):
        org, status = rng.choice(orgs), rng.choice(Status.values)
        if n % 7 == 0:
            common = CommonProblem.objects.create(organiser=org, title=f"共性{n}", created_at=NOW)
            Rectification.objects.create(common=common, org=org, status=status, updated_at=NOW)
        else:
            p = Problem.objects.create(org=org, description=f"问题{n}", source=Source.SELF,
                                       found_on=datetime.date(2026, rng.randint(1, 12), 1), created_at=NOW)
            Rectification.objects.create(problem=p, org=org, status=status, updated_at=NOW)
    table = selectors.rectification_table(tree.county_a, 2026)
    status_headers = table.headers[2:7]
    client.force_login(role_users["admin"])
    for child in (tree.town_a1, tree.town_a2):
        page = client.get(reverse("rectification:problems"), {"org": child.pk})
        ledger = dict(page.context["counts"])
        row = _row(table, child.name)
        assert dict(zip(status_headers, row[2:7], strict=True)) == {h: ledger[h] for h in status_headers}
        assert row[1] == page.context["total"]
    assert selectors.rectification_table(tree.county_a, 2025).rows == []


def test_progress_counts_participants_and_ballots(tree):
    campaign = make_campaign(tree)
    participant = campaign.participants.get(org=tree.town_a1)
    cast_ballot(campaign, participant, "CW", {"R1": "10"}, evaluator="E1", democratic="好")
    cast_ballot(campaign, participant, "CW", {"R1": "9"}, evaluator="E2", democratic="好")
    table = selectors.progress_table(tree.county_a, 2026)
    assert table.rows == [["甲县委", campaign.title, "草稿", 2, 0, 0, 0, 2]]


def test_tree_colours_units_by_latest_grade(tree, county_campaign):
    table = selectors.tree_table(tree.county_a, 2026)
    grades = {r[0]: r[4] for r in table.rows}
    assert grades == {"甲县委": "未评定", "甲一镇党委": Grade.GOOD, "甲二镇党委": Grade.AVERAGE}  # villages ungraded: not shown
    top = table.chart["tree"]
    assert top["name"] == "甲县委" and {c["name"]: c["grade"] for c in top["children"]}["甲一镇党委"] == "好"


def test_subordinate_campaigns_exclude_the_roots_own(tree, county_campaign, city_campaign):
    table = selectors.subordinate_table(tree.city, 2026)
    assert [r[0] for r in table.rows] == ["甲县委"]
    assert table.rows[0][7:] == [1, 0, 1, 0, Decimal("50.00")]


def test_routine_from_the_city_groups_by_county_organiser(tree):
    """Seen from above, a county's indicators roll up to the county row (the organiser path)."""
    indicator = RoutineIndicator.objects.create(organiser=tree.county_a, year=2026, code="R1", name="组织生活",
                                                max_score=Decimal("10"))
    town_indicator = RoutineIndicator.objects.create(organiser=tree.town_a1, year=2026, code="T1", name="村级组织",
                                                     max_score=Decimal("10"))
    MonthlyScore.objects.create(indicator=indicator, org=tree.town_a1, month=2, score=Decimal("8"), entered_at=NOW)
    MonthlyScore.objects.create(indicator=town_indicator, org=tree.village_a1, month=2, score=Decimal("5"), entered_at=NOW)
    assert selectors.routine_table(tree.city, 2026).rows[0][:3] == ["甲县委", None, Decimal("65.00")]
    # from the county, the county's own indicator is grouped per scored township; the town's by organiser
    assert _row(selectors.routine_table(tree.county_a, 2026), "甲一镇党委")[2] == Decimal("65.00")

"""The dashboards' subtree totals stay equal to a fresh count of the confirmed sheets through confirm, return,
re-entry and org moves, and the rebuild gives the same rows."""

from decimal import Decimal

from shuping.orgs import services as org_services
from shuping.orgs.models import OrgKind, UnitType
from shuping.registers import charts, rollup, services
from shuping.registers.models import FactSheet, FactValue, RegisterRollup

from ..builders import make_org
from .conftest import fill


def _fresh(org, year) -> dict:
    """Count straight from the values, as the dashboards did before the rollup."""
    totals = dict.fromkeys(rollup.FIELDS, 0)
    for sheet in FactSheet.objects.filter(org__path__startswith=org.path, year=year, state="confirmed"):
        values = {v.fact.code: v.value for v in FactValue.objects.filter(sheet=sheet).select_related("fact")}
        for field, amount in rollup.contribution(values).items():
            totals[field] += amount
    return totals


def _stored(org, year) -> dict:
    return RegisterRollup.objects.filter(org=org, year=year).values(*rollup.FIELDS).first() or dict.fromkeys(rollup.FIELDS, 0)


def _check(tree):
    for org in (tree.province, tree.city, tree.county_a, tree.county_b, tree.town_a1, tree.town_a2, tree.village_a1):
        org.refresh_from_db()
        assert _stored(org, 2026) == _fresh(org, 2026), org.name


def test_totals_follow_confirm_return_and_moves(tree, facts):
    village2 = make_org("A-1-2", tree.town_a1, name="甲一二村党支部", unit_type=UnitType.VILLAGE, kind=OrgKind.BRANCH)
    all_lessons = {f"lessons_q{q}": 5 for q in range(1, 5)}
    fill(tree.village_a1, 2026, {"new_members": 3, "activists": 2, "collective_income": "4.5", **all_lessons}, facts=facts)
    fill(village2, 2026, {"new_members": 2, "collective_income": "120", "lessons_q1": 2}, facts=facts)
    fill(tree.village_b1, 2026, {"new_members": 1, "collective_income": "8"}, facts=facts)
    fill(tree.town_a2, 2026, {"new_members": 4}, facts=facts, confirm=False)  # submitted only: not counted
    _check(tree)
    assert _stored(tree.county_a, 2026)["new_members"] == Decimal(5)
    assert _stored(tree.province, 2026)["income_count"] == 3
    # Returned, corrected and confirmed again: the old figure leaves, the new one arrives.
    sheet = services.sheet_return(actor=None, sheet=FactSheet.objects.get(org=village2, year=2026), reason="复核")
    _check(tree)
    assert _stored(tree.county_a, 2026)["new_members"] == Decimal(3)
    services.sheet_save(actor=None, org=village2, year=2026, submit=True,
                        values={facts["new_members"]: Decimal(6), facts["collective_income"]: Decimal(60)})
    services.sheet_confirm(actor=None, sheet=sheet)
    _check(tree)
    # A township moves to the other county with its villages' totals.
    org_services.org_move(actor=None, org=tree.town_a1, new_parent=tree.county_b)
    _check(tree)
    assert _stored(tree.county_a, 2026)["new_members"] == Decimal(0)
    assert _stored(tree.county_b, 2026)["new_members"] == Decimal(10)
    before = {(r.org_id, r.year): [getattr(r, f) for f in rollup.FIELDS] for r in RegisterRollup.objects.all()
              if any(getattr(r, f) for f in rollup.FIELDS)}
    rollup.rebuild()
    assert {(r.org_id, r.year): [getattr(r, f) for f in rollup.FIELDS] for r in RegisterRollup.objects.all()} == before


def test_dashboards_read_the_totals(tree, facts):
    fill(tree.village_a1, 2026, {"new_members": 3, "collective_income": "4.5",
                                 **{f"lessons_q{q}": 4 for q in range(1, 5)}}, facts=facts)
    fill(tree.village_b1, 2026, {"new_members": 2, "collective_income": "55", "lessons_q1": 4}, facts=facts)
    assert charts.lessons_table(tree.city, 2026)["rows"] == [["甲县委", 1, 1, Decimal("100.00")],
                                                             ["乙县委", 1, 0, Decimal("0.00")]]
    assert charts.members_table(tree.province, 2026)["rows"][-1] == [2026, 5, 0]
    economy = {r[0]: r[1] for r in charts.economy_table(tree.city, 2026)["rows"]}
    assert (economy["5万元以下（空壳薄弱）"], economy["50万～100万元"], economy["10万～50万元"]) == (1, 1, 0)

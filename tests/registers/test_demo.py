import types

from shuping.registers.demo import build_registers_demo
from shuping.registers.models import Brand, ClaimRule, FactSheet, SheetState


def test_demo_registers_are_built_once_through_the_services(tree, facts):
    context = types.SimpleNamespace(county=tree.county_a, links=[])
    build_registers_demo(context)
    build_registers_demo(context)
    sheets = FactSheet.objects.filter(org=tree.village_a1)
    assert sorted(sheets.values_list("year", flat=True)) == [2025, 2026]
    assert all(s.state == SheetState.CONFIRMED for s in sheets)
    assert sheets.get(year=2026).values.count() == 17  # every fact applies to a village, the county's own too
    own = ClaimRule.objects.get(name="产业项目个数（清河县）")
    assert own.owner == tree.county_a and own.fact.owner == tree.county_a  # the county admin's to edit
    assert not FactSheet.objects.filter(org=tree.village_b1).exists()  # only the demo county
    assert not Brand.objects.exists()  # the demo brands belong to 清河县's townships, absent here
    assert context.links[0][1] == f"/registers/facts/{tree.county_a.pk}/2026/"

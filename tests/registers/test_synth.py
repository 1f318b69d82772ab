import pytest
from django.core.management import call_command

from shuping.orgs.models import Org
from shuping.registers import charts
from shuping.registers.models import FactSheet, FactValue, SheetState, WeakOrgCase


@pytest.mark.django_db
def test_synthetic_province_has_confirmed_registers_the_dashboards_read(facts):
    call_command("synth_province", scale=0.01, years=2)
    province = Org.objects.get(code="SYN")
    sheets = FactSheet.objects.filter(org__path__startswith=province.path)
    assert sheets.count() == 250 * 2 and not sheets.exclude(state=SheetState.CONFIRMED).exists()
    year = max(sheets.values_list("year", flat=True))
    assert FactValue.objects.filter(sheet__year=year).count() == 250 * 16  # the full fact set in recent years
    assert WeakOrgCase.objects.filter(year=year).count() == 5
    economy = charts.economy_table(province, year)
    assert sum(row[1] for row in economy["rows"]) == 250
    assert charts.lessons_table(province, year)["rows"][0][1] == 250
    assert charts.members_table(province, year)["rows"][-1][1] > 0

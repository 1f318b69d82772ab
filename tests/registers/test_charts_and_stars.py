"""Register dashboards (table + chart + xlsx through the dashboards app) and star criteria read from the register."""


import pytest
from django.urls import reverse

from shuping.registers import charts, services, weak
from shuping.stars import services as star_services

from ..jobs.worker import export_rows
from .conftest import fill


@pytest.fixture
def registers(ledger, facts):
    ledger.facts_by_code = facts
    fill(ledger.village_b1, 2026, {"collective_income": 150, "lessons_q1": 4, "lessons_q2": 4, "lessons_q3": 4,
                                    "lessons_q4": 4}, facts=facts)  # county B: never in county A's figures
    for village, quarters in ((ledger.village_a1, [4, 5, 4, 6]), (ledger.village_a1b, [4, 2, 4, 4])):
        sheet = services.sheet_return(actor=None, sheet=village.fact_sheets.get(year=2026), reason="补三会一课")
        fill(village, 2026, {f"lessons_q{i + 1}": q for i, q in enumerate(quarters)}, facts=facts)
        assert sheet
    fill(ledger.village_a1, 2025, {"new_members": 3}, facts=facts)
    weak.case_identify(actor=None, org=ledger.village_a1, year=2026, reason_category="economy", reason="集体经济薄弱",
                       leader="张县长")
    return ledger


def test_tables_count_confirmed_values_within_the_root(registers):
    lessons = charts.lessons_table(registers.county_a, 2026)
    assert lessons["rows"] == [["甲一镇党委", 2, 1, pytest.approx(50)]]
    members = charts.members_table(registers.county_a, 2026)
    assert members["rows"][-2][:2] == [2025, 3] and members["rows"][-1][:2] == [2026, 9]
    economy = {r[0]: r[1] for r in charts.economy_table(registers.county_a, 2026)["rows"]}
    assert economy["5万元以下（空壳薄弱）"] == 1 and economy["5万～10万元"] == 1 and economy["100万元及以上"] == 0
    assert charts.weak_table(registers.county_a, 2026)["rows"] == [["甲一镇党委", 1, 1, 0, 0, 0, 0]]


def test_dashboard_pages_show_chart_table_and_xlsx(client, registers, role_users):
    client.force_login(role_users["leader"])
    query = {"org": registers.county_a.pk, "year": 2026}
    page = client.get(reverse("dashboards:view", args=["reg-economy"]), query).content.decode()
    assert "村级集体经济收入分布" in page and "5万元以下（空壳薄弱）" in page and 'id="chart-data"' in page
    rows = export_rows(client, reverse("dashboards:export", args=["reg-lessons"]) + f"?org={registers.county_a.pk}&year=2026")
    assert rows[0] == ["单位", "填报党组织数", "四个季度均落实数", "覆盖率（%）"] and rows[1][:3] == ["甲一镇党委", 2, 1]
    client.force_login(role_users["outsider"])  # county B's admin may not read county A's registers
    assert client.get(reverse("dashboards:view", args=["reg-economy"]), query).status_code == 404


def test_star_criterion_reads_the_register_and_weak_org_hits_the_negative_list(client, registers, role_users):
    criteria_set = star_services.criteria_set_create(actor=None, organiser=registers.county_a, year=2026)
    star_services.ratings_open(actor=None, criteria_set=criteria_set)
    development = criteria_set.criteria.get(code="C6")
    client.force_login(role_users["admin"])
    client.post(reverse("registers:star_rules", args=[criteria_set.pk]),
                {"criterion": development.pk, "fact": registers.facts_by_code["collective_income"].pk, "threshold": "5"})
    rating = registers.village_a1.star_ratings.get(year=2026)
    full = {c.pk: c.max_score for c in criteria_set.criteria.all()}
    star_services.rating_self_assess(actor=None, rating=rating, scores=full, submit=True)
    page = client.get(reverse("stars:detail", args=[rating.pk])).content.decode()
    assert "台账：集体经济收入3.20万元，未达5万元（建议 0.00 分）" in page
    assert "2026年列入软弱涣散党组织（已认定）" in page
    other = registers.village_a1b.star_ratings.get(year=2026)
    star_services.rating_self_assess(actor=None, rating=other, scores=full, submit=True)
    page = client.get(reverse("stars:detail", args=[other.pk])).content.decode()
    assert f"台账：集体经济收入8万元，达到5万元（建议 {development.max_score} 分）" in page

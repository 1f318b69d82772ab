"""Who enters each fact (本单位 / 上级党组织 / 指定部门), and county admins maintaining their own facts and rules."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from shuping.accounts.models import Role
from shuping.accounts.scope import UserScope
from shuping.orgs.models import OrgKind, UnitType
from shuping.registers import excel, selectors, services
from shuping.registers.models import ClaimRule, Enterer, Fact, RuleMode, SheetState

from ..builders import make_org, make_user
from .conftest import fill, xlsx


@pytest.fixture
def people(tree):
    return {
        "village": make_user("village_reporter", Role.REPORTER, tree.village_a1),
        "town": make_user("town_reporter", Role.REPORTER, tree.town_a1),
        "town_admin": make_user("town_admin", Role.ADMIN, tree.town_a1),
    }


def _value(facts, code, text):
    return {facts[code]: services.parse_fact_value(facts[code], text)}


def test_superior_entered_item_is_refused_to_the_unit_and_taken_from_the_superior(tree, facts, people):
    assert facts["funds"].enterer == Enterer.SUPERIOR  # shipped so: 运转经费 is set by the township
    with pytest.raises(services.RegisterError, match="上级党组织填报"):
        services.sheet_save(actor=people["village"], org=tree.village_a1, year=2026, values=_value(facts, "funds", "2"))
    services.sheet_save(actor=people["village"], org=tree.village_a1, year=2026, values=_value(facts, "members", "30"),
                        submit=True)
    # While the sheet waits for confirmation the superior still adds its own item, then confirms.
    services.sheet_save(actor=people["town"], org=tree.village_a1, year=2026, values=_value(facts, "funds", "2"))
    sheet = selectors.sheet_for(tree.village_a1, 2026)
    assert sheet.state == SheetState.SUBMITTED
    assert selectors.may_enter(UserScope(people["town_admin"]), facts["funds"], tree.village_a1)
    services.sheet_confirm(actor=people["town_admin"], sheet=sheet)
    assert selectors.sheet_values(sheet) == {"members": 30, "funds": 2}
    with pytest.raises(services.RegisterError, match="已确认"):
        services.sheet_save(actor=people["town"], org=tree.village_a1, year=2026, values=_value(facts, "funds", "3"))
    # Submitting is the unit's own act, not the superior's.
    with pytest.raises(services.RegisterError, match="只有甲二镇党委本单位才能提交"):
        services.sheet_save(actor=people["town"], org=tree.town_a2, year=2026, values={}, submit=True)


def test_sheet_page_shows_inputs_only_for_the_users_own_items(client, tree, facts, people):
    url = reverse("registers:sheet", args=[tree.village_a1.pk, 2026])
    client.force_login(people["village"])
    page = client.get(url).content.decode()
    assert 'name="f_members"' in page and 'name="f_funds"' not in page
    assert "运转经费（万元）" in page and "上级党组织填报" in page
    # A crafted post of the superior's item is refused in the service and shown as a form error.
    page = client.post(url, {"f_members": "30", "f_funds": "9"}).content.decode()
    assert selectors.sheet_values(selectors.sheet_for(tree.village_a1, 2026)) == {"members": 30}
    client.force_login(people["town"])
    page = client.get(url).content.decode()
    assert 'name="f_funds"' in page
    assert client.post(url, {"f_funds": "2.5", "f_members": "30"}).status_code == 302
    assert selectors.sheet_values(selectors.sheet_for(tree.village_a1, 2026))["funds"] == 2.5


def test_named_department_enters_for_units_under_its_committee_only(client, tree, facts, people):
    bureau = make_org("A-D1", tree.county_a, name="甲县农业农村局党组", unit_type=UnitType.DEPARTMENT,
                      kind=OrgKind.LEADING_GROUP)
    clerk = make_user("bureau_reporter", Role.REPORTER, bureau)
    fact = services.fact_save(actor=None, fact=Fact(code="projects", name="产业项目个数", unit="个", kind="integer",
                                                    unit_types="village", enterer=Enterer.DEPARTMENT,
                                                    enterer_org=bureau, min_value=0, max_value=100))
    assert fact.enterer_display == "甲县农业农村局党组填报"
    scope = UserScope(clerk)
    assert selectors.may_enter(scope, fact, tree.village_a1)
    assert not selectors.may_enter(scope, fact, tree.village_b1)  # another county's village
    assert not selectors.may_enter(UserScope(people["village"]), fact, tree.village_a1)
    assert not selectors.may_enter(UserScope(people["town"]), fact, tree.village_a1)
    services.sheet_save(actor=clerk, org=tree.village_a1, year=2026, values={fact: 3})
    with pytest.raises(services.RegisterError, match="甲县农业农村局党组填报"):
        services.sheet_save(actor=people["village"], org=tree.village_a1, year=2026, values={fact: 4})
    # The department imports its column; it fills the value in, it does not submit the unit's sheet.
    summary = excel.facts_import(xlsx([["A-1-1", "甲一村党支部", 5]], ["单位编码", "单位名称", "产业项目个数（个）"]),
                                 actor=clerk, scope=scope, root=tree.county_a, year=2026)
    assert "待各单位提交上级确认" in summary.describe()
    sheet = selectors.sheet_for(tree.village_a1, 2026)
    assert (sheet.state, selectors.sheet_values(sheet)["projects"]) == (SheetState.DRAFT, 5)


def test_department_item_needs_a_department(facts):
    fact = Fact(code="x1", name="测试项", kind="integer", enterer=Enterer.DEPARTMENT)
    with pytest.raises(ValidationError, match="须选择填报部门"):
        services.fact_save(actor=None, fact=fact)


def test_unit_import_refuses_a_changed_superior_item_and_passes_it_unchanged(tree, facts, people):
    headers = ["单位编码", "单位名称", "党员数（名）", "运转经费（万元）"]
    services.sheet_save(actor=people["town"], org=tree.village_a1, year=2026, values=_value(facts, "funds", "2"))
    scope = UserScope(people["village"])
    with pytest.raises(excel.ImportFailed) as caught:
        excel.facts_import(xlsx([["A-1-1", "甲一村党支部", 30, 9]], headers), actor=people["village"], scope=scope,
                           root=tree.village_a1, year=2026)
    assert "该项由上级党组织填报，您无权填报" in str([e.message for e in caught.value.errors])
    summary = excel.facts_import(xlsx([["A-1-1", "甲一村党支部", 30, 2]], headers), actor=people["village"],
                                 scope=scope, root=tree.village_a1, year=2026)
    assert (summary.units, summary.values) == (1, 1)
    assert selectors.sheet_for(tree.village_a1, 2026).state == SheetState.SUBMITTED


# --- county admins maintain their own facts and rules ------------------------------------------------


def test_county_admin_adds_its_own_fact_and_rule_in_the_ui(client, tree, facts, role_users):
    client.force_login(role_users["admin"])  # admin of county A
    page = client.get(reverse("registers:fact_new")).content.decode()
    assert "甲县委" in page and "<option value=\"\">全系统通用</option>" not in page
    response = client.post(reverse("registers:fact_new"), {
        "code": "petitions", "name": "信访事项办结数", "unit": "件", "kind": "integer", "min_value": "0",
        "max_value": "1000", "unit_types": ["village", "community"], "guidance": "", "owner": tree.county_a.pk, "enterer": "unit",
        "order": "200", "active": "on"})
    assert response.status_code == 302
    fact = Fact.objects.get(code="petitions")
    assert (fact.owner, fact.unit_types) == (tree.county_a, "village,community")
    assert fact.applies_to(tree.village_a1) and not fact.applies_to(tree.village_b1)
    assert fact in selectors.facts_for(tree.village_a1) and fact not in selectors.facts_for(tree.village_b1)
    response = client.post(reverse("registers:rule_new"), {
        "name": "信访办结", "fact": fact.pk, "owner": tree.county_a.pk, "keywords": "办结信访事项,信访事项办结",
        "units": "件", "mode": "equal", "tolerance": "0", "order": "5", "active": "on"})
    assert response.status_code == 302
    rule = ClaimRule.objects.get(name="信访办结")
    assert "信访办结" in [r.name for r in selectors.rule_specs(tree.town_a1)]
    assert "信访办结" not in [r.name for r in selectors.rule_specs(tree.town_b1)]
    config = client.get(reverse("registers:config")).content.decode()
    assert reverse("registers:rule_edit", args=[rule.pk]) in config
    assert reverse("registers:fact_edit", args=[facts["members"].pk]) not in config  # shared: not theirs
    assert client.post(reverse("registers:rule_edit", args=[rule.pk]), {
        "name": "信访办结（修订）", "fact": fact.pk, "owner": tree.county_a.pk, "keywords": "办结信访事项",
        "units": "件,起", "mode": "equal", "tolerance": "0", "order": "5", "active": "on"}).status_code == 302
    assert ClaimRule.objects.get(pk=rule.pk).units == "件,起"
    # County B's admin neither sees nor edits county A's items.
    client.force_login(role_users["outsider"])
    assert "信访办结" not in client.get(reverse("registers:config")).content.decode()
    assert client.get(reverse("registers:rule_edit", args=[rule.pk])).status_code == 403
    assert client.get(reverse("registers:fact_edit", args=[fact.pk])).status_code == 403


def test_config_scope_is_enforced_in_the_services(tree, facts, role_users):
    county_admin = role_users["admin"]
    with pytest.raises(services.RegisterError, match="无权维护适用范围为“全系统通用”"):
        services.rule_save(actor=county_admin, rule=ClaimRule(name="共享", fact=facts["members"], keywords="党员",
                                                                units="名", mode=RuleMode.EQUAL))
    with pytest.raises(services.RegisterError, match="无权维护适用范围为“乙县委”"):
        services.fact_save(actor=county_admin, fact=Fact(code="b1", name="乙县项", kind="integer", owner=tree.county_b))
    facts["members"].name = "党员总数"
    with pytest.raises(services.RegisterError, match="全系统通用"):
        services.fact_save(actor=county_admin, fact=facts["members"])
    own = services.fact_save(actor=county_admin, fact=Fact(code="a1", name="甲县项", kind="integer", owner=tree.county_a))
    # A county rule may read shared facts or its own; a shared rule may not read a county's own fact.
    with pytest.raises(services.RegisterError, match="只适用于甲县委"):
        services.rule_save(actor=None, rule=ClaimRule(name="跨县", fact=own, keywords="甲县项", units="个",
                                                      mode=RuleMode.EQUAL))
    services.rule_save(actor=county_admin, rule=ClaimRule(name="本县", fact=own, keywords="甲县项", units="个",
                                                          mode=RuleMode.EQUAL, owner=tree.county_a))


def test_a_county_fact_reaches_the_county_tables_and_template_only(tree, facts):
    own = services.fact_save(actor=None, fact=Fact(code="a2", name="甲县自定项", kind="integer", owner=tree.county_a))
    assert own in selectors.active_facts(tree.county_a) and own in selectors.active_facts(tree.city)
    assert own not in selectors.active_facts(tree.county_b)
    from openpyxl import load_workbook

    headers_a = [c.value for c in load_workbook(io.BytesIO(excel.facts_workbook(tree.county_a, 2026)))["基础数据"][1]]
    headers_b = [c.value for c in load_workbook(io.BytesIO(excel.facts_workbook(tree.county_b, 2026)))["基础数据"][1]]
    assert "甲县自定项" in headers_a and "甲县自定项" not in headers_b
    fill(tree.village_a1, 2026, {"a2": 3}, facts={**facts, "a2": own})

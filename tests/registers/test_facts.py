"""基础数据: the unit enters, the superior confirms; Excel template, import and export."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shuping.accounts.models import Role
from shuping.accounts.scope import UserScope
from shuping.registers import excel, selectors, services
from shuping.registers.models import FactSheet, SheetState

from ..builders import make_user
from ..jobs.worker import job_page_after_run, start_job
from .conftest import fill, xlsx


def test_unit_enters_and_superior_confirms(tree, facts, role_users):
    sheet = services.sheet_save(actor=role_users["reporter"], org=tree.village_a1, year=2026, submit=True,
                                values={facts["members"]: services.parse_fact_value(facts["members"], "36")})
    assert sheet.state == SheetState.SUBMITTED
    assert selectors.may_confirm(UserScope(role_users["admin"]), tree.village_a1)
    services.sheet_confirm(actor=role_users["admin"], sheet=sheet)
    assert selectors.sheet_values(selectors.sheet_for(tree.village_a1, 2026)) == {"members": 36}


def test_a_unit_admin_cannot_confirm_its_own_sheet(tree):
    own = make_user("village_admin", Role.ADMIN, tree.village_a1)
    assert not selectors.may_confirm(UserScope(own), tree.village_a1)
    town_admin = make_user("town_admin", Role.ADMIN, tree.town_a1)
    assert selectors.may_confirm(UserScope(town_admin), tree.village_a1)
    assert not selectors.may_confirm(UserScope(town_admin), tree.town_a1)


def test_out_of_range_and_wrong_kind_are_refused_in_chinese(facts):
    with pytest.raises(services.RegisterError, match="不能小于"):
        services.parse_fact_value(facts["members"], "-3")
    with pytest.raises(services.RegisterError, match="应为整数"):
        services.parse_fact_value(facts["new_members"], "2.5")
    with pytest.raises(services.RegisterError, match="是”或“否"):
        services.parse_fact_value(facts["one_shoulder"], "可能")
    assert services.parse_fact_value(facts["collective_income"], "5.125") == services.Decimal("5.13")


def test_a_confirmed_sheet_is_not_edited_until_returned(tree, facts):
    fill(tree.village_a1, 2026, {"members": 20}, facts=facts)
    with pytest.raises(services.RegisterError, match="已确认"):
        services.sheet_save(actor=None, org=tree.village_a1, year=2026, values={facts["members"]: 25})
    sheet = services.sheet_return(actor=None, sheet=FactSheet.objects.get(org=tree.village_a1), reason="党员数与系统不符")
    services.sheet_save(actor=None, org=tree.village_a1, year=2026, values={facts["members"]: 25})
    assert selectors.sheet_values(sheet)["members"] == 25


def test_village_only_fact_is_refused_for_a_township(tree, facts):
    with pytest.raises(services.RegisterError, match="不适用"):
        services.sheet_save(actor=None, org=tree.town_a1, year=2026, values={facts["site_area"]: 100})


def _import(tree, user, rows, headers=None):
    headers = headers or ["单位编码", "单位名称", "党员数（名）", "集体经济收入（万元）", "是否一肩挑"]
    return excel.facts_import(xlsx(rows, headers), actor=user, scope=UserScope(user), root=tree.county_a, year=2026)


def test_import_round_trip(tree, facts, role_users):
    summary = _import(tree, role_users["admin"], [["A-1-1", "甲一村党支部", 42, 6.5, "是"], ["A-1", "", 300, "", ""]])
    assert (summary.units, summary.values) == (2, 4)
    assert "已提交待上级确认" in summary.describe()
    for sheet in FactSheet.objects.filter(year=2026):
        services.sheet_confirm(actor=None, sheet=sheet)
    exported = excel.facts_workbook(tree.county_a, 2026)
    ws = load_workbook(io.BytesIO(exported))["基础数据"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    headers = [c.value for c in ws[1]]
    village = dict(zip(headers, rows["A-1-1"], strict=False))
    assert (village["党员数（名）"], village["集体经济收入（万元）"], village["是否一肩挑"], village["状态"]) == (
        "42", "6.50", "是", "已确认")
    assert dict(zip(headers, rows["A-1"], strict=False))["集体经济收入（万元）"] == "—"  # not a village fact
    # The exported file goes back in unchanged: confirmed rows that did not change are skipped, not refused.
    with pytest.raises(excel.ImportFailed) as caught:
        excel.facts_import(io.BytesIO(exported), actor=role_users["admin"], scope=UserScope(role_users["admin"]),
                           root=tree.county_a, year=2026)
    assert [e.message for e in caught.value.errors] == ["没有可导入的数据"]


def test_import_bad_rows_write_nothing(tree, facts, role_users):
    with pytest.raises(excel.ImportFailed) as caught:
        _import(tree, role_users["admin"], [
            ["A-1-1", "甲一村党支部", "四十", 6.5, "是"],       # text in a number
            ["B-1-1", "乙一村党支部", 30, 2, "否"],           # another county
            ["A-1", "甲一镇党委", 300, 5, ""],                # village fact on a township
            ["A-2", "错名", -1, "", ""],                      # wrong name and below range
            ["A-2", "", 10, "", ""],                         # duplicate
            ["A-1-1", "", 10, "", "=1+1"],                   # a formula
        ])
    text = "\n".join(str(e) for e in caught.value.errors)
    for expected in ("应为数字", "不是甲县委所辖单位", "不适用于乡镇", "不一致", "不能小于", "与第 5 行重复", "不接受公式"):
        assert expected in text
    assert not FactSheet.objects.exists()


@pytest.mark.parametrize(("payload", "message"), [
    (b"not a workbook", "不是有效的 .xlsx"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "旧版 .xls"),
])
def test_import_unreadable_files(tree, facts, role_users, payload, message):
    with pytest.raises(excel.ImportFailed) as caught:
        excel.facts_import(io.BytesIO(payload), actor=role_users["admin"], scope=UserScope(role_users["admin"]),
                           root=tree.county_a, year=2026)
    assert message in str(caught.value.errors[0])


def test_import_missing_sheet_and_columns(tree, facts, role_users):
    with pytest.raises(excel.ImportFailed) as caught:
        excel.facts_import(xlsx([["A-1"]], ["单位编码"], sheet="其他"), actor=role_users["admin"],
                           scope=UserScope(role_users["admin"]), root=tree.county_a, year=2026)
    assert "缺少工作表“基础数据”" in str(caught.value.errors[0])
    with pytest.raises(excel.ImportFailed) as caught:
        _import(tree, role_users["admin"], [["A-1", "x"]], headers=["单位编码", "说明"])
    assert "没有任何数据项列" in str(caught.value.errors[0])


def test_unit_staff_cannot_import_for_units_outside_their_grant(tree, facts):
    staff = make_user("town_staff", Role.REPORTER, tree.town_a1)
    with pytest.raises(excel.ImportFailed) as caught:
        excel.facts_import(xlsx([["A-2", "", 10]], ["单位编码", "单位名称", "党员数（名）"]), actor=staff,
                           scope=UserScope(staff), root=tree.county_a, year=2026)
    assert "无权填报“甲二镇党委”" in str(caught.value.errors[0])


def test_sheet_page_entry_submit_confirm_and_org_panel(client, tree, facts, role_users):
    url = reverse("registers:sheet", args=[tree.village_a1.pk, 2026])
    client.force_login(role_users["reporter"])
    response = client.post(url, {"f_members": "abc"})
    assert "党员数应为数字" in response.content.decode()
    client.post(url, {"f_members": "36", "f_one_shoulder": "是", "submit": "1"})
    assert FactSheet.objects.get(org=tree.village_a1).state == SheetState.SUBMITTED
    page = client.get(url).content.decode()
    assert "待上级确认" in page and 'name="f_members"' not in page  # waiting: the unit no longer edits
    client.force_login(role_users["admin"])
    page = client.get(reverse("registers:facts", args=[tree.county_a.pk, 2026])).content.decode()
    assert "1 个下级单位已提交、待您确认" in page
    client.post(reverse("registers:confirm_all", args=[tree.county_a.pk, 2026]))
    assert FactSheet.objects.get(org=tree.village_a1).state == SheetState.CONFIRMED
    org_page = client.get(reverse("orgs:detail", args=[tree.village_a1.pk])).content.decode()
    assert "基础数据（历年台账）" in org_page and "已确认" in org_page and ">36<" in org_page


def test_import_view_starts_a_job_that_shows_row_errors_or_imports(client, tree, facts, role_users):
    client.force_login(role_users["admin"])
    url = reverse("registers:facts_import", args=[tree.county_a.pk, 2026])
    bad = xlsx([["A-1-1", "", "很多"]], ["单位编码", "单位名称", "党员数（名）"])
    bad.name = "基础数据.xlsx"
    page = job_page_after_run(client, start_job(client, url, {"file": bad}))
    assert f"导入{tree.county_a.name}2026年基础数据：基础数据.xlsx" in page
    assert "未导入任何数据" in page and "错误清单" in page and "党员数应为数字" in page
    assert not FactSheet.objects.exists()
    good = xlsx([["A-1-1", "", 36]], ["单位编码", "单位名称", "党员数（名）"])
    good.name = "基础数据.xlsx"
    page = job_page_after_run(client, start_job(client, url, {"file": good}))
    assert "已完成" in page and f'href="/registers/facts/{tree.county_a.pk}/2026/"' in page
    assert FactSheet.objects.get(org=tree.village_a1).state == SheetState.SUBMITTED

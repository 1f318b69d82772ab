"""The registers in a real browser: a village enters its 基础数据 and submits, its township confirms, a reviewer
sees 「报告称…，台账为…」 inside the report, an inspector records 不属实 and a problem appears."""

import datetime

import pytest

from tests.builders import PASSWORD, make_campaign, make_user

from .helpers import ARTIFACTS, browser_session, login, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

REPORT = """甲一镇党委书记抓基层党建工作述职报告
一、主要工作和成效
今年全镇共发展党员12名，培养入党积极分子30名。
二、存在的问题
一是发展党员不够规范。
"""


@pytest.mark.django_db(transaction=True)
def test_enter_confirm_review_and_verify_in_the_browser(live_server, tree, role_users):
    from shuping.accounts.models import Role
    from shuping.campaigns import services as campaign_services
    from shuping.campaigns.models import CampaignState
    from shuping.rectification.models import Problem
    from shuping.registers.defaults import install_default_facts
    from shuping.registers.models import ClaimRule, ClaimVerification, Fact, FactSheet, SheetState
    from shuping.reports import services as report_services
    from shuping.reports.documents import parse_editor_text
    from shuping.routine import services as routine_services

    install_default_facts(Fact, ClaimRule)
    make_user("village_clerk", Role.REPORTER, tree.village_a1)
    make_user("town_admin", Role.ADMIN, tree.town_a1)
    campaign = campaign_services.campaign_transition(actor=None, campaign=make_campaign(tree),
                                                     to_state=CampaignState.WRITING)
    participant = campaign.participants.get(org=tree.town_a1)
    report_services.report_save(actor=role_users["reporter"], participant=participant,
                                blocks=parse_editor_text(REPORT), source="editor")
    report_services.report_submit(actor=role_users["reporter"], participant=participant)
    plan = routine_services.inspection_plan_create(actor=None, org=tree.county_a, title="2026年上半年督查",
                                                   period_start=datetime.date(2026, 6, 1),
                                                   period_end=datetime.date(2026, 6, 30))
    base = live_server.url
    sheet_url = f"{base}/registers/facts/{tree.village_a1.pk}/2026/sheet/"

    with browser_session() as browser:
        # 1. The village enters its own items and submits; 运转经费 is the township's, shown but not editable.
        page = browser.new_page()
        login(page, base, "village_clerk", PASSWORD)
        page.goto(sheet_url)
        assert page.locator("#id_f_funds").count() == 0
        assert "上级党组织填报" in page.inner_text("#sheet-values")
        page.fill("#id_f_new_members", "5")
        page.fill("#id_f_activists", "8")
        page.click("button[name=submit]")
        page.wait_for_selector("#sheet-state:has-text('待上级确认')")
        page.screenshot(path=str(ARTIFACTS / "registers-sheet-submitted.png"), full_page=True)
        page.context.clear_cookies()

        # 2. The township adds its own item and confirms.
        login(page, base, "town_admin", PASSWORD)
        page.goto(sheet_url)
        page.fill("#id_f_funds", "2")
        page.click("#sheet-form button[name=save]")
        page.wait_for_selector("text=已保存")
        page.click("button:has-text('确认')")
        page.wait_for_selector("#sheet-state:has-text('已确认')")
        page.screenshot(path=str(ARTIFACTS / "registers-sheet-confirmed.png"), full_page=True)
        page.context.clear_cookies()

        # 3. The reviewer reads the report with the ledger beside it.
        login(page, base, "reviewer", PASSWORD)
        page.goto(f"{base}/reports/p/{participant.pk}/review/")
        page.wait_for_selector("text=报告称12名，台账为5名")
        assert page.locator("mark.tc-verify-bad", has_text="12名").count() == 1
        page.screenshot(path=str(ARTIFACTS / "registers-review-mismatch.png"), full_page=True)
        page.context.clear_cookies()

        # 4. The inspector records 不属实; the claim turns into a problem.
        login(page, base, "inspector", PASSWORD)
        page.goto(f"{base}/registers/inspections/{plan.pk}/claims/")
        row = page.locator("tr.claim-row", has_text="报告称12名，台账为5名")
        row.locator("select[name=verdict]").select_option("false")
        row.locator("input[name=note]").fill("查阅发展党员档案，当年实际发展5名")
        row.locator("button:has-text('记录')").click()
        page.wait_for_selector("text=已转为问题清单中的问题")
        problem_link = page.locator("tr.claim-row", has_text="报告称12名，台账为5名").locator("a:has-text('问题')")
        problem_link.click()
        page.wait_for_selector("text=述职报告数据不实")
        page.screenshot(path=str(ARTIFACTS / "registers-verify-problem.png"), full_page=True)
        problem_text = page.inner_text("main")

    sheet = FactSheet.objects.get(org=tree.village_a1, year=2026)
    assert sheet.state == SheetState.CONFIRMED
    assert {v.fact.code: int(v.value) for v in sheet.values.select_related("fact")} == {
        "new_members": 5, "activists": 8, "funds": 2}
    record = ClaimVerification.objects.get(plan=plan)
    assert record.verdict == "false" and record.problem is not None
    assert Problem.objects.filter(pk=record.problem_id, org=tree.town_a1).exists()
    assert "报告称12名，台账为5名" in problem_text

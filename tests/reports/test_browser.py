"""Reporter writes and submits in the browser; the reviewer sees the highlights and approves."""

import sys
import types

import pytest

from shuping.campaigns import services as campaign_services
from shuping.reports.models import Report

from ..browser.helpers import ARTIFACTS, browser_session, login, requires_chromium
from ..builders import PASSWORD, make_campaign
from .conftest import REPORT_V1

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_reporter_submits_and_reviewer_approves_with_highlights(live_server, tree, role_users, monkeypatch):
    monkeypatch.setitem(sys.modules, "shuping.rectification.selectors",
                        types.SimpleNamespace(prior_problems_for=lambda p: [types.SimpleNamespace(description="阵地建设滞后")]))
    campaign = make_campaign(tree)
    campaign_services.campaign_transition(actor=None, campaign=campaign, to_state="writing")
    pk = campaign.participants.get(org=tree.town_a1).pk
    base = live_server.url
    with browser_session() as browser:
        page = browser.new_context().new_page()
        page.on("dialog", lambda dialog: dialog.accept())
        login(page, base, "reporter", PASSWORD)
        page.goto(f"{base}/reports/p/{pk}/edit/")
        page.fill("textarea[name=content]", REPORT_V1)
        page.click("button:has-text('保存为新版本')")
        page.wait_for_selector("text=已保存为第 1 版")
        page.click("button:has-text('提交审核')")
        page.wait_for_selector("#report-state:has-text('待第1级审核')")

        page = browser.new_context().new_page()
        login(page, base, "reviewer", PASSWORD)
        page.goto(f"{base}/reports/")
        page.click("a:has-text('审核')")
        assert page.locator("mark.tc-data").count() >= 4  # a figure split by an overlapping mark counts twice
        assert page.inner_text("#tc-data-count") == "4 处"
        assert page.locator("mark.tc-empty").first.is_visible()
        assert "未见回应" in page.inner_text("#tc-prior")
        # Selecting a passage quotes it into the form (reports.js).
        page.locator("#report-text p", has_text="红色代办").select_text()
        page.dispatch_event("#report-text", "mouseup")
        assert "红色代办" in page.input_value("#id_quote")
        page.fill("#id_quote", "")
        page.check("input[value=approve]")
        page.fill("textarea[name=comment]", "同意报分管副部长")
        page.screenshot(path=str(ARTIFACTS / "reports-review.png"), full_page=True)
        page.click("button:has-text('提交审核意见')")
        page.wait_for_selector("text=已办理：审核通过")
    report = Report.objects.get(participant_id=pk)
    assert report.state == "submitted" and report.current_level == 2
    assert report.actions.last().comment == "同意报分管副部长"

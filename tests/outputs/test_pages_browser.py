"""What people see in the browser on the pages issue 13 changed; screenshots in test-artifacts/."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from shuping.orgs.models import UnitType
from shuping.rectification import services as rectification_services
from tests.browser.helpers import ARTIFACTS, browser_session, login, requires_chromium
from tests.builders import PASSWORD, make_campaign, make_org

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_pages_read_right_in_the_browser(live_server, tree, role_users):
    make_org("A-9", tree.county_a, name="甲县经济开发区党工委", unit_type=UnitType.PARK)
    make_org("A-8", tree.county_a, name="甲县城关街道党工委", unit_type=UnitType.STREET)
    campaign = make_campaign(tree, participants=[])
    other = make_campaign(tree, title="2026年度甲县述职评议考核（点评）")
    participant = other.participants.get(org=tree.town_a1)
    rectification_services.critique_save(actor=role_users["admin"], participant=participant,
                                         strengths="一是班子建设有力\n二是品牌特色鲜明", problems="阵地建设滞后",
                                         suggestions="加强阵地建设", create_problems=False)
    base = live_server.url
    urls = {"participants": reverse("campaigns:participants", args=[campaign.pk]),
            "problems": reverse("rectification:problems"), "scores": reverse("campaigns:scores", args=[other.pk]),
            "critique": reverse("rectification:critique", args=[participant.pk]), "audit": reverse("audit:log")}
    with browser_session() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        login(page, base, "admin", PASSWORD)

        # Participants: each 单位类别 box is its own target; a click on 园区 ticks 园区 only.
        page.goto(base + urls["participants"])
        page.click("label:has-text('园区')")
        assert page.is_checked("input[name=unit_types][value=park]")
        assert not page.is_checked("input[name=unit_types][value=street]")
        box = page.locator("#id_unit_types").bounding_box()
        button = page.locator("button:has-text('批量加入')").bounding_box()
        assert box["y"] + box["height"] <= button["y"]  # the list does not spill over the button
        page.screenshot(path=str(ARTIFACTS / "issue13-participants.png"), full_page=True)

        # Org picker: type to search the tree.
        page.goto(base + urls["problems"])
        picker = page.locator(".ts-wrapper").first
        picker.locator(".ts-control").click()
        page.keyboard.type("甲一村")
        options = picker.locator(".ts-dropdown .option")
        expect(options).to_have_count(1)
        assert "甲一村党支部" in options.first.inner_text()
        page.screenshot(path=str(ARTIFACTS / "issue13-org-picker.png"))

        # The browser's own validation message is the app's Chinese.
        page.goto(base + urls["scores"])
        bonus = page.locator("input[name$='-bonus']").first
        bonus.fill("8")
        page.click("main button[type=submit]")
        assert bonus.evaluate("e => e.validationMessage") == "不能大于 5.00"

        page.goto(base + urls["critique"])
        page.screenshot(path=str(ARTIFACTS / "issue13-critique.png"), full_page=True)
        page.goto(base + urls["audit"])
        assert "campaign.create" not in page.content()
        page.screenshot(path=str(ARTIFACTS / "issue13-audit.png"), full_page=True)
        response = page.goto(f"{base}/no-such-page/")
        assert response.status == 404 and "页面不存在（404）" in page.inner_text("main")
        page.screenshot(path=str(ARTIFACTS / "issue13-404.png"))

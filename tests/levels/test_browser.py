"""A county's delegate scores and critiques a township-run village meeting in the browser."""

import pytest

from tests.browser.helpers import ARTIFACTS, browser_session, login, requires_chromium
from tests.builders import PASSWORD

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_delegate_scores_and_critiques_a_township_meeting(live_server, tree, role_users):
    from shuping.accounts.models import Role
    from shuping.campaigns.models import Ballot
    from shuping.levels import services
    from shuping.meetings import services as meeting_services
    from tests.builders import make_user

    from .conftest import D, launch, send_and_meet

    plan = launch(tree)
    county = services.node_create(actor=None, parent=plan.nodes.get(), organiser=tree.county_a,
                                  meeting_date=D(2027, 1, 5))
    town = services.node_create(actor=None, parent=county, organiser=tree.town_a1, meeting_date=D(2026, 12, 20))
    delegate = make_user("county-delegate", Role.LEADER, tree.county_a)
    delegation = send_and_meet(town, delegate, tree.county_a)
    campaign = delegation.campaign
    campaign.refresh_from_db()
    indicators = [(i.pk, int(i.max_score)) for i in meeting_services.scored_indicators(campaign)]
    participant = campaign.participants.get()
    ids = {"delegation": delegation.pk, "campaign": campaign.pk, "participant": participant.pk}
    base = live_server.url

    with browser_session() as browser:
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        login(page, base, "county-delegate", PASSWORD)
        page.goto(f"{base}/levels/")
        page.click("main >> text=2026年度甲一镇党委年度述职评议考核")
        page.wait_for_selector("text=受甲县委委托")
        page.click("main >> text=进入测评（上级评议组")
        page.goto(page.url.rstrip("/") + f"/{ids['participant']}/")
        for pk, maximum in indicators:
            page.fill(f"#s_{pk}", str(max(maximum - 1, 0)))
        page.check("input[name=democratic][value='好']")
        page.click("#submit-ballot")
        page.wait_for_selector("text=已提交对")
        page.goto(f"{base}/levels/delegation/{ids['delegation']}/")
        page.click("main >> text=撰写点评")
        page.fill("#id_achievements", "村级活动阵地实现全覆盖，“红色代办”服务群众有实效。")
        page.fill("#id_problems", "发展党员后继乏人，青年党员偏少。")
        page.fill("#id_requirements", "加强村级后备力量培养。")
        page.click("main >> text=保存点评")
        page.wait_for_selector("text=已保存对甲一村党支部的上级点评")
        page.click("main >> text=撰写对本级的点评讲话")
        page.click("main >> text=保存点评")
        page.wait_for_selector("text=已保存上级点评讲话")
        page.goto(f"{base}/campaigns/{ids['campaign']}/results/")
        page.wait_for_selector(".superior-critique")
        page.screenshot(path=str(ARTIFACTS / "levels-delegate-critique.png"), full_page=True)
        shown = page.inner_text("main")
    assert "受甲县委委托" in shown and "发展党员后继乏人，青年党员偏少。" in shown
    ballot = Ballot.objects.get(campaign_id=ids["campaign"], group__code="SJ")
    assert ballot.total == sum(max(m - 1, 0) for _pk, m in indicators)

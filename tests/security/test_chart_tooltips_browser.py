"""Issue 12 item 9: an org named with markup shows as text in every chart tooltip, in a real browser."""

import pytest

from shuping.orgs import services as org_services
from tests.browser.helpers import ARTIFACTS, browser_session, login, requires_chromium
from tests.builders import PASSWORD

from ..dashboards.conftest import county_campaign, publish  # noqa: F401 - fixtures

pytestmark = [pytest.mark.browser, requires_chromium]

HOSTILE = '<b id="pwn">粗体</b><img id="pwn-img" src="x">甲一镇'

SHOW_EVERY_TIP = """
() => {
  const chart = echarts.getInstanceByDom(document.getElementById("chart"));
  const texts = [];
  let injected = false;
  for (let i = 0; i < 12; i++) {
    chart.dispatchAction({ type: "showTip", seriesIndex: 0, dataIndex: i });
    injected = injected || !!document.querySelector("#pwn, #pwn-img");
    const tip = [...document.querySelectorAll("#chart div")].find(d => d.style.zIndex === "9999999");
    if (tip && tip.style.display !== "none") { texts.push(tip.innerHTML); }
  }
  return { texts, injected };
}
"""


@pytest.mark.django_db(transaction=True)
def test_hostile_org_names_render_as_text_in_chart_tooltips(live_server, tree, role_users, county_campaign):  # noqa: F811
    org_services.org_update(actor=None, org=tree.town_a1, name=HOSTILE)
    base = live_server.url
    results = {}
    with browser_session() as browser:
        page = browser.new_page()
        login(page, base, "admin", PASSWORD)
        for key in ("tree", "grades-unit"):
            page.goto(f"{base}/dashboards/{key}/?year=2026")
            page.wait_for_selector("#chart canvas")
            results[key] = page.evaluate(SHOW_EVERY_TIP)
            page.screenshot(path=str(ARTIFACTS / f"tooltip-{key}.png"), full_page=True)
    for key, found in results.items():
        assert not found["injected"], f"{key}: markup from an org name became elements"
        shown = "".join(found["texts"])
        assert "&lt;b id=" in shown, f"{key}: the hostile name never appeared as text: {found['texts'][:3]}"

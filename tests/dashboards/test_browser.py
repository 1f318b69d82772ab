import pytest

from tests.browser.helpers import ARTIFACTS, browser_session, login, requires_chromium
from tests.builders import PASSWORD

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_charts_render_under_the_csp_for_the_tree_and_grades(live_server, tree, role_users, county_campaign):
    base = live_server.url
    errors = []
    with browser_session() as browser:
        page = browser.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        login(page, base, "admin", PASSWORD)
        for key in ("tree", "grades-unit"):
            page.goto(f"{base}/dashboards/{key}/?year=2026")
            page.wait_for_selector("#chart canvas")
            page.screenshot(path=str(ARTIFACTS / f"dashboard-{key}.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "echarts" in e.lower()], errors

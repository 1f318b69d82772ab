"""The organisation department's menu holds nearly every page: at 1280 px and 1024 px it stays on
one line inside the window, grouped into drop-downs (issue 14). Screenshots in test-artifacts/."""

import pytest

from tests.builders import PASSWORD

from .helpers import ARTIFACTS, browser_session, login, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]

MEASURE = """() => {
  const nav = document.querySelector('nav.navbar');
  const middles = [...nav.querySelectorAll('.navbar-nav > .nav-item, .navbar-brand, .navbar-collapse > .dropdown')]
    .map(el => { const r = el.getBoundingClientRect(); return Math.round((r.top + r.bottom) / 2); });
  const right = Math.max(...[...nav.querySelectorAll('.nav-link, .navbar-brand, .btn')]
    .map(el => el.getBoundingClientRect().right));
  return {height: nav.getBoundingClientRect().height, middles: middles, right: right, width: window.innerWidth,
          navOverflow: nav.scrollWidth - nav.clientWidth, pageOverflow: document.documentElement.scrollWidth - window.innerWidth,
          toggler: getComputedStyle(document.querySelector('.navbar-toggler')).display};
}"""


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1280, 1024])
def test_admin_menu_fits_on_one_line(live_server, tree, role_users, width):
    base = live_server.url
    with browser_session() as browser:
        page = browser.new_page(viewport={"width": width, "height": 800})
        login(page, base, "admin", PASSWORD)
        shape = page.evaluate(MEASURE)
        page.screenshot(path=str(ARTIFACTS / f"navbar-admin-{width}.png"))
        assert shape["toggler"] == "none", "the whole menu is shown, not folded behind the toggler"
        assert max(shape["middles"]) - min(shape["middles"]) <= 4, f"the menu wraps onto a second line: {shape}"
        assert shape["height"] < 70, shape
        assert shape["navOverflow"] <= 0 and shape["pageOverflow"] <= 0, shape
        assert shape["right"] <= shape["width"], shape
        # a grouped page is two clicks away
        page.click("nav >> text=述职评议")
        page.click("nav .dropdown-menu >> text=述职报告")
        page.wait_for_url(f"{base}/reports/")
        page.click("nav >> text=系统管理")
        page.screenshot(path=str(ARTIFACTS / f"navbar-admin-{width}-menu.png"))
        assert page.is_visible("nav .dropdown-menu >> text=审计")

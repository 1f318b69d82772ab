import pytest

from tests.builders import PASSWORD

from .helpers import ARTIFACTS, PHONE, browser_session, login, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_admin_logs_in_browses_the_tree_and_searches(live_server, tree, role_users):
    base = live_server.url
    with browser_session() as browser:
        page = browser.new_page()
        login(page, base, "admin", PASSWORD)
        assert "组织部管理员" in page.content()
        page.click("nav >> text=组织人员")
        page.click("nav .dropdown-menu >> text=组织")
        page.wait_for_selector("text=甲县委")
        # expand county A lazily through HTMX
        page.click(f"#org-{tree.county_a.pk} button.toggle")
        page.wait_for_selector("text=甲一镇党委")
        assert "乙县委" not in page.content()
        page.fill("input[name=q]", "甲一村")
        page.wait_for_selector("#search-results >> text=甲一村党支部")
        page.click("#search-results >> text=甲一村党支部")
        page.wait_for_selector("h1:has-text('甲一村党支部')")
        assert "甲村书记" in page.content()
        page.screenshot(path=str(ARTIFACTS / "org-detail.png"), full_page=True)


@pytest.mark.django_db(transaction=True)
def test_tree_is_usable_on_a_phone_and_hides_phone_numbers_from_viewers(live_server, tree, role_users):
    base = live_server.url
    person_url = f"{base}/people/{tree.person_a.pk}/"
    with browser_session() as browser:
        context = browser.new_context(**PHONE)
        page = context.new_page()
        login(page, base, "reviewer", PASSWORD)
        page.goto(person_url)
        body = page.content()
        assert "139****5678" in body and "13912345678" not in body
        page.goto(f"{base}/orgs/")
        # the navigation collapses into the toggler on a narrow screen
        assert page.is_visible(".navbar-toggler")
        page.screenshot(path=str(ARTIFACTS / "org-tree-phone.png"), full_page=True)

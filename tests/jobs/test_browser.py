"""The progress page in a real browser: queued, then HTMX polling swaps in the finished state and
the download, with no page reload (CSP forbids inline script; htmx is vendored)."""

import threading

import pytest

from ..browser.helpers import browser_session, login, requires_chromium
from ..builders import PASSWORD

pytestmark = [pytest.mark.browser, requires_chromium, pytest.mark.django_db(transaction=True)]


def test_export_page_polls_until_the_file_is_ready(live_server, tree, role_users, tmp_path, settings):
    from django.db import connection

    from shuping.jobs.inprocess import start_worker_thread

    if connection.vendor == "sqlite":
        # The tests' in-memory SQLite fails at once when two connections touch a table together
        # (the page's polls and the worker); a real SQLite file waits (WAL, busy timeout).
        pytest.skip("runs on PostgreSQL")

    settings.MEDIA_ROOT = tmp_path / "files"
    started = []
    # The worker starts two seconds later, in its own thread, so the page first shows the queued state.
    timer = threading.Timer(2.0, lambda: started.append(start_worker_thread(interval=0.1)))
    base = live_server.url
    try:
        with browser_session() as browser:
            page = browser.new_context(accept_downloads=True).new_page()
            login(page, base, "admin", PASSWORD)
            page.goto(f"{base}/dashboards/tree/?org={tree.county_a.pk}&year=2026")
            page.click("button:has-text('导出 Excel')")
            page.wait_for_url(f"{base}/jobs/**")
            assert "排队中" in page.inner_text("#job-status")
            timer.start()
            page.wait_for_selector("#job-status[data-status=succeeded]", timeout=30_000)
            assert "100%" in page.inner_text("#job-status")
            with page.expect_download() as download:
                page.click("a:has-text('下载')")
            assert download.value.suggested_filename == "甲县委2026年组织树（按最新等次着色）.xlsx"
    finally:
        timer.cancel()
        for worker, thread in started:
            worker.running = False
            thread.join(timeout=10)

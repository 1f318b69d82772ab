"""`last_seen` is written at most once a minute per session (issue 18): a signed-in page view,
the big screen's live poll included, must not end with a session write every time."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from shuping.accounts.models import Role

from ..builders import make_user

START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _session_writes(client, url, times):
    with CaptureQueriesContext(connection) as ctx:
        for _ in range(times):
            assert client.get(url).status_code == 200
    return [q["sql"] for q in ctx.captured_queries
            if "django_session" in q["sql"] and q["sql"].lstrip().upper().startswith(("UPDATE", "INSERT"))]


@pytest.mark.django_db
def test_pages_within_a_minute_write_the_session_once(client, tree):
    user = make_user("admin_a", Role.ADMIN, tree.county_a)
    with freeze_time(START) as frozen:
        client.force_login(user)
        assert client.get("/").status_code == 200  # first view stamps last_seen
        frozen.tick(timedelta(seconds=5))
        assert _session_writes(client, "/orgs/", 10) == []
        frozen.tick(timedelta(seconds=61))
        assert len(_session_writes(client, "/orgs/", 3)) == 1


@pytest.mark.django_db
def test_idle_timeout_still_counts_from_the_last_recorded_minute(client, tree, settings):
    settings.SHUPING_IDLE_TIMEOUT_MINUTES = 30
    user = make_user("admin_a", Role.ADMIN, tree.county_a)
    with freeze_time(START) as frozen:
        client.force_login(user)
        for _ in range(40):  # a page every minute keeps the session alive
            frozen.tick(timedelta(minutes=1))
            assert client.get("/").status_code == 200
        frozen.tick(timedelta(minutes=31))
        response = client.get("/")
        assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.django_db
def test_the_big_screens_live_poll_does_not_write_the_session(client, tree):
    from ..meetings.conftest import build_hall

    hall = build_hall(tree)
    user = make_user("admin_a", Role.ADMIN, tree.county_a)
    live = f"/meetings/{hall.meeting.pk}/board/live/"
    with freeze_time(START) as frozen:
        client.force_login(user)
        assert client.get(live).status_code == 200
        writes = 0
        for _ in range(60):  # two minutes of polling every two seconds during voting
            frozen.tick(timedelta(seconds=2))
            writes += len(_session_writes(client, live, 1))
        assert writes == 2  # once a minute, not 60 times

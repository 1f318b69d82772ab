"""The menu badge costs at most one query per page once counted, and is never stale after a hand-over."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shuping.core import navigation
from shuping.units import services
from shuping.workbench import badge

from .conftest import pushed_problem

pytestmark = pytest.mark.django_db
DAY = "2026-05-10 10:00:00+08:00"


def badge_of(client, url="/orgs/"):
    html = client.get(url).content.decode()
    found = re.search(r'工作台 <span class="badge[^"]*" title="待办事项">(\d+)</span>', html)
    return int(found.group(1)) if found else 0


def queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def queries_after_bump(client, url):
    badge.bump()
    return queries(client, url)


@freeze_time(DAY)
def test_a_page_with_the_badge_costs_at_most_one_query_more(tree, unit_users, role_users, client, monkeypatch):
    pushed_problem(tree.town_a1)
    services.problem_register_own(actor=unit_users["town_liaison"], org=tree.town_a1, description="自查问题")
    for user in (role_users["admin"], unit_users["town_liaison"]):
        client.force_login(user)
        url = "/orgs/"
        queries(client, url)  # first view: counts the tasks and stores the count
        cached = queries(client, url)
        with monkeypatch.context() as patch:
            patch.setitem(navigation.BADGES, "home", (None, ""))
            without = queries(client, url)
        assert cached - without <= 1, f"{user}: {cached} with the stored badge vs {without} without"
        print(f"{user}: page without badge {without} queries, stored badge {cached}, re-counted badge {queries_after_bump(client, url)}")
        counting = queries_after_bump(client, url)
        assert counting - without > 5, "after a bump the count is gathered again (the test measures something)"
        assert badge_of(client) >= 1


@freeze_time(DAY)
def test_the_badge_follows_the_users_own_action_and_the_superiors(tree, unit_users, role_users, client):
    liaison, admin = unit_users["town_liaison"], role_users["admin"]
    problem = services.problem_register_own(actor=liaison, org=tree.town_a1, description="组织生活会质量不高")
    client.force_login(liaison)
    before = badge_of(client)
    assert before >= 1
    assert badge_of(client) == before, "stored"
    response = client.post(reverse("units:plan", args=[problem.rectification.pk]),
                           {"measures": "一是规范会前准备；二是开展批评与自我批评", "deadline": "2026-06-30",
                            "submit": "1"})
    assert response.status_code == 302
    assert badge_of(client) == before - 1, "the plan submitted by the user leaves the user's badge at once"
    client.force_login(admin)
    admin_before = badge_of(client, "/")
    plan = problem.rectification.unit_plan
    assert client.post(reverse("units:plan_review", args=[plan.pk]), {"reason": "措施过于笼统"}).status_code == 302
    assert badge_of(client) == admin_before - 1
    client.force_login(liaison)
    assert badge_of(client) == before, "the returned plan is back on the liaison's badge on the next page"


def test_a_stored_count_expires_with_the_day_and_the_lifetime(tree, unit_users, client):
    user = unit_users["town_liaison"]
    with freeze_time("2026-05-10 10:00:00+08:00") as frozen:
        client.force_login(user)
        badge_of(client)
        assert badge.stored_count(user) is not None
        frozen.tick(badge.LIFETIME + datetime.timedelta(seconds=1))
        assert badge.stored_count(user) is None, "work changed by a job shows within the lifetime"
        badge_of(client)
        frozen.move_to("2026-05-11 00:00:30+08:00")
        assert badge.stored_count(user) is None, "a new day re-counts (deadlines turn overdue at midnight)"

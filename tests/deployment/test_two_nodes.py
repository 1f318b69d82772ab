"""A province deployment, tested for real (issue 18): two app nodes behind nginx sharing one
PostgreSQL database and one file store, each with its own background worker.

Runs on PostgreSQL only (SQLite is one file on one machine); CI runs it through scripts/test.
"""

import concurrent.futures
import datetime
import itertools
import re
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from shuping.accounts.models import Role
from shuping.audit.models import AuditEntry
from shuping.campaigns.models import Ballot
from shuping.jobs.models import ScheduledRun
from shuping.rectification import services as rectification_services
from shuping.rectification.models import Evidence, Reminder

from ..meetings.conftest import build_hall
from ..rectification.conftest import PNG, new_problem, planned
from .cluster import Browser
from .conftest import PASSWORD
from .conftest import node_user as _user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _badge(html: str) -> int:
    found = re.search(r'工作台 <span class="badge[^"]*" title="待办事项">(\d+)</span>', html)
    return int(found.group(1)) if found else 0


def cast_ballot_over_http(phone: Browser, token: str, participant_pk: int, scores: dict, democratic: str):
    """One evaluator's ballot for one reporter, as a phone sends it.

    The only place that knows the ballot URLs and field names: adapt here when they change.
    The phone opens its card once (the QR link is exchanged for the device cookie), then only
    the secret-free ballot pages are used.
    """
    if not any(cookie.name == "shuping_card" for cookie in phone.jar):
        opened = phone.get(f"/m/k/{token}/")
        assert opened.status == 302 and opened.location == "/m/b/", (opened.status, opened.text[:300])
    page = phone.get(f"/m/b/{participant_pk}/")
    assert page.status == 200, page.status
    data = {f"s_{pk}": value for pk, value in scores.items()}
    data["democratic"] = democratic
    return phone.post(f"/m/b/{participant_pk}/", data)


def test_two_nodes_behind_nginx_share_sessions_files_ballots_jobs_and_run_the_daily_job_once(cluster, tree):
    admin = _user("node_admin", Role.ADMIN, tree.county_a)
    reporter = _user("node_reporter", Role.REPORTER, tree.county_a)
    rect = planned(new_problem(tree.town_a1), deadline=datetime.date(2026, 1, 10))
    finished = planned(new_problem(tree.town_a2, "党员活动室制度未上墙"), deadline=datetime.date(2026, 12, 31))
    rectification_services.progress_add(actor=None, rectification=finished, text="制度已上墙",
                                        files=[SimpleUploadedFile("上墙.png", PNG)])
    hall = build_hall(tree, per_group=3)

    # -- signed in through nginx: the session is good on both nodes
    browser = Browser(cluster.base)
    assert browser.login(reporter.username, PASSWORD).status == 302
    pages = [browser.get("/") for _ in range(4)]
    assert all(p.status == 200 and "退出登录" in p.text for p in pages)
    assert {p.node for p in pages} == set(cluster.nodes)

    # -- evidence uploaded on one node is downloaded from the other
    upload = browser.post(f"/rectification/{rect.pk}/progress/", {"text": "已完成场所改造"},
                          files={"files": ("现场照片.png", PNG, "image/png")})
    assert upload.status == 302, upload.text[:500]
    item = Evidence.objects.get(progress__rectification=rect)
    downloads = [browser.get(f"/rectification/evidence/{item.pk}/") for _ in range(2)]
    other = [d for d in downloads if d.node != upload.node]
    assert other and other[0].status == 200 and other[0].body == PNG

    # -- the menu badge is stored in the shared database: both nodes show the same count, and a
    #    hand-over made through one node shows on the next page from either node (no per-node cache)
    office = Browser(cluster.base)
    assert office.login(admin.username, PASSWORD).status == 302
    shown = [office.get("/orgs/") for _ in range(4)]
    assert {p.node for p in shown} == set(cluster.nodes)
    before = {_badge(p.text) for p in shown}
    assert len(before) == 1, before
    applied = browser.post(f"/rectification/{finished.pk}/apply/", {"reason": "整改完成"})
    assert applied.status == 302
    after = [office.get("/orgs/") for _ in range(4)]
    assert {p.node for p in after} == set(cluster.nodes)
    assert {_badge(p.text) for p in after} == {before.pop() + 1}, "申请销号待核验 counted on both nodes at once"

    # -- ballots cast round-robin across the nodes, concurrently: none lost
    tokens = [card.token for cards in hall.cards.values() for card in cards]
    jobs = list(itertools.product(tokens, hall.participants))
    phones = {token: Browser(cluster.base) for token in tokens}
    # Different totals per reporter: identical totals for everyone are refused by the meeting rules.
    scores = {p.pk: hall.scores(str(5 - i)) for i, p in enumerate(hall.participants)}

    def evaluator(token):
        # One phone per evaluator scores the reporters one after another; the phones run at once.
        return [(reply.status, reply.node, re.findall(r"alert[^>]*>([^<]{2,200})", reply.text)) for reply in
                (cast_ballot_over_http(phones[token], token, p.pk, scores[p.pk], "好") for p in hall.participants)]

    with concurrent.futures.ThreadPoolExecutor(max_workers=6) as pool:
        full = [r for rs in pool.map(evaluator, tokens) for r in rs]
    replies = [r[:2] for r in full]
    assert all(status == 302 for status, _node, _text in full), [r for r in full if r[0] != 302][:1]
    assert {node for _status, node in replies} == set(cluster.nodes)
    assert Ballot.objects.filter(campaign=hall.campaign).count() == len(jobs)

    # -- a long export started on one node is worked by a worker and downloaded from either node
    started = office.post(f"/dashboards/grades-unit.xlsx?org={tree.county_a.pk}&year=2026")
    assert started.status == 302 and started.location.startswith("/jobs/")
    deadline = time.monotonic() + 60
    while "已完成" not in (status := office.get(started.location + "status/")).text:
        assert "失败" not in status.text and time.monotonic() < deadline, status.text
        time.sleep(0.3)
    files = [office.get(started.location + "download/") for _ in range(2)]
    assert {f.node for f in files} == set(cluster.nodes)
    assert files[0].body == files[1].body and files[0].body.startswith(b"PK")

    # -- cron fires the daily job on both nodes at the same moment: one effect
    runs = [cluster.command(i, "mark-overdue", "--date", "2026-04-01") for i in range(2)]
    outputs = [run.communicate(timeout=120) for run in runs]
    assert all(run.returncode == 0 for run in runs), outputs
    said = "".join(out for out, _err in outputs)
    assert said.count("新标记逾期 1 项") == 1 and said.count("跳过") == 1, said
    assert ScheduledRun.objects.filter(name="mark-overdue", period="2026-04-01").count() == 1
    assert AuditEntry.objects.filter(action="rectification.mark_overdue").count() == 1
    assert Reminder.objects.filter(rectification=rect).count() == 1
    assert re.search(r"node-[12]", ScheduledRun.objects.get().node)

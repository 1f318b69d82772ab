"""Where the time of the level pages goes (not a test): on the database loaded by
benchmarks/dashboard_bench.py (run that first, once), time each part of the 点评讲话 draft and
count the queries of each level page for the prefecture and county admins.

    SHUPING_BENCH_DB=shuping_dash_bench .venv/bin/python benchmarks/levels_profile.py [--runs 10]
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = os.environ.get("SHUPING_BENCH_DB", "shuping_dash_bench")


def timed(runs: int, fn) -> tuple[float, float]:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    return statistics.median(timings), timings[-1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    os.environ["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{DB_NAME}"
    os.environ["SHUPING_DATA_DIR"] = os.environ.get("SHUPING_BENCH_DATA_DIR", "/tmp/dash-bench")
    os.environ["SHUPING_DEMO"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuping.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    class Counter:
        """Counts the queries of a request (the test client's request_finished closes the captured log)."""

        def __init__(self):
            self.n, self.ms = 0, 0.0

        def __call__(self, execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                self.n += 1
                self.ms += (time.perf_counter() - started) * 1000
    from django.urls import reverse

    from shuping.clock import today
    from shuping.dashboards import selectors as dash
    from shuping.levels import drafting
    from shuping.levels.models import Node

    year = today().year
    root = Node.objects.filter(campaign__year=year, parent__isnull=True, campaign__organiser__code="SYN-01").first()
    if root is None:
        sys.exit("run benchmarks/dashboard_bench.py first: no campaign tree in the benchmark database")
    campaign, org = root.campaign, root.campaign.organiser
    parts = [
        ("grades table (this year)", lambda: dash.grades_by_unit_table(org, year)),
        ("grades table (last year)", lambda: dash.grades_by_unit_table(org, year - 1)),
        ("routine table", lambda: dash.routine_table(org, year)),
        ("rectification table", lambda: dash.rectification_table(org, year)),
        ("common problem groups", lambda: drafting.common_problem_groups(campaign)),
        ("approved report analyses", lambda: drafting._analyses(campaign)),
        ("whole draft", lambda: drafting.build_speech(campaign)),
    ]
    print(f"{'part of the 点评讲话 draft':<28} {'median ms':>10} {'max ms':>8} {'queries':>8}")
    for name, fn in parts:
        with CaptureQueriesContext(connection) as queries:
            fn()
        median, worst = timed(args.runs, fn)
        print(f"{name:<28} {median:10.1f} {worst:8.1f} {len(queries):8d}", flush=True)
    county = root.children.order_by("campaign__organiser__path").first()
    pages = [("reports-list (base)", reverse("reports:list")),
             ("levels-plan", reverse("levels:plan", args=[root.plan_id])),
             ("levels-node-pref", reverse("levels:node", args=[root.pk])),
             ("levels-node-county", reverse("levels:node", args=[county.pk])),
             ("levels-speech", reverse("levels:speech", args=[campaign.pk]))]
    print(f"\n{'user':<11} {'page':<20} {'median ms':>10} {'max ms':>8} {'queries':>8} {'in SQL ms':>10}")
    for label in ("prefecture", "province"):
        client = Client()
        client.force_login(get_user_model().objects.get(username=f"bench-{label}"))
        for name, url in pages:
            counter = Counter()
            with connection.execute_wrapper(counter):
                status = client.get(url).status_code
            if status != 200:
                continue
            median, worst = timed(args.runs, lambda url=url, client=client: client.get(url))
            print(f"{label:<11} {name:<20} {median:10.1f} {worst:8.1f} {counter.n:8d} {counter.ms:10.1f}", flush=True)


if __name__ == "__main__":
    main()

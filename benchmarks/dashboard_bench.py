"""Dashboard latency on a synthetic province (not a test).

Loads `shuping synth-province` into a throwaway PostgreSQL database (shuping_dash_bench,
SHUPING_DATA_DIR=/tmp/dash-bench), then times every dashboard URL for a province admin, a
prefecture admin and a county admin with Django's test client and prints p50/p95 per URL.

    .venv/bin/python benchmarks/dashboard_bench.py [--scale 1.0] [--requests 20] [--reuse] [--only reg-|levels]

--reuse keeps an already loaded database (generation of the full province takes minutes); --only times
the pages whose name contains the given text (reg- for the registers, levels for the campaign tree). The load average is printed with the figures: on a shared
host the other processes' load is part of what a user would see. Exports are background jobs (POST), not timed.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DB_NAME = os.environ.get("SHUPING_BENCH_DB", "shuping_dash_bench")  # a helper's own database on a shared host
PG = "postgresql://postgres@127.0.0.1:5432/"


def prepare_database(reuse: bool) -> bool:
    """Create the database; return True when it already holds the synthetic province."""
    import psycopg

    with psycopg.connect(PG + "postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if exists and reuse:
            with psycopg.connect(PG + DB_NAME) as bench:
                try:
                    return bool(bench.execute("SELECT 1 FROM orgs_org WHERE code = 'SYN'").fetchone())
                except psycopg.errors.UndefinedTable:
                    return False
        if exists:
            conn.execute(f"DROP DATABASE {DB_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {DB_NAME}")
    return False


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--years", type=int, default=5)
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--reuse", action="store_true")
    parser.add_argument("--only", default="", help="time only the pages whose name contains this text")
    args = parser.parse_args()

    loaded = prepare_database(args.reuse)
    os.environ["DATABASE_URL"] = PG + DB_NAME
    os.environ["SHUPING_DATA_DIR"] = os.environ.get("SHUPING_BENCH_DATA_DIR", "/tmp/dash-bench")
    os.environ["SHUPING_DEMO"] = "1"  # no forced password change / TOTP for the benchmark users
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuping.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse

    from shuping.accounts.models import Role
    from shuping.accounts.services import role_grant
    from shuping.clock import today
    from shuping.dashboards import selectors
    from shuping.dashboards.synth import generate
    from shuping.orgs.models import Org

    call_command("migrate", verbosity=0)
    if not loaded:
        started = time.monotonic()
        stats = generate(scale=args.scale, years=args.years, progress=lambda m: print("  " + m, flush=True))
        print(f"generated scale {args.scale}: {stats.orgs} orgs, {stats.monthly_scores} monthly scores, "
              f"{stats.campaigns} campaigns, {stats.results} results, {stats.problems} problems, "
              f"{stats.register_values} register values "
              f"in {time.monotonic() - started:.1f} s", flush=True)

    from django.contrib.auth import get_user_model

    User = get_user_model()
    users = {}
    for label, code in (("province", "SYN"), ("prefecture", "SYN-01"), ("county", "SYN-01-01")):
        user, _ = User.objects.get_or_create(username=f"bench-{label}")
        role_grant(actor=None, user=user, role=Role.ADMIN, org=Org.objects.get(code=code))
        users[label] = user

    # Campaign trees (三级联述联评联考): each prefecture's campaign of a year with its counties' below.
    from shuping.levels.models import Node
    from shuping.levels.synth import add_trees

    print(f"campaign trees: {add_trees()} new nodes", flush=True)
    year = today().year
    tree_root = Node.objects.filter(campaign__year=year, parent__isnull=True,
                                    campaign__organiser__code="SYN-01").first()
    urls = [(key, reverse("dashboards:view", args=[key])) for key in selectors.DASHBOARDS]
    urls += [("subordinates", reverse("dashboards:subordinates")), ("index", reverse("dashboards:index"))]
    urls += [("levels", reverse("levels:plans"))]
    if tree_root is not None:
        county_node = tree_root.children.order_by("campaign__organiser__path").first()
        urls += [("levels-plan", reverse("levels:plan", args=[tree_root.plan_id])),
                 ("levels-node-pref", reverse("levels:node", args=[tree_root.pk])),
                 ("levels-node-county", reverse("levels:node", args=[county_node.pk])),
                 ("levels-speech", reverse("levels:speech", args=[tree_root.campaign_id]))]
    # The dashboards' index page (menu, badges, no table) stays in as the floor every page pays on this host.
    urls = [(name, url) for name, url in urls if args.only in name or name == "index"]
    print(f"\nload average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\n{'user':<11} {'url':<22} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  (n={args.requests})")
    worst = 0.0
    for label, user in users.items():
        client = Client()
        client.force_login(user)
        for name, url in urls:
            timings = []
            for _ in range(args.requests):
                started = time.perf_counter()
                response = client.get(f"{url}?year={year}")
                timings.append((time.perf_counter() - started) * 1000)
                if name.startswith("levels-") and response.status_code == 404:
                    break  # a county admin does not see its prefecture's own campaign
                assert response.status_code == 200, (label, url, response.status_code)
            if not timings or len(timings) < args.requests:
                print(f"{label:<11} {name:<22} {'(not visible to this user)':>26}", flush=True)
                continue
            timings.sort()
            p50 = statistics.median(timings)
            p95 = timings[max(0, int(round(0.95 * len(timings))) - 1)]
            worst = max(worst, p95)
            print(f"{label:<11} {name:<22} {p50:8.1f} {p95:8.1f} {timings[-1]:8.1f}", flush=True)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"\nworst page p95: {worst:.1f} ms ({'OK' if worst < 500 else 'OVER'} the 500 ms target)")


if __name__ == "__main__":
    main()

"""Load benchmark of the meeting ballot pages (not a test).

Prepares a throwaway database (PostgreSQL if reachable, else a SQLite file) with a campaign of
15 reporters and 300 evaluator credentials, starts gunicorn from the virtualenv on 127.0.0.1,
then simulates the evaluators in threads: each one opens the ballot page of every reporter and
submits it (GET + POST), after opening its card once through the QR link /m/k/<token>/ (which
sets the card cookie). Bounded in time and count; stops by itself and cleans up.

    .venv/bin/python benchmarks/meeting_load.py [--db postgres|sqlite] [--workers 4] [--clients 60]

Prints ballots/second, p50/p99 latency and lost ballots (accepted responses − ballots stored).
"""

import argparse
import http.client
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = ROOT / ".venv" / "bin" if (ROOT / ".venv" / "bin").exists() else Path(sys.executable).parent
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
sys.path.insert(0, str(ROOT))  # the set-up child imports this checkout's shuping, not an installed one


# ---- set-up, run in a child process with the benchmark's environment ----------------------


def setup_data(reporters: int, evaluators: int, out: str) -> None:
    import django

    django.setup()
    from shuping.campaigns import services as cs
    from shuping.campaigns.models import CampaignState, RubricTemplate
    from shuping.meetings import services
    from shuping.orgs import services as org_services

    county = org_services.org_create(actor=None, parent=None, code="BENCH", name="压测县委", unit_type="county",
                                     kind="committee", sector="", member_count=0)
    campaign = cs.campaign_create(actor=None, organiser=county, title="压测考核", year=2026,
                                  template=RubricTemplate.objects.get(sector=""))
    for n in range(1, reporters + 1):
        town = org_services.org_create(actor=None, parent=county, code=f"BENCH-{n:02d}", name=f"压测{n}镇党委",
                                       unit_type="township", kind="committee", sector="rural", member_count=100)
        cs.participant_add(actor=None, campaign=campaign, org=town, ranking_group_name="乡镇组")
    for state in (CampaignState.WRITING, CampaignState.REVIEW, CampaignState.MEETING):
        campaign = cs.campaign_transition(actor=None, campaign=campaign, to_state=state)
    meeting = services.meeting_create(actor=None, campaign=campaign, place="压测会场")
    groups = list(campaign.evaluator_groups.all())
    tokens = []
    for index, group in enumerate(groups):
        share = evaluators // len(groups) + (1 if index < evaluators % len(groups) else 0)
        tokens += [card.token for card in services.credentials_issue(actor=None, meeting=meeting, group=group, count=share)]
    services.meeting_open(actor=None, meeting=meeting)
    payload = {
        "campaign": campaign.pk,
        "tokens": tokens,
        "participants": list(campaign.participants.order_by("agenda_order").values_list("pk", flat=True)),
        "indicators": [[i.pk, str(i.max_score)] for i in services.scored_indicators(campaign)],
    }
    Path(out).write_text(json.dumps(payload))


def count_ballots(campaign_id: int) -> None:
    import django

    django.setup()
    from shuping.campaigns.models import Ballot

    print(Ballot.objects.filter(campaign_id=campaign_id, is_test=False).count())


# ---- the client ---------------------------------------------------------------------------


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.accepted = 0
        self.rejected = 0
        self.errors = 0

    def add(self, seconds: float):
        with self.lock:
            self.latencies.append(seconds)


CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _remember_cookies(response, jar: dict) -> None:
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            jar[name] = rest.split(";", 1)[0]


def _cookie_header(jar: dict) -> dict:
    return {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}


def evaluator(port, token, participants, indicators, deadline, stats: Stats, rng: random.Random):
    """One phone: the QR link once (token → card cookie), then GET + POST per reporter on /m/b/."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    jar: dict = {}
    try:
        started = time.monotonic()
        conn.request("GET", f"/m/k/{token}/")
        response = conn.getresponse()
        response.read()
        stats.add(time.monotonic() - started)
        _remember_cookies(response, jar)
        if response.status != 302 or "shuping_card" not in jar:
            with stats.lock:
                stats.errors += 1
            return
        for participant in participants:
            if time.monotonic() > deadline:
                return
            path = f"/m/b/{participant}/"
            started = time.monotonic()
            conn.request("GET", path, headers=_cookie_header(jar))
            response = conn.getresponse()
            body = response.read().decode("utf-8", "replace")
            stats.add(time.monotonic() - started)
            _remember_cookies(response, jar)
            match = CSRF_RE.search(body)
            if response.status != 200 or not match:
                with stats.lock:
                    stats.errors += 1
                continue
            fields = {"csrfmiddlewaretoken": match.group(1), "democratic": rng.choice(["好", "较好", "一般", "差"])}
            for indicator_id, maximum in indicators:
                fields[f"s_{indicator_id}"] = str(rng.randint(0, int(float(maximum))))
            from urllib.parse import urlencode

            data = urlencode(fields)
            started = time.monotonic()
            conn.request("POST", path, body=data, headers={
                "Content-Type": "application/x-www-form-urlencoded", **_cookie_header(jar),
            })
            response = conn.getresponse()
            response.read()
            stats.add(time.monotonic() - started)
            _remember_cookies(response, jar)
            with stats.lock:
                if response.status == 302:
                    stats.accepted += 1
                elif response.status == 400:
                    stats.rejected += 1
                else:
                    stats.errors += 1
    except (OSError, http.client.HTTPException):
        with stats.lock:
            stats.errors += 1
    finally:
        conn.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def postgres_available() -> bool:
    try:
        import psycopg

        psycopg.connect(PG_ADMIN, connect_timeout=2).close()
        return True
    except Exception:  # noqa: BLE001 - any failure means "use SQLite"
        return False


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default=None)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=1, help="gunicorn threads per worker")
    parser.add_argument("--clients", type=int, default=60, help="evaluators submitting at the same time")
    parser.add_argument("--evaluators", type=int, default=300)
    parser.add_argument("--reporters", type=int, default=15)
    parser.add_argument("--time-limit", type=float, default=180, help="seconds; submissions stop after this")
    parser.add_argument("--port", type=int, default=0, help="gunicorn port (default: any free port)")
    parser.add_argument("--pg-name", default="", help="name of the throwaway PostgreSQL database")
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        return setup_data(args.reporters, args.evaluators, args.setup)
    if args.count is not None:
        return count_ballots(args.count)

    db = args.db or ("postgres" if postgres_available() else "sqlite")
    workdir = Path(tempfile.mkdtemp(prefix="shuping-bench-"))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="shuping.settings", SHUPING_DATA_DIR=str(workdir),
               SHUPING_SECRET_KEY=secrets.token_urlsafe(40), SHUPING_DB_CONN_MAX_AGE="60")
    db_name = args.pg_name or f"shuping_bench_{os.getpid()}"
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{db_name}"')
        env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{db_name}"
    python = str(VENV_BIN / "python")
    server = None
    try:
        print(f"准备数据库（{db}）：{args.reporters} 名述职人，{args.evaluators} 张评议凭证……", flush=True)
        subprocess.run([python, "-m", "shuping.cli", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
        data_file = workdir / "bench.json"
        subprocess.run([python, __file__, "--setup", str(data_file), "--reporters", str(args.reporters),
                        "--evaluators", str(args.evaluators)], env=env, cwd=ROOT, check=True)
        data = json.loads(data_file.read_text())
        port = args.port or free_port()
        server = subprocess.Popen(
            [str(VENV_BIN / "gunicorn"), "shuping.wsgi:application", "-b", f"127.0.0.1:{port}",
             "-w", str(args.workers), "--threads", str(args.threads), "--log-level", "warning", "--timeout", "60"],
            env=env, cwd=ROOT,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        print(f"gunicorn 已启动：127.0.0.1:{port}，{args.workers} 个进程 × {args.threads} 线程；"
              f"{args.clients} 个并发评议人", flush=True)
        stats = Stats()
        rng = random.Random(2026)
        deadline = time.monotonic() + args.time_limit
        started = time.monotonic()
        with ThreadPoolExecutor(max_workers=args.clients) as pool:
            for token in data["tokens"]:
                order = list(data["participants"])
                rng.shuffle(order)
                pool.submit(evaluator, port, token, order, data["indicators"], deadline, stats,
                            random.Random(rng.random()))
        elapsed = time.monotonic() - started
        stored = int(subprocess.run([python, __file__, "--count", str(data["campaign"])], env=env, cwd=ROOT,
                                    check=True, capture_output=True, text=True).stdout.strip())
        latencies = sorted(stats.latencies)
        p50 = statistics.median(latencies) * 1000 if latencies else 0
        p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else 0
        print(f"数据库：{db}  用时 {elapsed:.1f} 秒  请求 {len(latencies)} 个（GET+POST）")
        print(f"接受的测评票：{stats.accepted}  被规则拒绝：{stats.rejected}  错误：{stats.errors}")
        print(f"吞吐：{stats.accepted / elapsed:.1f} 票/秒")
        print(f"延迟：p50 {p50:.1f} ms  p99 {p99:.1f} ms")
        print(f"数据库中的测评票：{stored}  丢失：{stats.accepted - stored}")
        if stats.accepted != stored:
            sys.exit(1)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
        if db == "postgres":
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


if __name__ == "__main__":
    main()

"""Load benchmark of the meeting ballot pages (not a test).

Prepares a throwaway database (PostgreSQL if reachable, else a SQLite file) with a campaign of
15 reporters and 300 evaluator credentials, starts gunicorn from the virtualenv on 127.0.0.1,
then simulates the evaluators in threads: each one opens the ballot page of every reporter and
submits it (GET + POST), after opening its card once through the QR link /m/k/<token>/ (which
sets the card cookie). Bounded in time and count; stops by itself and cleans up.

    .venv/bin/python benchmarks/meeting_load.py [--db postgres|sqlite] [--workers 4] [--clients 60]
    .venv/bin/python benchmarks/meeting_load.py --baseline --runs 3

Prints ballots/second, p50/p99 latency and lost ballots (accepted responses − ballots stored).
With --baseline it also serves benchmarks/baseline_app (a minimal Django app that only looks the
card up by an indexed hash and stores one ballot with its scores in one transaction) with the same
gunicorn settings, on PostgreSQL, drives it with the same client, interleaves the runs (product,
minimal app, product, …) and prints both figures and the ratios, min/median/max over the runs.
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
HERE = Path(__file__).resolve().parent
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
        self.elapsed = self.p50 = self.p99 = self.rate = 0.0
        self.lost = 0
        self.app_cpu = self.db_cpu = None  # CPU milliseconds per accepted ballot (Linux /proc only)

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


def reset_ballots(campaign_id: int) -> None:
    """Between interleaved runs: forget the campaign's ballots so every run casts new ones."""
    import django

    django.setup()
    from shuping.campaigns.models import Ballot

    Ballot.objects.filter(campaign_id=campaign_id).delete()


def wait_for_port(port: int) -> None:
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"服务器未能在端口 {port} 上启动")


def gunicorn(app: str, port: int, args, env, cwd) -> subprocess.Popen:
    """Both apps are served by exactly this command line: same workers, threads and timeout."""
    return subprocess.Popen(
        [str(VENV_BIN / "gunicorn"), app, "-b", f"127.0.0.1:{port}", "-w", str(args.workers),
         "--threads", str(args.threads), "--log-level", "warning", "--timeout", "60"],
        env=env, cwd=cwd,
    )


def warm_up(port: int, data: dict, args) -> None:
    """Page views only (nothing cast) until every worker has imported and compiled what it needs."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    jar: dict = {}
    try:
        conn.request("GET", f"/m/k/{data['tokens'][0]}/")
        response = conn.getresponse()
        response.read()
        _remember_cookies(response, jar)
        for n in range(args.workers * 8):
            conn.request("GET", f"/m/b/{data['participants'][n % len(data['participants'])]}/",
                         headers=_cookie_header(jar))
            conn.getresponse().read()
    finally:
        conn.close()


def load(port: int, data: dict, args) -> Stats:
    """The same client for both apps: every evaluator opens its card once, then GET + POST per reporter."""
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
    stats.elapsed = time.monotonic() - started
    latencies = sorted(stats.latencies)
    stats.p50 = statistics.median(latencies) * 1000 if latencies else 0
    stats.p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))] * 1000 if latencies else 0
    stats.rate = stats.accepted / stats.elapsed
    return stats


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of one process so far (0 if it is gone or /proc is not there)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _children(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
        except (OSError, ValueError, IndexError):
            continue
    return found


class CpuMeter:
    """CPU spent by one server's gunicorn workers and by its PostgreSQL backends during a run.

    Throughput on a shared machine depends on how busy the other users are; CPU per ballot does
    not, so it is printed too: it shows what each app costs, whatever the load average. A backend
    that ends during the run (Django replaces connections older than CONN_MAX_AGE) takes its CPU
    with it, so the database figure is a lower bound; the workers live through the run."""

    def __init__(self, server: subprocess.Popen, db_url: str, db_name: str):
        self.server, self.db_url, self.db_name = server, db_url, db_name

    def _backends(self) -> list[int]:
        import psycopg

        with psycopg.connect(self.db_url, autocommit=True) as conn:
            return [row[0] for row in conn.execute(
                "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [self.db_name])]

    def snapshot(self) -> dict:
        return {"app": {pid: _cpu_seconds(pid) for pid in [self.server.pid, *_children(self.server.pid)]},
                "db": {pid: _cpu_seconds(pid) for pid in self._backends()}}

    @staticmethod
    def spent(before: dict, after: dict, part: str) -> float:
        return sum(max(0.0, cpu - before[part].get(pid, 0.0)) for pid, cpu in after[part].items())

    def measure(self, stats: "Stats", before: dict) -> None:
        if not Path("/proc/self/stat").exists() or not stats.accepted:
            return
        after = self.snapshot()
        stats.app_cpu = self.spent(before, after, "app") * 1000 / stats.accepted
        stats.db_cpu = self.spent(before, after, "db") * 1000 / stats.accepted


def report(label: str, stats: Stats, stored: int) -> None:
    stats.lost = stats.accepted - stored
    print(f"[{label}] 用时 {stats.elapsed:.1f} 秒  请求 {len(stats.latencies)} 个（GET+POST）  "
          f"接受 {stats.accepted}  被规则拒绝 {stats.rejected}  错误 {stats.errors}  "
          f"本机负载（1 分钟平均）{os.getloadavg()[0]:.1f}", flush=True)
    print(f"[{label}] 吞吐 {stats.rate:.1f} 票/秒  p50 {stats.p50:.1f} ms  p99 {stats.p99:.1f} ms  "
          f"库中 {stored} 张  丢失 {stats.lost}", flush=True)
    if stats.app_cpu is not None:
        print(f"[{label}] 每票 CPU：应用进程 {stats.app_cpu:.1f} ms  数据库 {stats.db_cpu:.1f} ms", flush=True)


def summary(runs: list[tuple[Stats, Stats | None]]) -> None:
    def fig(values):
        return f"最小 {min(values):.2f}  中位 {statistics.median(values):.2f}  最大 {max(values):.2f}"

    products = [p for p, _b in runs]
    print(f"述评系统  票/秒：{fig([p.rate for p in products])}")
    print(f"述评系统  p99 ms：{fig([p.p99 for p in products])}")
    print(f"述评系统  丢失：{sum(p.lost for p in products)}")
    if products[0].app_cpu is not None:
        print(f"述评系统  每票 CPU ms（应用+数据库）：{fig([p.app_cpu + p.db_cpu for p in products])}")
    if runs[0][1] is None:
        return
    bases = [b for _p, b in runs]
    print(f"最小应用  票/秒：{fig([b.rate for b in bases])}")
    print(f"最小应用  p99 ms：{fig([b.p99 for b in bases])}")
    print(f"最小应用  丢失：{sum(b.lost for b in bases)}")
    if bases[0].app_cpu is not None:
        print(f"最小应用  每票 CPU ms（应用+数据库）：{fig([b.app_cpu + b.db_cpu for b in bases])}")
    # ratios pair by pair (same run), so a machine that slows down between runs cancels out
    print(f"吞吐比（述评/最小，目标 ≥ 0.7）：{fig([p.rate / b.rate for p, b in runs])}")
    print(f"p99 比（述评/最小，目标 ≤ 1.5）：{fig([p.p99 / b.p99 for p, b in runs])}")


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
    parser.add_argument("--baseline", action="store_true",
                        help="also run a minimal Django app (benchmarks/baseline_app) with the same client and "
                             "gunicorn settings on PostgreSQL, and print the ratio")
    parser.add_argument("--baseline-port", type=int, default=0, help="the minimal app's port (default: any free port)")
    parser.add_argument("--runs", type=int, default=1, help="interleaved runs (product, minimal app, product, …)")
    parser.add_argument("--setup", help=argparse.SUPPRESS)
    parser.add_argument("--count", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--reset", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.setup:
        return setup_data(args.reporters, args.evaluators, args.setup)
    if args.count is not None:
        return count_ballots(args.count)
    if args.reset is not None:
        return reset_ballots(args.reset)

    db = args.db or ("postgres" if postgres_available() else "sqlite")
    if args.baseline and db != "postgres":
        raise SystemExit("--baseline 需要 PostgreSQL（127.0.0.1:5432）")
    workdir = Path(tempfile.mkdtemp(prefix="shuping-bench-"))
    env = dict(os.environ, DJANGO_SETTINGS_MODULE="shuping.settings", SHUPING_DATA_DIR=str(workdir),
               SHUPING_SECRET_KEY=secrets.token_urlsafe(40), SHUPING_DB_CONN_MAX_AGE="60")
    db_name = args.pg_name or f"shuping_bench_{os.getpid()}"
    base_name = f"{db_name}_base"
    created = []
    if db == "postgres":
        import psycopg

        with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
            for name in [db_name] + ([base_name] if args.baseline else []):
                admin.execute(f'CREATE DATABASE "{name}"')
                created.append(name)
        env["DATABASE_URL"] = f"postgresql://postgres@127.0.0.1:5432/{db_name}"
    base_url = f"postgresql://postgres@127.0.0.1:5432/{base_name}"
    base_env = dict(os.environ, BASELINE_DATABASE_URL=base_url, BASELINE_SECRET_KEY=secrets.token_urlsafe(40))
    python = str(VENV_BIN / "python")
    servers = []
    try:
        print(f"准备数据库（{db}）：{args.reporters} 名述职人，{args.evaluators} 张评议凭证……", flush=True)
        subprocess.run([python, "-m", "shuping.cli", "migrate", "-v", "0"], env=env, cwd=ROOT, check=True)
        data_file = workdir / "bench.json"
        subprocess.run([python, __file__, "--setup", str(data_file), "--reporters", str(args.reporters),
                        "--evaluators", str(args.evaluators)], env=env, cwd=ROOT, check=True)
        data = json.loads(data_file.read_text())
        port = args.port or free_port()
        servers.append(gunicorn("shuping.wsgi:application", port, args, env, ROOT))
        wait_for_port(port)
        print(f"述评系统：127.0.0.1:{port}，gunicorn {args.workers} 个进程 × {args.threads} 线程；"
              f"{args.clients} 个并发评议人", flush=True)
        base_port = None
        if args.baseline:
            import hashlib

            import psycopg

            schema = _baseline_schema()
            with psycopg.connect(base_url, autocommit=True) as conn:
                for statement in schema:
                    conn.execute(statement)
                with conn.cursor() as cursor:
                    cursor.executemany("INSERT INTO card (token_hash) VALUES (%s)",
                                       [(hashlib.sha256(t.encode()).hexdigest(),) for t in data["tokens"]])
            base_port = args.baseline_port or free_port()
            servers.append(gunicorn("baseline_wsgi:application", base_port, args, base_env, HERE / "baseline_app"))
            wait_for_port(base_port)
            print(f"最小应用：127.0.0.1:{base_port}，同样的 gunicorn 设置与客户端", flush=True)
        runs = []
        for run in range(1, args.runs + 1):
            if run > 1:
                subprocess.run([python, __file__, "--reset", str(data["campaign"])], env=env, cwd=ROOT, check=True)
            if run == 1:
                warm_up(port, data, args)
            meter = CpuMeter(servers[0], env.get("DATABASE_URL", ""), db_name) if db == "postgres" else None
            before = meter.snapshot() if meter else None
            product = load(port, data, args)
            if meter:
                meter.measure(product, before)
            stored = int(subprocess.run([python, __file__, "--count", str(data["campaign"])], env=env, cwd=ROOT,
                                        check=True, capture_output=True, text=True).stdout.strip())
            report(f"第 {run} 轮 述评系统 {db}", product, stored)
            base = None
            if args.baseline:
                import psycopg

                with psycopg.connect(base_url, autocommit=True) as conn:
                    conn.execute("DELETE FROM score")
                    conn.execute("DELETE FROM ballot")
                if run == 1:
                    warm_up(base_port, data, args)
                base_meter = CpuMeter(servers[1], base_url, base_name)
                base_before = base_meter.snapshot()
                base = load(base_port, data, args)
                base_meter.measure(base, base_before)
                with psycopg.connect(base_url, autocommit=True) as conn:
                    base_stored = conn.execute("SELECT count(*) FROM ballot").fetchone()[0]
                report(f"第 {run} 轮 最小应用", base, base_stored)
                print(f"第 {run} 轮 比值：吞吐 {product.rate / base.rate:.2f}×  p99 {product.p99 / base.p99:.2f}×",
                      flush=True)
            runs.append((product, base))
        summary(runs)
        if any(p.lost or (b is not None and b.lost) for p, b in runs):
            sys.exit(1)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=20)
        if created:
            import psycopg

            with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                for name in created:
                    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _baseline_schema() -> list[str]:
    """The minimal app's tables, read from its module without configuring Django in this process."""
    import ast

    source = (HERE / "baseline_app" / "baseline_wsgi.py").read_text()
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "SCHEMA":
            return ast.literal_eval(node.value)
    raise SystemExit("baseline_wsgi.py has no SCHEMA")


if __name__ == "__main__":
    main()

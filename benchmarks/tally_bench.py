"""Benchmark the database tally (`campaign_tally`) on a synthetic province-sized campaign.

Default: 20,000 participants x 30 evaluators x 10 indicators = 600,000 Ballot rows (with totals
and a democratic vote each) and 6,000,000 BallotScore rows. Rows are loaded with COPY on
PostgreSQL and executemany in large transactions on SQLite (never the ORM per row); loading is
timed separately. Then it times `campaign_tally`, measures its peak Python memory (tracemalloc,
in a second run, since tracing slows the code) and compares with one SQL pass
`SELECT participant_id, sum(score) ... GROUP BY participant_id` over the BallotScore table.

Not a test. It drops and recreates its database, so point it at a throw-away one:

  SHUPING_DATA_DIR=/tmp/bench-data .venv/bin/python benchmarks/tally_bench.py
  SHUPING_DATA_DIR=/tmp/bench-data DATABASE_URL=postgresql://postgres@127.0.0.1:5432/shuping_bench \\
      .venv/bin/python benchmarks/tally_bench.py
  ... --participants 2000 --evaluators 10 --indicators 5     (small run for CI smoke checks)
  ... --reuse     (time the tally again on the data already loaded)
"""

import argparse
import os
import random
import resource
import sys
import time
import tracemalloc
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuping.settings")

GROUPS = ["CW", "LD", "DB", "QZ"]
CHOICES = ["好", "较好", "一般", "差"]
BATCH = 200_000


def reset_database():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        import psycopg

        name = urlparse(url).path.lstrip("/")
        if name in ("", "postgres", "shuping"):
            sys.exit(f"refusing to drop database {name!r}: use a throw-away name such as shuping_bench")
        admin_url = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        return "PostgreSQL"
    data_dir = Path(os.environ.get("SHUPING_DATA_DIR", "data")).resolve()
    if data_dir == (Path.cwd() / "data").resolve():
        sys.exit("set SHUPING_DATA_DIR to a throw-away folder (e.g. /tmp/bench-data)")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{data_dir / 'shuping.sqlite3'}{suffix}").unlink(missing_ok=True)
    return "SQLite"


def setup_campaign(participants: int, indicators: int):
    from django.core.management import call_command
    from django.db import transaction

    from shuping.campaigns import services
    from shuping.campaigns.models import Campaign, Indicator, Participant, RankingGroup
    from shuping.orgs import services as org_services
    from shuping.orgs.models import Org

    call_command("migrate", interactive=False, verbosity=0)
    with transaction.atomic():
        province = org_services.org_create(actor=None, parent=None, code="BENCH", name="基准测试省委",
                                           unit_type="province", kind="committee", sector="")
        base = (Org.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        Org.objects.bulk_create(
            [Org(pk=base + i, code=f"BENCH-{i:06d}", name=f"第{i}党委", parent=province,
                 path=f"{province.path}{base + i}/", depth=1, unit_type="township", kind="committee",
                 sector="rural") for i in range(participants)],
            batch_size=5000,
        )
        campaign = services.campaign_create(actor=None, organiser=province, title="基准测试考核", year=2026)
        Indicator.objects.bulk_create([Indicator(campaign=campaign, code=f"I{n:02d}", name=f"指标{n}",
                                                 max_score=Decimal(10), order=n) for n in range(1, indicators + 1)])
        town, dept = (RankingGroup.objects.create(campaign=campaign, name=n, order=o)
                      for o, n in enumerate(["乡镇组", "县直部门组"]))
        rng = random.Random(7)
        Participant.objects.bulk_create(
            [Participant(campaign=campaign, org_id=base + i, ranking_group=town if i % 3 else dept, agenda_order=i,
                         routine_score=Decimal(rng.randint(6000, 10000)) / 100, bonus=Decimal(rng.randint(0, 3)),
                         vetoed=(i % 997 == 0), veto_reason="基准" if i % 997 == 0 else "")
             for i in range(participants)],
            batch_size=5000,
        )
        Campaign.objects.filter(pk=campaign.pk).update(state="scoring")
    return Campaign.objects.get(pk=campaign.pk)


def generate(campaign, evaluators: int, seed: int = 11):
    """Yield (ballot rows, score rows) in batches; scores 5.00..10.00 per indicator."""
    from shuping.campaigns.models import EvaluatorGroup

    group_ids = list(EvaluatorGroup.objects.filter(campaign=campaign).order_by("order").values_list("pk", flat=True))
    participant_ids = list(campaign.participants.order_by("pk").values_list("pk", flat=True))
    indicator_ids = list(campaign.indicators.order_by("order").values_list("pk", flat=True))
    rng = random.Random(seed)
    cents = [f"{c // 100}.{c % 100:02d}" for c in range(500, 1001)]
    ballots, scores = [], []
    for pid in participant_ids:
        for e in range(evaluators):
            ballot_id = uuid.uuid4().hex
            picks = [rng.randrange(500, 1001) for _ in indicator_ids]
            total = sum(picks)
            ballots.append((ballot_id, campaign.pk, pid, group_ids[e % len(group_ids)], uuid.uuid4().hex,
                            f"{total // 100}.{total % 100:02d}", CHOICES[rng.randrange(4)]))
            scores.extend((ballot_id, iid, cents[p - 500]) for iid, p in zip(indicator_ids, picks, strict=True))
            if len(scores) >= BATCH:
                yield ballots, scores
                ballots, scores = [], []
    if ballots:
        yield ballots, scores


def load_sqlite(campaign, evaluators):
    from django.db import connection

    raw = connection.connection
    n_ballots = n_scores = 0
    cursor = raw.cursor()
    cursor.execute("PRAGMA synchronous = OFF")
    cursor.execute("BEGIN")
    for ballots, scores in generate(campaign, evaluators):
        cursor.executemany(
            "INSERT INTO campaigns_ballot (id, campaign_id, participant_id, group_id, slot, total, democratic, "
            "source, is_test) VALUES (?, ?, ?, ?, ?, ?, ?, 'online', 0)", ballots)
        cursor.executemany("INSERT INTO campaigns_ballotscore (ballot_id, indicator_id, score) VALUES (?, ?, ?)",
                           scores)
        n_ballots += len(ballots)
        n_scores += len(scores)
    cursor.execute("COMMIT")
    cursor.execute("ANALYZE")
    cursor.execute("PRAGMA synchronous = NORMAL")
    return n_ballots, n_scores


def load_postgres(campaign, evaluators):
    from django.db import connection

    raw = connection.connection
    n_ballots = n_scores = 0
    with raw.cursor() as cursor:
        for ballots, scores in generate(campaign, evaluators):
            with cursor.copy("COPY campaigns_ballot (id, campaign_id, participant_id, group_id, slot, total, "
                             "democratic, source, is_test) FROM STDIN") as copy:
                copy.write("".join(f"{b}\t{c}\t{p}\t{g}\t{s}\t{t}\t{d}\tonline\tf\n"
                                   for b, c, p, g, s, t, d in ballots))
            with cursor.copy("COPY campaigns_ballotscore (ballot_id, indicator_id, score) FROM STDIN") as copy:
                copy.write("".join(f"{b}\t{i}\t{s}\n" for b, i, s in scores))
            n_ballots += len(ballots)
            n_scores += len(scores)
        cursor.execute("ANALYZE campaigns_ballot")
        cursor.execute("ANALYZE campaigns_ballotscore")
    raw.commit()
    return n_ballots, n_scores


SQL_PASS = (
    "SELECT b.participant_id, SUM(s.score) FROM campaigns_ballotscore s "
    "JOIN campaigns_ballot b ON b.id = s.ballot_id WHERE b.campaign_id = %s GROUP BY b.participant_id"
)


def sql_pass(campaign, vendor):
    from django.db import connection

    with connection.cursor() as cursor:
        if vendor == "PostgreSQL":
            cursor.execute("SET max_parallel_workers_per_gather = 0")  # one core, like the tally
        started = time.perf_counter()
        cursor.execute(SQL_PASS, [campaign.pk])
        rows = cursor.fetchall()
        return time.perf_counter() - started, len(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=20_000)
    parser.add_argument("--evaluators", type=int, default=30)
    parser.add_argument("--indicators", type=int, default=10)
    parser.add_argument("--reuse", action="store_true", help="reuse the data loaded by an earlier run (no reload)")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    vendor = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    if not args.reuse:
        reset_database()
    import django

    django.setup()
    from django.db import connection

    from shuping.campaigns.models import BallotScore, Campaign
    from shuping.campaigns.services import campaign_tally

    if args.reuse:
        from django.core.management import call_command

        # Code may have gained migrations since the data was loaded.
        call_command("migrate", interactive=False, verbosity=0)
        campaign = Campaign.objects.get(title="基准测试考核")
        args.participants = campaign.participants.count()
        n_scores = BallotScore.objects.count()
        print(f"数据库 {vendor}；沿用已载入的数据：{args.participants} 名述职人，BallotScore {n_scores:,} 行")
    else:
        print(f"数据库 {vendor}；{args.participants} 名述职人 × {args.evaluators} 名评议人 × {args.indicators} 个指标")
        started = time.perf_counter()
        campaign = setup_campaign(args.participants, args.indicators)
        loader = load_postgres if vendor == "PostgreSQL" else load_sqlite
        n_ballots, n_scores = loader(campaign, args.evaluators)
        print(f"载入 Ballot {n_ballots:,} 行、BallotScore {n_scores:,} 行：{time.perf_counter() - started:.1f} 秒")
    connection.close()

    sql_seconds, sql_rows = sql_pass(campaign, vendor)  # also warms the cache for both measurements
    sql_seconds, sql_rows = sql_pass(campaign, vendor)
    started = time.perf_counter()
    results = campaign_tally(campaign)
    tally_seconds = time.perf_counter() - started
    assert len(results) == args.participants and sql_rows == args.participants
    tracemalloc.start()
    campaign_tally(campaign)
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"campaign_tally：{tally_seconds:.2f} 秒；Python 峰值内存（tracemalloc）{peak / 2**20:.1f} MiB；"
          f"进程最大常驻内存 {rss:.0f} MiB{'' if args.reuse else '（含数据载入）'}")
    print(f"单次 SQL 汇总（{n_scores:,} 行 JOIN + GROUP BY）：{sql_seconds:.2f} 秒")
    print(f"比值 tally / SQL = {tally_seconds / sql_seconds:.2f}（目标 ≤ 3）；目标 tally < 10 秒："
          f"{'达到' if tally_seconds < 10 else '未达到'}")


if __name__ == "__main__":
    main()

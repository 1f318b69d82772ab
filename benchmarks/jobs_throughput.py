"""Background-job throughput on django-tasks' database queue (not a test).

Enqueues N small dashboard exports (a real job kind: compute a table, write an .xlsx through the
storage API) and times 1 and then 2 `shuping worker --batch` processes draining the queue.
Prints jobs/s for each, and checks that every job ran exactly once.

    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/DBNAME .venv/bin/python benchmarks/jobs_throughput.py [--jobs 200]

The database is migrated and its job rows are removed afterwards; use a throwaway database.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=200)
    args = parser.parse_args()
    os.environ.setdefault("SHUPING_DATA_DIR", tempfile.mkdtemp(prefix="jobs-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuping.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django_tasks_db.models import DBTaskResult

    from shuping.jobs.models import Job
    from shuping.jobs.services import job_start
    from shuping.orgs.models import Org, UnitType
    from shuping.orgs.services import org_create

    call_command("migrate", verbosity=0)
    root = Org.objects.filter(code="JOBS-BENCH").first() or org_create(
        actor=None, parent=None, code="JOBS-BENCH", name="压测县委", unit_type=UnitType.COUNTY, kind="committee",
        sector="", member_count=1)
    user, _ = get_user_model().objects.get_or_create(username="jobs_bench")
    print(f"database: {connection.vendor}, jobs per round: {args.jobs}")
    for workers in (1, 2):
        Job.objects.filter(created_by=user).delete()
        DBTaskResult.objects.all().delete()
        for _ in range(args.jobs):
            job_start(actor=user, kind="dashboards.export", title="压测导出",
                      params={"key": "progress", "root": root.pk, "year": 2026})
        started = time.monotonic()
        processes = [
            subprocess.Popen([sys.executable, "-m", "shuping.cli", "worker", "--batch", "--interval", "0",
                              "--no-startup-delay", "--worker-id", f"bench-{i}", "--verbosity", "0"], cwd=ROOT)
            for i in range(workers)]
        for process in processes:
            process.wait()
        seconds = time.monotonic() - started
        done = Job.objects.filter(created_by=user, status="succeeded")
        once = all(j.attempts == 1 for j in done)
        print(f"{workers} worker(s): {done.count()}/{args.jobs} succeeded in {seconds:.1f} s = "
              f"{done.count() / seconds:.1f} jobs/s; each ran once: {once}")
    Job.objects.filter(created_by=user).delete()
    DBTaskResult.objects.all().delete()


if __name__ == "__main__":
    main()

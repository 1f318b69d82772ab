"""A worker killed in the middle of a job (issue 18): the job finishes once, after a new worker
starts, with a correct result file and no effect twice.

The real cluster of tests/deployment (gunicorn nodes and `shuping worker` processes behind nginx,
on PostgreSQL). The long job is a real one: the paper ballot forms of a 32-reporter meeting, laid
out form by form. Runs on PostgreSQL only; CI runs it through scripts/test.
"""

import re
import subprocess
import time

import pytest
from django_tasks_db.models import DBTaskResult

from shuping.accounts.models import Role
from shuping.audit.models import AuditEntry
from shuping.jobs.models import Job, JobStatus
from shuping.meetings.models import PaperForm

from ..meetings.conftest import hall_with_ranking_groups
from .cluster import Browser
from .conftest import PASSWORD, node_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

FORMS = 16  # 3 pages each: long enough to be caught half-way


def _wait(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = condition()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_job_whose_worker_is_killed_finishes_once_after_a_new_worker_starts(cluster, tree):
    admin = node_user("restart_admin", Role.ADMIN, tree.county_a)
    meeting, _cards = hall_with_ranking_groups(tree, towns=20, departments=12)
    group = meeting.campaign.evaluator_groups.get(code="DB")
    office = Browser(cluster.base)
    assert office.login(admin.username, PASSWORD).status == 302

    started = office.post(f"/meetings/{meeting.pk}/paper/issue/", {"group": group.pk, "count": FORMS})
    assert started.status == 302 and started.location.startswith("/jobs/"), started.text[:300]
    job_url = started.location
    job = Job.objects.get(pk=job_url.split("/")[2])
    assert PaperForm.objects.filter(meeting=meeting).count() == FORMS

    # -- half-way through (some forms laid out), the worker running it is killed outright
    running = _wait(lambda: Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING, done__gt=0).first(), 30,
                    "the job to report progress")
    index = int(running.worker_id.removeprefix("node-")) - 1
    cluster.kill_worker(index)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and 0 < job.done < job.total, (job.status, job.done, job.total)
    page = office.get(job_url).text
    assert "进行中" in page and f"/ {FORMS + 1}）" in page and "正在排版第" in page
    time.sleep(1)
    job.refresh_from_db()
    assert job.status == JobStatus.RUNNING and job.attempts == 1  # nobody else takes it over yet

    # -- systemd starts the worker again (same worker id): it puts its orphaned job back on the queue
    cluster.start_worker(index)
    _wait(lambda: Job.objects.filter(pk=job.pk, status__in=[JobStatus.SUCCEEDED, JobStatus.FAILED]).exists(), 45,
          "the job to finish")
    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED, job.error
    assert job.attempts == 2 and job.total == FORMS + 1

    # -- once: one result file, one success, the forms issued once; the queue row of the killed run failed
    assert sorted(p.name for p in (cluster.workdir / "shared-files" / "jobs" / str(job.pk)).iterdir()) == ["result.pdf"]
    assert [row.action for row in AuditEntry.objects.filter(object_id=str(job.pk)).order_by("pk")] == [
        "job.start", "job.succeeded"]
    assert AuditEntry.objects.filter(action="meeting.paper_issue").count() == 1
    assert PaperForm.objects.filter(meeting=meeting).count() == FORMS
    # the queue marks its own row after the job function returns: wait for that, then count
    _wait(lambda: not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists(), 10,
          "the queue to record the run")
    assert sorted(DBTaskResult.objects.values_list("status", flat=True)) == ["FAILED", "SUCCESSFUL"]

    # -- the page shows it, and the file is whole: every form, each on its three pages
    page = office.get(job_url).text
    assert "已完成" in page and f"下载 纸质测评表-{group.name}.pdf" in page
    download = office.get(job_url + "download/")
    assert download.status == 200 and download.body.startswith(b"%PDF")
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=download.body, capture_output=True,
                          check=True).stdout.decode("utf-8")
    pages = [p for p in text.split("\f") if p.strip()]
    assert len(pages) == FORMS * 3
    printed = [re.search(r"表号：(\S+)", p).group(1) for p in pages]
    issued = list(PaperForm.objects.filter(meeting=meeting).order_by("form_id").values_list("form_id", flat=True))
    assert printed == [form_id for form_id in issued for _page in range(3)]

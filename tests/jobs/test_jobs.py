"""Background jobs: enqueue → progress → result → download, failures in Chinese, restart
survival, and scheduled jobs that run once across nodes."""

import threading
import time
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from shuping.audit.models import AuditEntry
from shuping.clock import now
from shuping.jobs import services
from shuping.jobs.models import Job, JobStatus, ScheduledRun
from shuping.jobs.services import JobError, JobResult, job_kind, job_start, run_once

from ..builders import make_user
from .worker import run_jobs

SEEN = {}


@job_kind("tests.two_steps")
def two_steps(job, progress):
    progress(1, 2, "第一步完成")
    # What the person watching the page sees half-way through.
    client = SEEN["client"]
    SEEN["midway"] = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    progress(2, 2, "第二步完成")
    return JobResult(f"结果：{job.params['word']}".encode(), "统计结果.txt", "text/plain; charset=utf-8")


@job_kind("tests.one_step")
def one_step(job, progress):
    return JobResult(b"ok", "结果.txt", "text/plain; charset=utf-8")


@job_kind("tests.refuses")
def refuses(job, progress):
    raise JobError("导入失败：第 3 行“组织编码”为空")


@job_kind("tests.crashes")
def crashes(job, progress):
    raise RuntimeError("boom")


@pytest.fixture
def alice(db, client):
    user = make_user("alice")
    client.force_login(user)
    return user


def test_job_runs_with_progress_then_offers_its_result_for_download(client, alice):
    SEEN["client"] = client
    job = job_start(actor=alice, kind="tests.two_steps", title="统计测试", params={"word": "完成"}, back_url="/")
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "统计测试" in page and "排队中" in page and 'hx-trigger="every 1s"' in page

    run_jobs()

    midway = SEEN["midway"]
    assert "进行中" in midway and "50%" in midway and "1 / 2" in midway and "第一步完成" in midway
    assert 'hx-trigger="every 1s"' in midway  # still polling
    done = client.get(reverse("jobs:status", args=[job.pk])).content.decode()
    assert "已完成" in done and "100%" in done and "下载 统计结果.txt" in done
    assert "hx-trigger" not in done  # polling stops
    response = client.get(reverse("jobs:download", args=[job.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).decode() == "结果：完成"
    assert "filename*=UTF-8''%E7%BB%9F%E8%AE%A1%E7%BB%93%E6%9E%9C.txt" in response["Content-Disposition"]
    assert "统计测试" in client.get(reverse("jobs:list")).content.decode()
    assert AuditEntry.objects.filter(action="job.succeeded", object_id=str(job.pk)).exists()


def test_a_refused_job_shows_its_chinese_reason(client, alice):
    job = job_start(actor=alice, kind="tests.refuses", title="导入组织")
    run_jobs()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "失败" in page and "导入失败：第 3 行“组织编码”为空" in page
    assert client.get(reverse("jobs:download", args=[job.pk])).status_code == 404


def test_a_crashed_job_shows_an_internal_error_with_its_number(client, alice):
    job = job_start(actor=alice, kind="tests.crashes", title="导出")
    run_jobs()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "程序内部错误" in page and str(job.pk)[:8] in page and "boom" not in page


def test_other_users_cannot_see_or_download_a_job(client, alice):
    SEEN["client"] = client
    job = job_start(actor=alice, kind="tests.two_steps", title="统计测试", params={"word": "秘密"})
    run_jobs()
    client.force_login(make_user("mallory"))
    for name in ("jobs:detail", "jobs:status", "jobs:download"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert "统计测试" not in client.get(reverse("jobs:list")).content.decode()


def _claim_as_killed_worker(job, worker_id, heartbeat):
    """What a worker killed mid-job leaves behind: the queue row and the job both 'running'."""
    DBTaskResult.objects.filter(id=job.task_id).update(status="RUNNING", worker_ids=[worker_id], started_at=heartbeat)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, worker_id=worker_id, attempts=1,
                                         started_at=heartbeat, heartbeat_at=heartbeat, done=1, total=2)


def test_a_job_interrupted_by_a_killed_worker_finishes_after_the_restart(client, alice):
    SEEN["client"] = client
    job = job_start(actor=alice, kind="tests.two_steps", title="统计测试", params={"word": "重启后"})
    job.refresh_from_db()
    _claim_as_killed_worker(job, "node-a", now())
    run_jobs(worker_id="node-b")  # another live node leaves a fresh running job alone
    assert Job.objects.get(pk=job.pk).status == JobStatus.RUNNING

    run_jobs(worker_id="node-a")  # the same node restarted

    job.refresh_from_db()
    assert job.status == JobStatus.SUCCEEDED and job.attempts == 2
    assert b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content).decode() == "结果：重启后"
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 0


def test_a_stale_job_of_a_dead_node_is_taken_over(client, alice):
    SEEN["client"] = client
    job = job_start(actor=alice, kind="tests.two_steps", title="统计测试", params={"word": "接管"})
    job.refresh_from_db()
    _claim_as_killed_worker(job, "node-dead", now() - services.stale_after() - timedelta(seconds=1))
    run_jobs(worker_id="node-b")
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED


def test_a_job_that_keeps_killing_its_worker_fails_with_a_message(client, alice):
    job = job_start(actor=alice, kind="tests.two_steps", title="统计测试", params={"word": "x"})
    job.refresh_from_db()
    _claim_as_killed_worker(job, "node-a", now())
    Job.objects.filter(pk=job.pk).update(attempts=services.MAX_ATTEMPTS)
    run_jobs(worker_id="node-a")
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "失败" in page and "后台处理多次中断" in page


def test_a_scheduled_job_runs_once_per_period(db):
    calls = []
    assert run_once("mark-overdue", "2026-03-02", lambda: calls.append(1) or {"n": 1}) == {"n": 1}
    assert run_once("mark-overdue", "2026-03-02", lambda: calls.append(2) or {"n": 2}) is None
    assert run_once("mark-overdue", "2026-03-03", lambda: calls.append(3) or {"n": 3}) == {"n": 3}
    assert calls == [1, 3]


def test_a_failed_scheduled_run_leaves_the_period_to_the_next_try(db):
    def fails():
        ScheduledRun.objects.create(name="side-effect", period="x", started_at=now())
        raise RuntimeError("数据库断开")

    with pytest.raises(RuntimeError):
        run_once("mark-overdue", "2026-03-02", fails)
    assert not ScheduledRun.objects.exists()  # neither the claim nor the job's writes were kept
    assert run_once("mark-overdue", "2026-03-02", lambda: {"n": 1}) == {"n": 1}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_nodes_starting_a_scheduled_job_at_once_run_it_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    ran, results = [], []
    barrier = threading.Barrier(2)

    def slow():
        ran.append(threading.get_ident())
        time.sleep(0.5)
        return {"ok": 1}

    def node():
        barrier.wait()
        try:
            results.append(run_once("mark-overdue", "2026-03-02", slow))
        finally:
            connection.close()

    threads = [threading.Thread(target=node) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(ran) == 1
    assert results.count(None) == 1 and results.count({"ok": 1}) == 1


def test_mark_overdue_on_two_nodes_the_same_day_runs_once(db, capsys):
    call_command("mark_overdue", "--date", "2026-04-01")
    call_command("mark_overdue", "--date", "2026-04-01")
    out = capsys.readouterr().out
    assert "新标记逾期 0 项" in out and "已由其他服务器或先前的运行完成，跳过" in out
    assert ScheduledRun.objects.filter(name="mark-overdue", period="2026-04-01").count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_demo_works_jobs_in_its_own_process_without_a_worker_command():
    from django_tasks.signals import task_finished

    from shuping.jobs.inprocess import start_worker_thread

    user = make_user("demo_admin")
    job = job_start(actor=user, kind="tests.matrix_free", title="演示导出")
    finished = threading.Event()

    def on_finished(sender, task_result, **kwargs):
        finished.set()

    # Only the worker thread touches the database while it runs: the tests' in-memory SQLite
    # locks tables across connections at once (the demo's file database waits instead).
    task_finished.connect(on_finished)
    worker, thread = start_worker_thread(interval=0.05)
    try:
        assert finished.wait(timeout=30)
    finally:
        task_finished.disconnect(on_finished)
        worker.running = False
        thread.join(timeout=10)
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED


@job_kind("tests.matrix_free")
def plain(job, progress):
    progress(1, 1, "完成")
    return JobResult(b"demo", "demo.txt", "text/plain")


@job_kind("tests.inside_a_transaction")
def inside_a_transaction(job, progress):
    from django.db import DEFAULT_DB_ALIAS, connections, transaction

    with transaction.atomic():
        progress(1, 2, "写入中")
        side = connections.create_connection(DEFAULT_DB_ALIAS)
        try:
            with side.cursor() as cursor:
                cursor.execute("SELECT done, step FROM jobs_job WHERE id = %s", [job.pk])
                SEEN["from_outside"] = cursor.fetchone()
        finally:
            side.close()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_progress_inside_a_long_transaction_is_visible_to_the_page_on_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    job = job_start(actor=make_user("ops"), kind="tests.inside_a_transaction", title="合成数据")
    run_jobs()
    assert SEEN["from_outside"] == (1, "写入中")
    assert Job.objects.get(pk=job.pk).status == JobStatus.SUCCEEDED


def test_job_wait_follows_a_job_to_its_end(alice):
    from shuping.jobs.services import job_wait

    job = job_start(actor=alice, kind="tests.refuses", title="导入组织")
    run_jobs()
    seen = []
    finished = job_wait(job, report=lambda j: seen.append(j.status), interval=0)
    assert finished.status == JobStatus.FAILED and seen == [JobStatus.FAILED]


def test_a_result_that_cannot_be_stored_fails_the_job_instead_of_leaving_it_running(client, alice, monkeypatch):
    from django.core.files.storage import default_storage

    SEEN["client"] = client

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(default_storage, "save", full_disk)
    job = job_start(actor=alice, kind="tests.two_steps", title="统计测试", params={"word": "x"})
    run_jobs()
    job.refresh_from_db()
    assert job.status == JobStatus.FAILED and "程序内部错误" in job.error


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind, action", [("tests.one_step", "job.succeeded"), ("tests.refuses", "job.failed")])
def test_nobody_sees_a_job_finished_before_its_audit_entry_exists(monkeypatch, kind, action):
    """An observer on another connection (the job page, an auditor's query) never sees a job
    finished without the audit entry that says how: status and entry commit together."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL")
    from django.db import DEFAULT_DB_ALIAS, connections

    alice = make_user("alice")
    job = job_start(actor=alice, kind=kind, title="审计测试")
    observed = []
    real_log = services.log_action

    def log_and_look(name, **kwargs):
        if name == action:  # the moment before the entry is written: what does everyone else see?
            other = connections.create_connection(DEFAULT_DB_ALIAS)
            try:
                with other.cursor() as cursor:
                    cursor.execute(f"SELECT status FROM {Job._meta.db_table} WHERE id = %s", [job.pk])
                    observed.append(cursor.fetchone()[0])
            finally:
                other.close()
        return real_log(name, **kwargs)

    monkeypatch.setattr(services, "log_action", log_and_look)
    run_jobs()
    job.refresh_from_db()
    assert job.status in (JobStatus.SUCCEEDED, JobStatus.FAILED)
    assert observed == [JobStatus.RUNNING]  # still running to everyone else until both are committed
    assert AuditEntry.objects.filter(action=action, object_id=str(job.pk)).count() == 1

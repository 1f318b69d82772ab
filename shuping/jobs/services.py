"""Background jobs: start one, report progress, keep its result file, recover it after a crash.

A job kind is a function registered with `@job_kind("app.name")`; it receives the Job and a
`progress(done, total, step)` callable and returns a `JobResult` (bytes + file name) or None.
Raise `JobError("中文原因")` for a failure the user should read; any other exception is logged
and shown as an internal error with the job number.
"""

import logging
import os
import socket
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connection, connections, transaction
from django.db.models import Q

from shuping.audit.services import log_action
from shuping.clock import now

from .models import Job, JobStatus, ScheduledRun

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 3
PROGRESS_EVERY_SECONDS = 0.5


class JobError(Exception):
    """A failure with a message meant for the person who started the job (Chinese).

    `details`: rows for an error table (an import's row errors), kept with the job.
    """

    def __init__(self, message: str, details: list[dict] | None = None):
        super().__init__(message)
        self.details = details or []


@dataclass
class JobResult:
    content: bytes
    filename: str
    content_type: str


KINDS: dict[str, Callable] = {}


def job_kind(name: str):
    def decorator(fn):
        KINDS[name] = fn
        return fn

    return decorator


def node_name() -> str:
    """A stable id for this worker node, so a restarted worker recognises the jobs it was running."""
    return (os.environ.get("SHUPING_WORKER_ID") or socket.gethostname())[:64]


def stale_after() -> timedelta:
    return timedelta(seconds=int(os.environ.get("SHUPING_JOB_STALE_SECONDS", "600")))


@transaction.atomic
def job_start(*, actor, kind: str, title: str, params: dict | None = None, back_url: str = "") -> Job:
    """Record the job and put it on the queue in one transaction: both exist or neither."""
    if kind not in KINDS:
        raise KeyError(f"unknown job kind {kind!r}")
    job = Job.objects.create(kind=kind, title=title, params=params or {}, created_by=actor, back_url=back_url,
                             created_at=now(), step="等待后台处理")
    _enqueue(job)
    log_action("job.start", actor=actor, object_type="jobs.job", object_id=str(job.pk), label=title,
               after={"kind": kind, "params": job.params})
    return job


def _enqueue(job: Job) -> None:
    from .tasks import run_job

    result = run_job.enqueue(str(job.pk))
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


def job_run(job_id: str, *, worker_id: str = "") -> None:
    """The body of the queue task: run the job's kind, store the result, or record the error."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id).first()
        if job is None or job.finished:
            return
        job.status, job.attempts, job.worker_id = JobStatus.RUNNING, job.attempts + 1, worker_id
        job.started_at = job.heartbeat_at = now()
        job.done, job.step = 0, "正在处理"
        job.save(update_fields=["status", "attempts", "worker_id", "started_at", "heartbeat_at", "done", "step"])
    try:
        # Storing the result is part of the job: a full disk is a failed job, not a stuck one.
        _succeed(job, KINDS[job.kind](job, _progress_for(job)))
    except JobError as exc:
        _fail(job, str(exc), exc.details)
    except Exception:
        logger.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, f"任务失败：程序内部错误，请联系系统管理员（任务编号 {str(job.pk)[:8]}）")


def _progress_for(job: Job):
    last = [0.0]
    depth = len(connection.atomic_blocks)

    def progress(done: int, total: int, step: str = "") -> None:
        # At most two writes a second: progress is for the eye, not an audit trail.
        moment = time.monotonic()
        if moment - last[0] < PROGRESS_EVERY_SECONDS and done < total:
            return
        last[0] = moment
        fields = {"done": done, "total": total, "step": step[:200] or job.step, "heartbeat_at": now()}
        if len(connection.atomic_blocks) <= depth:
            Job.objects.filter(pk=job.pk).update(**fields)
        else:
            _progress_beside_transaction(job, fields)

    return progress


def _progress_beside_transaction(job: Job, fields: dict) -> None:
    """Progress from inside a long transaction (the synthetic province writes all or nothing).

    Written on a second connection so the page sees it before the transaction commits; SQLite
    has one writer at a time, so there the bar moves when the transaction ends.
    """
    if connection.vendor != "postgresql":
        return
    side = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with side.cursor() as cursor:
            cursor.execute(
                f"UPDATE {Job._meta.db_table} SET done = %s, total = %s, step = %s, heartbeat_at = %s WHERE id = %s",
                [fields["done"], fields["total"], fields["step"], fields["heartbeat_at"], job.pk])
    finally:
        side.close()


def _succeed(job: Job, result: JobResult | None) -> None:
    fields = {"status": JobStatus.SUCCEEDED, "finished_at": now()}
    if result is not None:
        fields["step"] = "已完成"
        extension = os.path.splitext(result.filename)[1]
        path = default_storage.save(f"jobs/{job.pk}/result{extension}", ContentFile(result.content))
        fields.update(result_path=path, result_name=result.filename, content_type=result.content_type)
    # One commit: whoever sees the job finished also sees its audit entry.
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(**fields)
        log_action("job.succeeded", actor=job.created_by, object_type="jobs.job", object_id=str(job.pk),
                   label=job.title)


def _fail(job: Job, message: str, details: list[dict] | None = None) -> None:
    with transaction.atomic():
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, error=message, details=details or [],
                                             finished_at=now(), step="失败")
        log_action("job.failed", actor=job.created_by, object_type="jobs.job", object_id=str(job.pk),
                   label=job.title, after={"error": message})


def jobs_recover(*, worker_id: str) -> int:
    """Put back on the queue the jobs a killed worker left running.

    A worker restarted under the same id knows its own running jobs are orphans; jobs of any
    other worker count as orphans once their heartbeat is older than SHUPING_JOB_STALE_SECONDS.
    """
    from django_tasks_db.models import DBTaskResult

    cutoff = now() - stale_after()
    orphans = Job.objects.filter(Q(worker_id=worker_id) | Q(heartbeat_at__lt=cutoff), status=JobStatus.RUNNING)
    recovered = 0
    for job_id in orphans.values_list("pk", flat=True):
        with transaction.atomic():
            job = Job.objects.select_for_update().get(pk=job_id)
            if job.status != JobStatus.RUNNING:
                continue
            DBTaskResult.objects.filter(id=job.task_id, status="RUNNING").update(status="FAILED", finished_at=now())
            if job.attempts >= MAX_ATTEMPTS:
                job.status, job.finished_at, job.step = JobStatus.FAILED, now(), "失败"
                job.error = f"后台处理多次中断（已尝试 {job.attempts} 次），请稍后重新发起"
                job.save(update_fields=["status", "finished_at", "step", "error"])
                continue
            job.status, job.step = JobStatus.QUEUED, "后台处理中断，已重新排队"
            job.save(update_fields=["status", "step"])
            _enqueue(job)
            recovered += 1
    return recovered


def run_once(name: str, period: str, fn: Callable[[], dict]) -> dict | None:
    """Run a scheduled job once per period across every node; None when another node had it.

    The claim row and the job's writes commit together: a second node's insert waits on the
    unique key until the first commits (then it skips) or rolls back (then it runs).
    """
    with transaction.atomic():
        try:
            with transaction.atomic():
                run = ScheduledRun.objects.create(name=name, period=period, node=node_name(), started_at=now())
        except IntegrityError:
            return None
        result = fn()
        run.result = result
        run.save(update_fields=["result"])
    return result


def upload_keep(upload, folder: str = "imports") -> str:
    """Put an uploaded file where every worker node can read it; returns its storage name."""
    return default_storage.save(f"{folder}/{uuid.uuid4().hex}{os.path.splitext(upload.name or '')[1][:8]}", upload)


def upload_open(name: str):
    return default_storage.open(name, "rb")


def upload_discard(name: str) -> None:
    default_storage.delete(name)


def job_wait(job: Job, *, report, interval: float = 1.0) -> Job:
    """Follow a job from a shell until it finishes, reporting each change of progress."""
    seen = None
    while True:
        job.refresh_from_db()
        if (job.done, job.step, job.status) != seen:
            seen = (job.done, job.step, job.status)
            report(job)
        if job.finished:
            return job
        time.sleep(interval)


def result_file(job: Job):
    return default_storage.open(job.result_path, "rb")

"""Small persistent marks: the installed version, and a heartbeat per scheduled job."""

import datetime

from shuping.clock import now
from shuping.core.models import SystemMark

VERSION_MARK = "version"
JOB_PREFIX = "job:"


def mark_set(name: str, value: str = "") -> None:
    SystemMark.objects.update_or_create(name=name, defaults={"value": value, "updated_at": now()})


def mark_get(name: str) -> SystemMark | None:
    return SystemMark.objects.filter(name=name).first()


def job_ran(job: str) -> None:
    """Called at the end of every scheduled job, so `shuping doctor` can tell a cron that stopped."""
    mark_set(JOB_PREFIX + job)


def job_last_run(job: str) -> datetime.datetime | None:
    mark = mark_get(JOB_PREFIX + job)
    return mark.updated_at if mark else None

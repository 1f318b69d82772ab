"""Exports and imports a user starts in the browser, run as background jobs (see shuping.jobs).

The view checks permission and scope as before, then `export_start` / `import_start` record the
job and redirect to its progress page. The job kind runs later on a worker, as the person who
started it: `as_starter` rebuilds that person's scope as it is *then*, so a role revoked in
between fails the job instead of exporting what they may no longer see.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, QueryDict
from django.shortcuts import redirect

from .http import error_text
from .xlsx import ImportFailed, WorkbookError


def export_start(request, *, kind: str, title: str, params: dict, back_url: str = ""):
    """Start an export job; the query string goes along so the job applies the same filters."""
    from shuping.jobs.services import job_start

    params = {**params, "query": request.GET.urlencode()}
    job = job_start(actor=request.user, kind=kind, title=title, params=params, back_url=back_url)
    return redirect("jobs:detail", job.pk)


def import_start(request, upload, *, kind: str, title: str, params: dict, back_url: str = ""):
    """Keep the upload where every worker node can read it and start the import job."""
    from shuping.jobs.services import job_start, upload_keep

    params = {**params, "upload": upload_keep(upload), "file_name": upload.name or ""}
    job = job_start(actor=request.user, kind=kind, title=f"{title}：{upload.name}", params=params,
                    back_url=back_url)
    return redirect("jobs:detail", job.pk)


def job_query(job) -> QueryDict:
    """The query string of the page the job was started from (filters, version …)."""
    return QueryDict(job.params.get("query", ""))


@contextmanager
def as_starter(job, permission: str | None, *, failure: str) -> Iterator:
    """The starter's scope now; objects gone or out of scope fail the job with a Chinese reason.

    `failure` starts the message: "导出失败" / "导入失败".
    """
    from shuping.accounts.scope import UserScope
    from shuping.jobs.services import JobError

    user = job.created_by
    if user is None or not user.is_active:
        raise JobError(f"{failure}：发起任务的账号已不存在或已停用")
    scope = UserScope(user)
    if permission is not None and not scope.has(permission):
        raise JobError(f"{failure}：你已没有此项权限，请联系管理员")
    try:
        yield scope
    except Http404 as exc:
        raise JobError(f"{failure}：要处理的内容已不存在，或已不在你的管理范围内") from exc
    except PermissionDenied as exc:
        raise JobError(f"{failure}：你已没有此项权限，请联系管理员") from exc


def import_run(job, progress, do_import: Callable, describe: Callable[[object], str]) -> None:
    """The body of an import job: run the all-or-nothing importer on the kept upload.

    `do_import(handle, max_bytes)` validates every row before it writes (ImportFailed → nothing
    written); its row errors become the job's error table. An importer may report finer progress
    of its own between the first step and the summary. The upload is removed once the job has
    an outcome; a worker killed half-way leaves it for the retry.
    """
    from shuping.jobs.services import JobError, upload_discard, upload_open

    name = job.params["upload"]
    progress(0, 1, "正在读取并校验全部行（全部无误后一次写入）")
    try:
        with upload_open(name) as handle:
            result = do_import(handle, settings.SHUPING_IMPORT_MAX_BYTES)
    except FileNotFoundError as exc:
        raise JobError("导入失败：上传的文件已不存在，请重新上传") from exc
    except WorkbookError as exc:
        upload_discard(name)
        raise JobError(f"导入失败：{exc}") from exc
    except ImportFailed as exc:
        upload_discard(name)
        raise JobError(str(exc), [asdict(e) for e in exc.errors]) from exc
    except ValidationError as exc:
        upload_discard(name)
        raise JobError(f"导入失败：{error_text(exc)}") from exc
    upload_discard(name)
    progress(1, 1, describe(result))


def counted(items: list, progress, step: str):
    """Yield `items`, reporting "step（n/total）" as each is reached; the writer consumes them lazily."""
    total = len(items)
    for index, item in enumerate(items):
        progress(index, total + 1, f"{step}（{index + 1}/{total}）")
        yield item
    progress(total, total + 1, "正在保存文件")

"""A large org/people workbook (a province's tree) is imported as a background job."""

from dataclasses import asdict

from django.conf import settings
from django.core.exceptions import ValidationError

from shuping.core.http import error_text
from shuping.core.xlsx import ImportFailed, WorkbookError
from shuping.jobs.services import JobError, job_kind, upload_discard, upload_open

from . import excel


@job_kind("orgs.import")
def import_orgs(job, progress) -> None:
    name = job.params["upload"]
    progress(0, 1, "正在校验全部行（全部无误后一次写入）")
    try:
        with upload_open(name) as handle:
            summary = excel.import_workbook(handle, actor=job.created_by, allowed_paths=job.params["allowed"],
                                            max_bytes=settings.SHUPING_IMPORT_MAX_BYTES)
    except FileNotFoundError as exc:
        raise JobError("导入失败：上传的文件已不存在，请重新上传") from exc
    except WorkbookError as exc:
        raise JobError(str(exc)) from exc
    except ImportFailed as exc:
        raise JobError(str(exc), [asdict(e) for e in exc.errors]) from exc
    except ValidationError as exc:
        raise JobError(error_text(exc)) from exc
    else:
        upload_discard(name)
    progress(1, 1, summary.describe())

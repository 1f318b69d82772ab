"""A large org/people workbook (a province's tree) is imported as a background job."""

from shuping.core.background import as_starter, import_run
from shuping.jobs.services import job_kind

from . import excel


@job_kind("orgs.import")
def import_orgs(job, progress) -> None:
    with as_starter(job, "org.manage", failure="导入失败") as scope:
        # The rows are checked against the importer's scope as it is when the job runs.
        allowed = None if job.created_by.is_superuser else scope.paths("org.manage")
        import_run(job, progress, lambda handle, max_bytes: excel.import_workbook(
            handle, actor=job.created_by, allowed_paths=allowed, max_bytes=max_bytes), lambda summary: summary.describe())

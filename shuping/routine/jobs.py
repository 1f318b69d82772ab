"""日常考核 imports (月度评分, 责任清单) as background jobs (see shuping.jobs)."""

from shuping.core.background import as_starter, import_run
from shuping.jobs.services import job_kind

from . import excel, selectors


@job_kind("routine.scores_import")
def scores_import(job, progress) -> None:
    params = job.params
    with as_starter(job, "routine.manage", failure="导入失败") as scope:
        organiser = selectors.organiser_for(scope, params["organiser"], "routine.manage")
        import_run(job, progress, lambda handle, max_bytes: excel.scores_import(
            handle, actor=job.created_by, organiser=organiser, year=params["year"], month=params["month"],
            max_bytes=max_bytes), lambda summary: summary.describe())


@job_kind("routine.responsibilities_import")
def responsibilities_import(job, progress) -> None:
    params = job.params
    with as_starter(job, "routine.manage", failure="导入失败") as scope:
        organiser = selectors.organiser_for(scope, params["organiser"], "routine.manage")
        import_run(job, progress, lambda handle, max_bytes: excel.responsibilities_import(
            handle, actor=job.created_by, organiser=organiser, year=params["year"], max_bytes=max_bytes),
            lambda count: f"已导入 {count} 项责任清单事项")

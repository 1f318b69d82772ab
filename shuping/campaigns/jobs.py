"""Campaign exports (指标体系, 结果) and imports (指标体系, 测评票) as background jobs (see shuping.jobs)."""

from shuping.core.background import as_starter, import_run, job_query
from shuping.core.http import XLSX_TYPE
from shuping.jobs.services import JobError, JobResult, job_kind

from . import excel, selectors


@job_kind("campaigns.rubric_export")
def rubric_export(job, progress) -> JobResult:
    with as_starter(job, "campaign.view", failure="导出失败") as scope:
        campaign = selectors.campaign_for(scope, job.params["campaign"])
    progress(0, 1, "正在写入指标体系")
    return JobResult(excel.rubric_export(campaign), f"{campaign.title}指标体系.xlsx", XLSX_TYPE)


@job_kind("campaigns.results_export")
def results_export(job, progress) -> JobResult:
    """The same version and the same rows the results page showed its starter (checked again now)."""
    with as_starter(job, "campaign.view", failure="导出失败") as scope:
        campaign = selectors.campaign_for(scope, job.params["campaign"])
        sees_everything = selectors.sees_everything(scope, campaign)
        version = selectors.result_version_for(campaign, job_query(job).get("version", ""), sees_everything)
    if version is None and not sees_everything:
        raise JobError("导出失败：结果尚未发布")
    row_filter = None if sees_everything else (lambda rows: selectors.participant_rows(scope, campaign, rows))
    content, table = excel.results_export(campaign, version, row_filter=row_filter, progress=progress)
    return JobResult(content, excel.results_filename(campaign, table), XLSX_TYPE)


@job_kind("campaigns.rubric_import")
def rubric_import(job, progress) -> None:
    with as_starter(job, "campaign.manage", failure="导入失败") as scope:
        campaign = selectors.campaign_for(scope, job.params["campaign"], "campaign.manage")
        import_run(job, progress, lambda handle, max_bytes: excel.rubric_import(
            handle, actor=job.created_by, campaign=campaign, max_bytes=max_bytes), lambda count: f"已导入 {count} 个指标")


@job_kind("campaigns.ballots_import")
def ballots_import(job, progress) -> None:
    with as_starter(job, "campaign.manage", failure="导入失败") as scope:
        campaign = selectors.campaign_for(scope, job.params["campaign"], "campaign.manage")
        import_run(job, progress, lambda handle, max_bytes: excel.ballots_import(
            handle, actor=job.created_by, campaign=campaign, max_bytes=max_bytes, note=job.params["file_name"],
            progress=progress), lambda summary: summary.describe())

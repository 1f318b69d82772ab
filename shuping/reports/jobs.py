"""Report exports that run as background jobs (see shuping.jobs)."""

from shuping.campaigns.models import Campaign
from shuping.core.background import as_starter
from shuping.core.http import DOCX_TYPE
from shuping.jobs.services import JobError, JobResult, job_kind

from . import exports, selectors


def _campaign(job, scope) -> Campaign:
    """The campaign as its starter may still manage it when the job runs (a role revoked or the
    campaign out of scope in between fails the job)."""
    if not Campaign.objects.filter(pk=job.params.get("campaign")).exists():
        raise JobError("导出失败：该考核已被删除")
    campaign = selectors.campaign_for(scope, job.params["campaign"], "campaign.manage")
    if not exports.approved_count(campaign):
        raise JobError("导出失败：还没有审核通过的述职报告")
    return campaign


@job_kind("reports.docx_bundle")
def docx_bundle(job, progress) -> JobResult:
    with as_starter(job, "campaign.manage", failure="导出失败") as scope:
        campaign = _campaign(job, scope)
        return JobResult(exports.docx_bundle(campaign, progress), f"{campaign.title}-述职报告汇编.docx", DOCX_TYPE)


@job_kind("reports.pdf_archive")
def pdf_archive(job, progress) -> JobResult:
    with as_starter(job, "campaign.manage", failure="导出失败") as scope:
        campaign = _campaign(job, scope)
        return JobResult(exports.pdf_archive(campaign, progress), f"{campaign.title}-述职报告存档.pdf",
                         "application/pdf")

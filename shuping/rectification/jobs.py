"""The 整改清单 and 点评 exports and the 问题清单 import, as background jobs (see shuping.jobs)."""

from django.shortcuts import get_object_or_404

from shuping.campaigns.models import Campaign
from shuping.core.background import as_starter, counted, import_run, job_query
from shuping.core.http import DOCX_TYPE, XLSX_TYPE
from shuping.jobs.services import JobResult, job_kind

from . import excel, exports, ledger, selectors
from .models import Critique


def _ledger(job, progress):
    with as_starter(job, "problem.view", failure="导出失败") as scope:
        query = job_query(job)
        progress(0, 1, "正在筛选整改清单")
        _form, queryset, campaign = ledger.filtered_rectifications(scope, query)
        title = ledger.export_title(scope, query, campaign)
        rows = list(selectors.ledger(queryset))
    return title, counted(rows, progress, "正在写入整改清单")


@job_kind("rectification.ledger_xlsx")
def ledger_xlsx(job, progress) -> JobResult:
    title, rows = _ledger(job, progress)
    return JobResult(exports.ledger_xlsx(rows, title="整改清单"), f"{title}.xlsx", XLSX_TYPE)


@job_kind("rectification.ledger_docx")
def ledger_docx(job, progress) -> JobResult:
    title, rows = _ledger(job, progress)
    return JobResult(exports.ledger_docx(rows, title=title), f"{title}.docx", DOCX_TYPE)


@job_kind("rectification.critiques_docx")
def critiques_docx(job, progress) -> JobResult:
    with as_starter(job, "campaign.view", failure="导出失败") as scope:
        campaign = get_object_or_404(Campaign.objects.filter(organiser__in=scope.orgs("campaign.view")),
                                     pk=job.params["campaign"])
    critiques = Critique.objects.filter(participant__campaign=campaign).select_related(
        "participant__campaign__organiser", "participant__org", "participant__secretary").order_by(
        "participant__agenda_order", "participant__pk")
    content = exports.critique_docx(critiques, progress=progress)
    return JobResult(content, f"{campaign.title}点评意见.docx", DOCX_TYPE)


@job_kind("rectification.import")
def import_problems(job, progress) -> None:
    with as_starter(job, "problem.manage", failure="导入失败") as scope:
        campaign = None
        if job.params.get("campaign"):
            # The same choice the form offered: campaigns organised within the importer's scope.
            campaign = get_object_or_404(Campaign.objects.filter(organiser__in=scope.orgs("problem.manage")),
                                         pk=job.params["campaign"])
        allowed = None if job.created_by.is_superuser else scope.paths("problem.manage")
        import_run(job, progress, lambda handle, max_bytes: excel.import_problems(
            handle, actor=job.created_by, allowed_paths=allowed, campaign=campaign, max_bytes=max_bytes),
            lambda count: f"已导入 {count} 个问题")

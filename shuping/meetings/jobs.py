"""Paper ballot forms are laid out as a background job: a county's forms take minutes (see pdf.py).

Card PDFs are not: they carry the cards' secrets, which exist only in the response that issues
them (docs/threat-model.md: 评议卡 PDF 打印后即删除), so they are never stored as a job result.
"""

from shuping.core.background import as_starter
from shuping.jobs.services import JobError, JobResult, job_kind

from . import pdf, selectors


@job_kind("meetings.paper_forms")
def paper_forms(job, progress) -> JobResult:
    with as_starter(job, "meeting.run", failure="生成失败") as scope:
        meeting = selectors.meeting_for(scope, job.params["meeting"])
    forms = meeting.paper_forms.select_related("group")
    if job.params.get("forms") is not None:
        forms = forms.filter(pk__in=job.params["forms"])
    forms = list(forms)
    if not forms:
        raise JobError("生成失败：这些纸质测评表已不存在")
    return JobResult(pdf.paper_forms_pdf(meeting, forms, progress), job.params["file_name"], "application/pdf")

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_http_methods, require_POST

from shuping.accounts.decorators import requires
from shuping.core.http import error_text
from shuping.core.panels import run_report_checks
from shuping.jobs.services import job_start

from . import exports, selectors, services
from .documents import DocumentRejected, blocks_to_editor, parse_editor_text, read_upload
from .forms import EditorForm, LevelFormSet, PlanForm, ReviewForm, UploadForm, reviewer_groups, reviewer_users
from .models import Report, ReportState, ReviewLevel, VersionSource
from .render import MARK_KINDS, diff_rows, diff_stats, finding_spans, highlight_html, plain_html


def _report(participant) -> Report | None:
    return Report.objects.filter(participant=participant).first()


@requires("report.view")
def index(request):
    scope = request.scope
    context = {
        "mine": selectors.my_participants(scope),
        "queue": selectors.review_queue(scope, request.user) if scope.has("report.review") else [],
        "campaigns": selectors.campaigns_visible(scope).select_related("organiser")[:50],
    }
    return render(request, "reports/index.html", context)


@requires("report.view")
def campaign(request, pk):
    campaign = selectors.campaign_for(request.scope, pk)
    levels = list(campaign.review_levels.select_related("assignee", "reviewer_org"))
    context = {
        "campaign": campaign,
        "participants": selectors.reports_of_campaign(campaign),
        "members": selectors.member_reports_of_campaign(campaign),
        "levels": levels,
        "plan": services.review_plan_get(campaign),
        "overdue_submissions": selectors.overdue_submissions(campaign),
        "overdue_reviews": selectors.overdue_reviews(campaign),
        "can_manage": request.scope.covers(campaign.organiser, "campaign.manage"),
        "approved": exports.approved_count(campaign),
        "default_levels": services.DEFAULT_LEVELS,
        "campaign_url": _campaign_url(campaign),
    }
    return render(request, "reports/campaign.html", context)


def _campaign_url(campaign) -> str | None:
    """The campaigns app's page, when that app provides it."""
    try:
        return reverse("campaigns:detail", kwargs={"pk": campaign.pk})
    except NoReverseMatch:
        return None


@requires("campaign.manage")
@require_http_methods(["GET", "POST"])
def chain(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    users = reviewer_users(campaign)
    plan = services.review_plan_get(campaign)
    levels = list(campaign.review_levels.all())
    initial = (
        [{"name": lv.name, "deadline_days": lv.deadline_days, "assignee": lv.assignee,
          "reviewer_group": f"{lv.reviewer_role}@{lv.reviewer_org_id}" if lv.reviewer_role else ""} for lv in levels]
        or [{"name": name, "deadline_days": days} for name, days in services.DEFAULT_LEVELS]
    )
    editable = services.chain_editable(campaign)
    formset = LevelFormSet(request.POST or None, initial=initial, prefix="level",
                           form_kwargs={"users": users, "groups": reviewer_groups(campaign)})
    plan_form = PlanForm(request.POST or None, initial={
        "submission_deadline": plan.submission_deadline, "resubmit_from": plan.resubmit_from,
        "separate_levels": plan.separate_levels,
    })
    if request.method == "POST" and formset.is_valid() and plan_form.is_valid():
        rows = [f.cleaned_data for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE") and f.cleaned_data.get("name")]
        try:
            services.review_chain_set(actor=request.user, campaign=campaign, levels=rows, **plan_form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"审核流程已保存：共 {len(rows)} 级")
            return redirect("reports:campaign", campaign.pk)
    return render(request, "reports/chain.html", {
        "campaign": campaign, "formset": formset, "plan_form": plan_form, "editable": editable,
    })


def _start_export(request, pk, kind: str, label: str):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    if not exports.approved_count(campaign):
        messages.error(request, "还没有审核通过的述职报告，无法导出")
        return redirect("reports:campaign", campaign.pk)
    job = job_start(actor=request.user, kind=kind, title=f"{campaign.title}：{label}",
                    params={"campaign": campaign.pk}, back_url=reverse("reports:campaign", args=[campaign.pk]))
    return redirect("jobs:detail", job.pk)


@requires("campaign.manage")
@require_POST
def export_docx(request, pk):
    return _start_export(request, pk, "reports.docx_bundle", "导出述职报告汇编（Word）")


@requires("campaign.manage")
@require_POST
def export_pdf(request, pk):
    return _start_export(request, pk, "reports.pdf_archive", "导出述职报告存档（PDF）")


@requires("report.view")
def detail(request, pk):
    participant = selectors.participant_for(request.scope, pk)
    report = _report(participant)
    versions = list(report.versions.select_related("created_by")) if report else []
    latest = versions[0] if versions else None
    actions = list(report.actions.select_related("version").prefetch_related("passages")) if report else []
    comments = [p for a in actions for p in a.passages.all() if latest and p.version_id == latest.pk]
    scope = request.scope
    level = (
        ReviewLevel.objects.filter(campaign=participant.campaign, order=report.current_level).first()
        if report and report.state == ReportState.SUBMITTED else None
    )
    context = {
        "participant": participant,
        "report": report,
        "versions": versions,
        "latest": latest,
        "latest_html": plain_html(latest.text, comments) if latest else "",
        "actions": actions,
        "can_write": scope.covers(participant.org, "report.write"),
        "can_review": services.may_review(scope, request.user, report, level),
        "can_open_review": scope.covers(participant.campaign.organiser, "report.review"),
        "campaign_open": participant.campaign.state in services.WRITABLE_CAMPAIGN_STATES,
        "level": level,
    }
    return render(request, "reports/detail.html", context)


@requires("report.write")
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    participant = selectors.participant_for(request.scope, pk, "report.write")
    report = _report(participant)
    latest = report.latest_version() if report else None
    form = EditorForm(request.POST or None, initial={"content": blocks_to_editor(latest.blocks) if latest else ""})
    if request.method == "POST" and form.is_valid():
        blocks = parse_editor_text(form.cleaned_data["content"])
        try:
            version = services.report_save(actor=request.user, participant=participant, blocks=blocks,
                                           source=VersionSource.EDITOR)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已保存为第 {version.number} 版")
            return redirect("reports:detail", participant.pk)
    return render(request, "reports/edit.html", {"participant": participant, "report": report, "form": form})


@requires("report.write")
@require_http_methods(["GET", "POST"])
def upload(request, pk):
    participant = selectors.participant_for(request.scope, pk, "report.write")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            blocks = read_upload(upload_file.read(), upload_file.name)
            version = services.report_save(actor=request.user, participant=participant, blocks=blocks,
                                           source=VersionSource.UPLOAD, filename=upload_file.name)
        except DocumentRejected as exc:
            form.add_error("file", str(exc))
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已上传并保存为第 {version.number} 版")
            return redirect("reports:detail", participant.pk)
    report = _report(participant)
    latest = report.versions.first() if report else None
    # An upload becomes a new version made from the file alone: say so when it would set aside
    # text written online, before the person chooses the file.
    online = latest if latest is not None and latest.source == VersionSource.EDITOR else None
    return render(request, "reports/upload.html", {"participant": participant, "form": form, "online": online})


@requires("report.write")
@require_POST
def submit(request, pk):
    participant = selectors.participant_for(request.scope, pk, "report.write")
    try:
        report = services.report_submit(actor=request.user, participant=participant)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已提交，{report.state_label}")
    return redirect("reports:detail", participant.pk)


@requires("report.review")
@require_http_methods(["GET", "POST"])
def review(request, pk):
    participant = selectors.participant_for(request.scope, pk, "report.review")
    report = _report(participant)
    version = (report.submitted_version or report.latest_version()) if report else None
    if report and report.state == ReportState.APPROVED:
        version = report.approved_version
    level = (
        ReviewLevel.objects.filter(campaign=participant.campaign, order=report.current_level).first()
        if report and report.state == ReportState.SUBMITTED else None
    )
    can_act = services.may_review(request.scope, request.user, report, level) and (
        participant.campaign.state in services.WRITABLE_CAMPAIGN_STATES
    )
    form = ReviewForm(request.POST or None, initial={"level": level.order if level else 0})
    if request.method == "POST" and form.is_valid():
        try:
            services.report_review(
                actor=request.user, scope=request.scope, participant=participant,
                level_order=form.cleaned_data["level"], decision=form.cleaned_data["decision"],
                comment=form.cleaned_data["comment"], passages=form.passages(),
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已办理：" + ("审核通过" if form.cleaned_data["decision"] == "approve" else "退回修改"))
            return redirect("reports:detail", participant.pk)
    analysis = selectors.analysis_for(version, participant) if version else None
    comments = list(version.passages.all()) if version else []
    spans = finding_spans(analysis) if analysis else []
    spans += [("comment", c.start, c.end, f"批注：{c.comment}") for c in comments]
    extra_spans, check_panels = run_report_checks(request, participant, version, analysis) if analysis else ([], [])
    spans += extra_spans
    context = {
        "check_panels": check_panels,
        "participant": participant, "report": report, "version": version, "level": level, "can_act": can_act,
        "form": form, "analysis": analysis, "legend": MARK_KINDS.values(),
        "html": highlight_html(version.text, spans) if version else "",
        "levels": list(participant.campaign.review_levels.all()),
        "actions": list(report.actions.prefetch_related("passages")) if report else [],
    }
    if analysis:
        context["unanswered"] = [p for p in analysis["prior_problems"] if not p["answered"]]
        context["missing_topics"] = [t["topic"] for t in analysis["topics"] if not t["covered"]]
    return render(request, "reports/review.html", context)


@requires("report.view")
def version(request, pk, number):
    participant = selectors.participant_for(request.scope, pk)
    report = _report(participant)
    item = report.versions.filter(number=number).first() if report else None
    if item is None:
        raise Http404
    comments = list(item.passages.all())
    return render(request, "reports/version.html", {
        "participant": participant, "report": report, "version": item, "html": plain_html(item.text, comments),
        "comments": comments,
    })


@requires("report.view")
def diff(request, pk):
    participant = selectors.participant_for(request.scope, pk)
    report = _report(participant)
    versions = list(report.versions.all()) if report else []
    by_number = {v.number: v for v in versions}
    try:
        a = int(request.GET.get("a") or (versions[1].number if len(versions) > 1 else 0))
        b = int(request.GET.get("b") or (versions[0].number if versions else 0))
    except ValueError:
        a = b = 0
    old, new = by_number.get(a), by_number.get(b)
    rows = diff_rows(old.text, new.text) if old and new else []
    return render(request, "reports/diff.html", {
        "participant": participant, "versions": versions, "old": old, "new": new, "rows": rows,
        "stats": diff_stats(rows),
    })

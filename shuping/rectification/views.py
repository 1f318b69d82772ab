from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from shuping.accounts.decorators import requires
from shuping.campaigns.models import Campaign, Participant
from shuping.clock import today
from shuping.core.background import export_start, import_start
from shuping.core.http import DOCX_TYPE, error_text, file_response, xlsx_response
from shuping.orgs.models import Org, Person

from . import drafting, excel, exports, ledger, selectors, services, similarity
from .evidence import open_evidence
from .forms import (
    ClusterForm,
    CommonProblemForm,
    CritiqueForm,
    ImportForm,
    PlanForm,
    ProblemForm,
    ProgressForm,
    ReasonForm,
    SpotCheckForm,
    SpotResultForm,
    VerifyForm,
)
from .models import OPEN_STATUSES, Critique, SpotCheckItem, Status


def _org_choices(scope, permission: str):
    return ledger.org_choices(scope, permission)


def _scope_org(request, permission: str = "problem.view") -> Org | None:
    return ledger.scope_org(request.scope, request.GET, permission)


# ---- problem list ----------------------------------------------------------------------------


def _filtered_rectifications(request):
    return ledger.filtered_rectifications(request.scope, request.GET)


@requires("problem.view")
def problems(request):
    form, queryset, campaign = _filtered_rectifications(request)
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("pk")))
    rows = selectors.ledger(queryset)[:500]
    context = {
        "form": form, "rows": rows, "campaign": campaign, "query": request.GET.urlencode(),
        "counts": [(Status(value).label, counts.get(value, 0)) for value in Status.values],
        "total": sum(counts.values()), "can_manage": request.scope.has("problem.manage"),
    }
    return render(request, "rectification/problems.html", context)


@requires("problem.manage")
@require_http_methods(["GET", "POST"])
def problem_create(request):
    orgs = _org_choices(request.scope, "problem.manage")
    form = ProblemForm(request.POST or None, orgs=orgs, initial={"found_on": today()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        request.scope.require(data["org"], "problem.manage")
        try:
            problem = services.problem_create(actor=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已登记问题，请制定整改方案")
            return redirect("rectification:problem", problem.pk)
    return render(request, "rectification/problem_form.html", {"form": form, "title": "登记问题"})


@requires("problem.manage")
@require_http_methods(["GET", "POST"])
def problem_edit(request, pk):
    problem = selectors.problem_for(request.scope, pk, "problem.manage")
    initial = {name: getattr(problem, name) for name in ["org", "description", "category", "severity", "source",
                                                       "source_document", "found_on"]}
    form = ProblemForm(request.POST or None, orgs=Org.objects.filter(pk=problem.org_id), initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("org")
        try:
            services.problem_update(actor=request.user, problem=problem, **data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已保存")
            return redirect("rectification:problem", problem.pk)
    return render(request, "rectification/problem_form.html", {"form": form, "title": "修改问题", "problem": problem})


def _people_for(org: Org):
    ids = [*org.ancestor_ids(), *org.subtree().values_list("pk", flat=True)[:500]]
    return Person.objects.filter(memberships__org__in=ids).distinct().order_by("name")


def _rect_context(request, rect):
    scope = request.scope
    org = rect.org
    can = {
        "plan": scope.covers(org, "problem.manage") and rect.status != Status.CLOSED,
        "progress": scope.covers(org, "rectification.update") and rect.status not in (Status.CLOSED, Status.PENDING),
        "verify": scope.covers(org, "rectification.verify") and rect.status == Status.PENDING,
        "reopen": scope.covers(org, "rectification.verify") and rect.status == Status.CLOSED,
    }
    can["apply"] = can["progress"]
    plan_form = PlanForm(people=_people_for(org), initial={"owner": rect.owner_id, "measures": rect.measures,
                                                           "deadline": rect.deadline})
    return {
        "rect": rect, "can": can, "plan_form": plan_form, "progress_form": ProgressForm(), "verify_form": VerifyForm(),
        "reason_form": ReasonForm(),
        "progress": rect.progress.select_related("author").prefetch_related("evidence"),
        "changes": rect.changes.select_related("actor"),
        "verifications": rect.verifications.select_related("actor"),
        "max_mb": int(getattr(settings, "SHUPING_EVIDENCE_MAX_BYTES", 10 * 1024 * 1024)) // (1024 * 1024),
    }


@requires("problem.view")
def problem_detail(request, pk):
    problem = selectors.problem_for(request.scope, pk)
    context = _rect_context(request, problem.rectification)
    context.update({
        "problem": problem,
        "can_edit": request.scope.covers(problem.org, "problem.manage") and problem.rectification.status != Status.CLOSED,
        "carry_overs": problem.carry_overs.select_related("campaign"),
    })
    return render(request, "rectification/problem_detail.html", context)


def _back(rect):
    if rect.problem_id:
        return redirect("rectification:problem", rect.problem_id)
    return redirect("rectification:common_detail", rect.common_id)


def _act(request, pk, permission, action):
    rect = selectors.rectification_for(request.scope, pk, permission)
    try:
        message = action(rect)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, message)
    return _back(rect)


@requires("problem.manage")
@require_POST
def rect_plan(request, pk):
    rect = selectors.rectification_for(request.scope, pk, "problem.manage")
    form = PlanForm(request.POST, people=_people_for(rect.org))
    if not form.is_valid():
        messages.error(request, "整改方案填写不完整：" + "；".join(e for errors in form.errors.values() for e in errors))
        return _back(rect)
    return _act(request, pk, "problem.manage", lambda r: (
        services.rectification_plan(actor=request.user, rectification=r, **form.cleaned_data), "已保存整改方案")[1])


@requires("rectification.update")
@require_POST
def rect_progress(request, pk):
    form = ProgressForm(request.POST, request.FILES)
    rect = selectors.rectification_for(request.scope, pk, "rectification.update")
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return _back(rect)
    return _act(request, pk, "rectification.update", lambda r: (
        services.progress_add(actor=request.user, rectification=r, text=form.cleaned_data["text"],
                              files=form.cleaned_data["files"]), "已报告整改进展")[1])


@requires("rectification.update")
@require_POST
def rect_apply(request, pk):
    note = request.POST.get("reason", "")
    return _act(request, pk, "rectification.update", lambda r: (
        services.rectification_apply_close(actor=request.user, rectification=r, note=note), "已申请销号，等待核验")[1])


@requires("rectification.verify")
@require_POST
def rect_verify(request, pk):
    form = VerifyForm(request.POST)
    rect = selectors.rectification_for(request.scope, pk, "rectification.verify")
    if not form.is_valid():
        messages.error(request, "请选择核验结论")
        return _back(rect)
    approve = form.cleaned_data["decision"] == "approve"
    return _act(request, pk, "rectification.verify", lambda r: (
        services.rectification_verify(actor=request.user, rectification=r, approve=approve,
                                      comment=form.cleaned_data["comment"]),
        "核验通过，已销号" if approve else "已退回整改")[1])


@requires("rectification.verify")
@require_POST
def rect_reopen(request, pk):
    reason = request.POST.get("reason", "")
    return _act(request, pk, "rectification.verify", lambda r: (
        services.rectification_reopen(actor=request.user, rectification=r, reason=reason), "已重新打开")[1])


@requires("problem.view")
def evidence_download(request, pk):
    item = selectors.evidence_for(request.scope, pk)
    try:
        handle = open_evidence(item.stored_name)
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, content_type=item.content_type, as_attachment=True, filename=item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# ---- import / export -------------------------------------------------------------------------


@requires("problem.manage")
@require_http_methods(["GET", "POST"])
def problem_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    campaigns = Campaign.objects.filter(organiser__in=request.scope.orgs("problem.manage")).order_by("-year")[:50]
    if request.method == "POST" and form.is_valid():
        campaign = None
        if request.POST.get("campaign", "").isdigit():
            campaign = get_object_or_404(campaigns.model.objects.filter(pk__in=[c.pk for c in campaigns]),
                                         pk=int(request.POST["campaign"]))
        return import_start(request, form.cleaned_data["file"], kind="rectification.import", title="导入问题清单",
                            params={"campaign": campaign.pk if campaign else None},
                            back_url=reverse("rectification:problems"))
    return render(request, "rectification/import.html", {"form": form, "campaigns": campaigns})


@requires("problem.manage")
def problem_template(request):
    return xlsx_response(excel.template_workbook(), "问题清单导入模板.xlsx")


def _start_ledger_export(request, kind: str, label: str):
    # Checked now as before (a campaign or org outside the scope is a 404); the job checks again.
    _, _queryset, campaign = _filtered_rectifications(request)
    title = ledger.export_title(request.scope, request.GET, campaign)
    return export_start(request, kind=kind, title=f"导出{title}（{label}）", params={},
                        back_url=f"{reverse('rectification:problems')}?{request.GET.urlencode()}")


@requires("problem.view")
@require_POST
def export_xlsx(request):
    return _start_ledger_export(request, "rectification.ledger_xlsx", "Excel")


@requires("problem.view")
@require_POST
def export_docx(request):
    return _start_ledger_export(request, "rectification.ledger_docx", "Word")


# ---- overdue, reminders ----------------------------------------------------------------------


@requires("problem.view")
def overdue(request):
    org = _scope_org(request)
    days = services.due_soon_days()
    context = {
        "org": org, "days": days, "orgs": _org_choices(request.scope, "problem.view")[:2000],
        "overdue": selectors.overdue(request.scope, org)[:500],
        "due_soon": selectors.due_soon(request.scope, org, days)[:500],
    }
    return render(request, "rectification/overdue.html", context)


@requires("problem.view")
def reminders(request):
    org = _scope_org(request)
    context = {
        "org": org, "orgs": _org_choices(request.scope, "problem.view")[:2000],
        "mine": selectors.reminders_for_user(request.user, today()),
        "reminders": selectors.reminders(request.scope, org)[:500],
    }
    return render(request, "rectification/reminders.html", context)


# ---- common problems -------------------------------------------------------------------------


@requires("problem.view")
def common_list(request):
    scope = request.scope
    orgs = _org_choices(scope, "problem.view")
    form = ClusterForm(request.GET or None, orgs=orgs, initial={"threshold": similarity.DEFAULT_THRESHOLD, "open_only": True})
    clusters = []
    elapsed = None
    if request.GET and form.is_valid():
        import time

        data = form.cleaned_data
        queryset = selectors.within(selectors.visible_problems(scope).filter(common__isnull=True), data["org"])
        if data["category"]:
            queryset = queryset.filter(category=data["category"])
        if data["open_only"]:
            queryset = queryset.filter(rectification__status__in=OPEN_STATUSES)
        problems_by_id = {p.pk: p for p in queryset.select_related("org")[:5000]}
        started = time.perf_counter()
        found = similarity.cluster({pk: p.description for pk, p in problems_by_id.items()}, float(data["threshold"]))
        elapsed = round((time.perf_counter() - started) * 1000)
        for group in found:
            members = [problems_by_id[pk] for pk in group.members]
            org_names = sorted({p.org.name for p in members})
            if len(org_names) < 2:
                continue
            clusters.append({"members": members, "orgs": org_names, "strength": round(group.strength, 2),
                             "ids": ",".join(str(p.pk) for p in members), "title": members[0].description,
                             "category": services.guess_category(" ".join(p.description for p in members))})
    context = {
        "form": form, "clusters": clusters, "elapsed": elapsed, "searched": bool(request.GET),
        "commons": selectors.common_problems(scope).select_related("organiser", "rectification")
        .annotate(n=Count("members"), units=Count("members__org", distinct=True)),
        "can_manage": scope.has("problem.manage"),
        "create_form": CommonProblemForm(orgs=_org_choices(scope, "problem.manage")),
        "organisers": _organisers(scope),
    }
    return render(request, "rectification/common_list.html", context)


def _organisers(scope) -> list[Org]:
    """Where a common problem can be led from: the user's top orgs and the level below."""
    roots = scope.root_orgs("problem.manage")
    children = Org.objects.filter(parent__in=roots).exclude(children__isnull=True).distinct().order_by("path")[:200]
    return [*roots, *children]


@requires("problem.manage")
@require_POST
def common_create(request):
    form = CommonProblemForm(request.POST, orgs=_org_choices(request.scope, "problem.manage"))
    if not form.is_valid():
        messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
        return redirect("rectification:common")
    data = form.cleaned_data
    problems_qs = selectors.visible_problems(request.scope, "problem.manage").filter(pk__in=data["problems"])
    try:
        common = services.common_problem_create(actor=request.user, organiser=data["organiser"], title=data["title"],
                                                category=data["category"], problems=list(problems_qs),
                                                close_members=data["close_members"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("rectification:common")
    messages.success(request, "已设立共性问题，请制定牵头整改方案")
    return redirect("rectification:common_detail", common.pk)


@requires("problem.view")
def common_detail(request, pk):
    common = selectors.common_problem_for(request.scope, pk)
    context = _rect_context(request, common.rectification)
    members = common.members.select_related("org", "rectification").order_by("org__path")
    context.update({"common": common, "members": members, "unit_count": len({m.org_id for m in members})})
    return render(request, "rectification/common_detail.html", context)


# ---- spot checks -----------------------------------------------------------------------------


@requires("rectification.verify")
@require_http_methods(["GET", "POST"])
def spot_checks(request):
    orgs = _org_choices(request.scope, "rectification.verify")
    form = SpotCheckForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        request.scope.require(form.cleaned_data["org"], "rectification.verify")
        try:
            spot = services.spot_check_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已随机抽取 {spot.items.count()} 个已销号事项")
            return redirect("rectification:spot_check", spot.pk)
    checks = selectors.spot_checks(request.scope).select_related("org", "created_by").annotate(
        n=Count("items"), failed=Count("items", filter=Q(items__result="failed")))[:100]
    return render(request, "rectification/spot_checks.html", {"form": form, "checks": checks})


@requires("rectification.verify")
def spot_check_detail(request, pk):
    spot = selectors.spot_check_for(request.scope, pk)
    items = spot.items.select_related("rectification__problem", "rectification__common", "rectification__org",
                                      "rectification__owner", "checked_by")
    return render(request, "rectification/spot_check_detail.html",
                  {"spot": spot, "items": items, "result_form": SpotResultForm()})


@requires("rectification.verify")
@require_POST
def spot_check_record(request, pk):
    item = get_object_or_404(
        SpotCheckItem.objects.filter(spot_check__in=selectors.spot_checks(request.scope),
                                     rectification__org__in=request.scope.orgs("rectification.verify")), pk=pk)
    form = SpotResultForm(request.POST)
    if form.is_valid():
        try:
            services.spot_check_record(actor=request.user, item=item, passed=form.cleaned_data["passed"] == "1",
                                       finding=form.cleaned_data["finding"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已记录抽查结果")
    else:
        messages.error(request, "请选择抽查结论")
    return redirect("rectification:spot_check", item.spot_check_id)


# ---- critiques and carry-over ----------------------------------------------------------------


def _campaign_for(request, pk, permission="campaign.view") -> Campaign:
    return get_object_or_404(Campaign.objects.filter(organiser__in=request.scope.orgs(permission))
                             .select_related("organiser", "previous"), pk=pk)


def _participant_for(request, pk, permission="campaign.view") -> Participant:
    participant = get_object_or_404(Participant.objects.select_related("org", "secretary", "campaign__organiser"), pk=pk)
    scope = request.scope
    if not (scope.covers(participant.org, permission) or scope.covers(participant.campaign.organiser, permission)):
        raise Http404
    return participant


@requires("campaign.view")
def critique_campaigns(request):
    campaigns = Campaign.objects.filter(organiser__in=request.scope.orgs("campaign.view")).select_related(
        "organiser").annotate(
        n=Count("participants", distinct=True, filter=Q(participants__kind="unit")),
        done=Count("participants__critique", distinct=True, filter=Q(participants__kind="unit")))
    return render(request, "rectification/critique_campaigns.html", {"campaigns": campaigns})


@requires("campaign.view")
def critique_campaign(request, pk):
    campaign = _campaign_for(request, pk)
    participants = campaign.participants.select_related("org", "secretary", "ranking_group").annotate(
        problem_count=Count("problems", distinct=True), carried=Count("carried_problems", distinct=True))
    critiques = {c.participant_id: c for c in Critique.objects.filter(participant__campaign=campaign)}
    rows = [(p, critiques.get(p.pk)) for p in participants]
    context = {
        "campaign": campaign, "rows": rows,
        "can_write": request.scope.covers(campaign.organiser, "critique.write"),
        "can_carry": request.scope.covers(campaign.organiser, "problem.manage") and campaign.previous_id,
    }
    return render(request, "rectification/critique_campaign.html", context)


def _critique_page(request, participant, form, draft=None):
    campaign = participant.campaign
    critique = selectors.critique_for_participant(participant)
    context = {
        "participant": participant, "campaign": campaign, "critique": critique, "form": form, "draft": draft,
        "can_write": request.scope.covers(campaign.organiser, "critique.write"),
        "prior": selectors.prior_problems_for(participant),
        "found": critique.found_problems.select_related("rectification") if critique else [],
        "responsible": exports.critique_responsible(critique),
    }
    return render(request, "rectification/critique.html", context)


@requires("campaign.view")
def critique_edit(request, pk):
    participant = _participant_for(request, pk)
    critique = selectors.critique_for_participant(participant)
    initial = {"create_problems": True}
    if critique:
        initial.update(strengths=critique.strengths, problems=critique.problems, suggestions=critique.suggestions)
    draft = None
    if request.GET.get("draft") and request.scope.covers(participant.campaign.organiser, "critique.write"):
        draft = drafting.build_draft(participant)
        initial.update(draft.as_initial())
        messages.info(request, "已根据系统数据生成点评草稿，请修改后保存")
    return _critique_page(request, participant, CritiqueForm(initial=initial), draft)


@requires("critique.write")
@require_POST
def critique_save(request, pk):
    participant = _participant_for(request, pk, "critique.write")
    # critique.write counts within the campaign organiser's scope, not the participant's.
    request.scope.require(participant.campaign.organiser, "critique.write")
    form = CritiqueForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        critique, created = services.critique_save(
            actor=request.user, participant=participant, strengths=data["strengths"], problems=data["problems"],
            suggestions=data["suggestions"], create_problems=data["create_problems"])
        suffix = f"，{len(created)} 条问题已登记到问题清单" if created else ""
        messages.success(request, f"点评已保存{suffix}")
        return redirect("rectification:critique", participant.pk)
    return _critique_page(request, participant, form)


@requires("campaign.view")
def critique_docx(request, pk):
    participant = _participant_for(request, pk)
    critique = get_object_or_404(Critique.objects.select_related("participant__campaign__organiser", "participant__org",
                                                                 "participant__secretary"), participant=participant)
    return file_response(exports.critique_docx([critique]), f"点评意见-{participant.org.name}.docx", DOCX_TYPE)


@requires("campaign.view")
@require_POST
def critique_campaign_docx(request, pk):
    campaign = _campaign_for(request, pk)
    return export_start(request, kind="rectification.critiques_docx", title=f"导出{campaign.title}全部点评意见",
                        params={"campaign": campaign.pk},
                        back_url=reverse("rectification:critique_campaign", args=[campaign.pk]))


@requires("problem.manage")
@require_POST
def carry_over(request, pk):
    campaign = _campaign_for(request, pk, "problem.manage")
    if not campaign.previous_id:
        messages.error(request, "该考核未设置上一年度考核，无法结转")
        return redirect("rectification:critique_campaign", campaign.pk)
    count = services.carry_over(actor=request.user, campaign=campaign)
    messages.success(request, f"已结转 {count} 个上年度问题" if count else "没有需要新结转的问题（已结转过的不会重复）")
    return redirect("rectification:critique_campaign", campaign.pk)

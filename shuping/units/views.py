"""Pages where a unit does its own part, and where the superior confirms or returns it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shuping.accounts.decorators import requires
from shuping.core.http import error_text, file_response, form_error_text, int_param
from shuping.orgs.models import Org, Person
from shuping.rectification import evidence as evidence_files
from shuping.rectification.models import Status
from shuping.routine.models import CircularState, QuarterlyCircular

from . import selectors, services
from .forms import OwnProblemForm, QuarterlyReportForm, ResponsibilityUpdateForm, ReturnForm, UnitPlanForm
from .models import PlanState


def _attempt(request, action, success: str) -> bool:
    try:
        action()
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success)
    return True


def _unit_org_choices(scope):
    return Org.objects.within_any(scope.paths("unit.act")).order_by("path")


def _people_for(org: Org):
    ids = [*org.ancestor_ids(), *org.subtree().values_list("pk", flat=True)[:500]]
    return Person.objects.filter(memberships__org__in=ids).distinct().order_by("name")


# ---- the unit's side -------------------------------------------------------------------------


@requires("unit.act")
def home(request):
    scope = request.scope
    year, quarter = selectors.current_quarter()
    problems = list(selectors.unit_problems(scope)[:200])
    items = list(selectors.unit_items(scope, year))
    return render(request, "units/home.html", {
        "units": selectors.unit_orgs(scope), "problems": problems, "items": items,
        "year": year, "quarter": quarter,
        "reports": [{"org": org, "report": selectors.quarterly_report_of(org, year, quarter)}
                    for org in selectors.reporting_units(scope)],
        "pushed_sources": services.PUSHED_SOURCES,
    })


@requires("unit.act")
def problem_new(request):
    orgs = _unit_org_choices(request.scope)
    form = OwnProblemForm(request.POST or None, orgs=orgs, initial={"org": orgs.first()})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            problem = None

            def register():
                nonlocal problem
                problem = services.problem_register_own(
                    actor=request.user, org=data["org"], description=data["description"], category=data["category"],
                    severity=data["severity"], found_on=data["found_on"])

            if _attempt(request, register, "已登记自查问题，请制定整改方案"):
                return redirect("units:plan", problem.rectification.pk)
        else:
            messages.error(request, form_error_text(form))
    return render(request, "units/problem_form.html", {"form": form})


@requires("unit.act")
@require_POST
def claim(request, pk):
    problem = selectors.unit_problem_for(request.scope, pk)
    if _attempt(request, lambda: services.problem_claim(actor=request.user, problem=problem,
                                                        note=request.POST.get("note", "")), "已认领，请制定整改方案"):
        return redirect("units:plan", problem.rectification.pk)
    return redirect("units:home")


@requires("unit.act")
def plan(request, pk):
    rect = selectors.unit_rectification_for(request.scope, pk)
    current = selectors.plan_of(rect)
    initial = {"owner": current.owner_id, "measures": current.measures, "deadline": current.deadline} if current else {}
    form = UnitPlanForm(request.POST or None, people=_people_for(rect.org), initial=initial)
    if request.method == "POST":
        if form.is_valid():
            submit = "submit" in request.POST
            if _attempt(request, lambda: services.plan_save(actor=request.user, rectification=rect, submit=submit,
                                                            **form.cleaned_data),
                        "整改方案已报送，等待上级审核" if submit else "整改方案草稿已保存"):
                return redirect("units:plan", rect.pk)
        else:
            messages.error(request, form_error_text(form))
    editable = rect.status != Status.CLOSED and (current is None or current.state in (PlanState.DRAFT, PlanState.RETURNED))
    return render(request, "units/plan.html", {"rect": rect, "problem": rect.problem, "plan": current, "form": form,
                                               "editable": editable})


@requires("unit.act")
def responsibility(request, pk):
    item = selectors.unit_item_for(request.scope, pk)
    form = ResponsibilityUpdateForm(request.POST or None, request.FILES or None,
                                    initial={"achieved_value": item.achieved})
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if _attempt(request, lambda: services.responsibility_update_submit(
                    actor=request.user, item=item, achieved_value=data["achieved_value"], note=data["note"],
                    upload=data["evidence"]), "进展已报送，等待上级确认"):
                return redirect("units:home")
        else:
            messages.error(request, form_error_text(form))
    return render(request, "units/responsibility.html", {
        "item": item, "form": form, "pending": selectors.pending_update(item),
        "updates": item.unit_updates.all()[:20]})


@requires("routine.view")
def update_evidence(request, pk):
    update = selectors.update_for(request.scope, pk, "routine.view")
    if not update.evidence_stored:
        return redirect("units:home")
    try:
        with evidence_files.open_evidence(update.evidence_stored) as handle:
            data = handle.read()
    except FileNotFoundError as exc:
        raise Http404("佐证材料已不存在") from exc
    return file_response(data, update.evidence_name, update.evidence_type)


@requires("unit.act")
def quarterly(request):
    scope = request.scope
    orgs = Org.objects.filter(pk__in=[o.pk for o in selectors.reporting_units(scope)])
    year, quarter = selectors.current_quarter()
    org = orgs.filter(pk=int_param(request.GET.get("org")) or 0).first() or orgs.first()
    existing = selectors.quarterly_report_of(org, year, quarter) if org else None
    initial = {"org": org, "year": year, "quarter": quarter}
    if existing:
        initial.update(summary=existing.summary, text=existing.text, offers_speech=existing.offers_speech)
    form = QuarterlyReportForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            if _attempt(request, lambda: services.quarterly_report_submit(actor=request.user, **data),
                        f"{data['year']}年第{data['quarter']}季度工作汇报已报送"):
                return redirect("units:home")
        else:
            messages.error(request, form_error_text(form))
    return render(request, "units/quarterly.html", {"form": form, "existing": existing, "no_units": not orgs})


@requires("routine.view")
def quarterly_detail(request, pk):
    report = selectors.quarterly_report_for(request.scope, pk)
    return render(request, "units/quarterly_detail.html", {
        "report": report, "can_pick": request.scope.covers(report.organiser, "routine.manage")})


# ---- the superior's side ---------------------------------------------------------------------


@requires("problem.manage")
def review(request):
    scope = request.scope
    claims = list(selectors.claim_overview(scope)[:300])
    return render(request, "units/review.html", {
        "plans": selectors.plans_to_review(scope),
        "updates": selectors.updates_to_confirm(scope) if scope.has("routine.manage") else [],
        "claimed": [p for p in claims if p.claimed], "unclaimed": [p for p in claims if not p.claimed],
    })


@requires("problem.manage")
def plan_review(request, pk):
    unit_plan = selectors.plan_for_review(request.scope, pk)
    form = ReturnForm(request.POST or None)
    if request.method == "POST":
        if "approve" in request.POST:
            if _attempt(request, lambda: services.plan_approve(actor=request.user, plan=unit_plan), "已批准整改方案"):
                return redirect("units:review")
        elif form.is_valid():
            if _attempt(request, lambda: services.plan_return(actor=request.user, plan=unit_plan,
                                                              reason=form.cleaned_data["reason"]), "已退回整改方案"):
                return redirect("units:review")
        else:
            messages.error(request, "退回整改方案必须说明理由")
    return render(request, "units/plan_review.html", {"plan": unit_plan, "rect": unit_plan.rectification,
                                                      "problem": unit_plan.rectification.problem, "form": form})


@requires("routine.manage")
@require_POST
def update_decide(request, pk):
    update = selectors.update_for(request.scope, pk, "routine.manage")
    if "confirm" in request.POST:
        _attempt(request, lambda: services.responsibility_update_confirm(actor=request.user, update=update),
                 "已确认，进展已记入责任清单")
    else:
        _attempt(request, lambda: services.responsibility_update_return(
            actor=request.user, update=update, reason=request.POST.get("reason", "")), "已退回")
    return redirect("units:review")


@requires("routine.manage")
def quarterly_overview(request):
    scope = request.scope
    organisers = selectors.organisers(scope)
    default_year, default_quarter = selectors.current_quarter()
    organiser = next((o for o in organisers if str(o.pk) == request.GET.get("organiser")), None)
    if organiser is None and request.GET.get("organiser"):
        organiser = get_object_or_404(scope.orgs("routine.manage"), pk=int_param(request.GET["organiser"]) or 0)
    organiser = organiser or (organisers[0] if organisers else None)
    try:
        year = int(request.GET.get("year") or default_year)
        quarter = int(request.GET.get("quarter") or default_quarter)
    except ValueError:
        year, quarter = default_year, default_quarter
    rows = selectors.quarterly_overview(organiser, year, quarter) if organiser else []
    circular = (QuarterlyCircular.objects.filter(organiser=organiser, year=year, quarter=quarter).first()
                if organiser else None)
    return render(request, "units/quarterly_overview.html", {
        "organisers": organisers, "organiser": organiser, "year": year, "quarter": quarter, "rows": rows,
        "submitted": sum(1 for r in rows if r["report"]), "missing": sum(1 for r in rows if not r["report"]),
        "circular": circular,
        "circular_draft": circular is not None and circular.state == CircularState.DRAFT,
        "quarters": range(1, 5)})


def _overview_url(obj) -> str:
    """The overview of the quarter a report or circular belongs to."""
    return (f"{reverse('units:quarterly_overview')}?organiser={obj.organiser_id}&year={obj.year}"
            f"&quarter={obj.quarter}")


@requires("routine.manage")
@require_POST
def quarterly_pick(request, pk):
    report = selectors.quarterly_report_for(request.scope, pk)
    request.scope.require(report.organiser, "routine.manage")
    picked = request.POST.get("picked") == "1"
    _attempt(request, lambda: services.quarterly_pick(actor=request.user, report=report, picked=picked),
             f"已{'确定' if picked else '取消'}{report.org.name}作典型发言")
    return redirect(_overview_url(report))


@requires("routine.manage")
@require_POST
def circular_draw(request, pk):
    circular = get_object_or_404(QuarterlyCircular.objects.filter(
        organiser__in=request.scope.orgs("routine.manage")), pk=pk)
    try:
        count = services.circular_draw_reports(actor=request.user, circular=circular)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        if count:
            messages.success(request, f"已将 {count} 个典型发言单位的工作亮点写入通报“经验做法”")
        else:
            messages.info(request, "没有需要写入的典型发言（请先确定典型发言单位）")
    return redirect(_overview_url(circular))

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from shuping.accounts.decorators import requires
from shuping.accounts.models import RoleGrant
from shuping.clock import today
from shuping.core.background import import_start
from shuping.core.http import (
    DOCX_TYPE,
    error_text,
    file_response,
    form_error_text,
    int_param,
    is_htmx,
    xlsx_response,
)
from shuping.core.panels import INSPECTION_PANELS, render_panels
from shuping.orgs import selectors as org_selectors
from shuping.orgs.models import Org

from . import documents, excel, selectors, services
from .forms import (
    CircularForm,
    FindingForm,
    IndicatorForm,
    InspectionPlanForm,
    ProgressForm,
    ResponsibilityForm,
    ResultUseForm,
    UploadForm,
    VisitForm,
)
from .models import CircularState, InspectionVisit

MONTHS = list(range(1, 13))




def _month(request, year: int) -> int:
    current = today()
    default = current.month if year == current.year else 12
    try:
        month = int(request.GET.get("month") or request.POST.get("month") or default)
    except ValueError:
        month = default
    return month if 1 <= month <= 12 else default


def _context(request, organiser: Org, year: int, tab: str, **extra) -> dict:
    return {
        "organiser": organiser, "year": year, "tab": tab,
        "can_manage": request.scope.covers(organiser, "routine.manage"),
        "years": sorted({*selectors.years_with_indicators(organiser), today().year, year}, reverse=True),
        **extra,
    }


# ---- index and overview ----------------------------------------------------------------------


@requires("routine.view")
def index(request):
    organisers = list(selectors.organiser_choices(request.scope)[:200])
    rows = [(o, selectors.years_with_indicators(o)) for o in organisers]
    return render(request, "routine/index.html", {"rows": rows, "current_year": today().year})


@requires("routine.view")
def overview(request, org, year):
    organiser = selectors.organiser_for(request.scope, org)
    from shuping.campaigns.models import Campaign

    rows = selectors.year_table(organiser, year)
    campaigns = Campaign.objects.filter(organiser=organiser, year=year) if request.scope.covers(
        organiser, "campaign.view") else Campaign.objects.none()
    return render(request, "routine/overview.html", _context(
        request, organiser, year, "overview", rows=rows, max_total=selectors.max_total(organiser, year),
        indicators=selectors.indicators(organiser, year), campaigns=campaigns))


# ---- indicators ------------------------------------------------------------------------------


@requires("routine.view")
def indicators(request, org, year):
    organiser = selectors.organiser_for(request.scope, org)
    return render(request, "routine/indicators.html", _context(
        request, organiser, year, "indicators", indicators=selectors.indicators(organiser, year),
        form=IndicatorForm()))


@requires("routine.manage")
@require_http_methods(["GET", "POST"])
def indicator_save(request, org, year, pk=None):
    organiser = selectors.organiser_for(request.scope, org, "routine.manage")
    indicator = get_object_or_404(selectors.indicators(organiser, year), pk=pk) if pk else None
    form = IndicatorForm(request.POST or None, instance=indicator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.indicator_save(actor=request.user, organiser=organiser, year=year, indicator=indicator,
                                    code=data["code"], name=data["name"], max_score=data["max_score"],
                                    guidance=data["guidance"], order=data["order"] or 0)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "指标已保存")
            return redirect("routine:indicators", organiser.pk, year)
    return render(request, "routine/form.html", _context(
        request, organiser, year, "indicators", form=form, heading="编辑指标" if indicator else "新增指标"))


@requires("routine.manage")
@require_POST
def indicator_delete(request, org, year, pk):
    organiser = selectors.organiser_for(request.scope, org, "routine.manage")
    indicator = get_object_or_404(selectors.indicators(organiser, year), pk=pk)
    try:
        services.indicator_delete(actor=request.user, indicator=indicator)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "指标已删除")
    return redirect("routine:indicators", organiser.pk, year)


# ---- monthly scores --------------------------------------------------------------------------


def _cells(inds, row, values=None, errors=None):
    errors = errors or {}
    return [{"indicator": i,
             "value": values[i.code] if values is not None else (row.scores.get(i.code, "") if row else ""),
             "error": errors.get(i.code, "")} for i in inds]


@requires("routine.view")
def scores(request, org, year):
    organiser = selectors.organiser_for(request.scope, org)
    month = _month(request, year)
    inds = list(selectors.indicators(organiser, year))
    table = {row.org.pk: row for row in selectors.month_table(organiser, year, month)}
    grid = [{"unit": u, "row": table.get(u.pk), "cells": _cells(inds, table.get(u.pk))}
            for u in selectors.units(organiser)]
    return render(request, "routine/scores.html", _context(
        request, organiser, year, "scores", month=month, months=MONTHS, indicators=inds, grid=grid))


@requires("routine.manage")
@require_POST
def score_row(request, org, year, month, unit):
    """HTMX: save one unit's row of the grid and return the row (with cell errors, if any)."""
    organiser = selectors.organiser_for(request.scope, org, "routine.manage")
    unit = get_object_or_404(selectors.units(organiser), pk=unit)
    inds = list(selectors.indicators(organiser, year))
    values = {i.code: request.POST.get(f"s-{i.code}", "") for i in inds}
    errors, saved, general = {}, False, ""
    try:
        change = services.monthly_scores_save(actor=request.user, organiser=organiser, year=year, month=month,
                                              unit=unit, values=values)
        saved = bool(change["after"])
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            errors = {code: "；".join(exc.message_dict[code]) for code in exc.error_dict}
        else:
            general = error_text(exc)
    failed = bool(errors or general)
    if not is_htmx(request):
        if failed:
            messages.error(request, general or "；".join(f"{k}：{v}" for k, v in errors.items()))
        else:
            messages.success(request, f"{unit.name}的{month}月评分已保存")
        return redirect(f"{reverse('routine:scores', args=[organiser.pk, year])}?month={month}")
    row = next((r for r in selectors.month_table(organiser, year, month) if r.org.pk == unit.pk), None)
    context = {"organiser": organiser, "year": year, "month": month,
               "item": {"unit": unit, "row": row, "cells": _cells(inds, row, values if failed else None, errors)},
               "saved": saved, "general": general, "can_manage": True, "failed": failed}
    response = render(request, "routine/_score_row.html", context)
    if failed:
        # htmx 2 does not swap 4xx responses by default; the row is re-sent with the cell errors,
        # so 200 is used and the failure is marked in the row itself.
        response["X-Routine-Failed"] = "1"
    return response


@requires("routine.manage")
@require_http_methods(["GET", "POST"])
def scores_import(request, org, year):
    organiser = selectors.organiser_for(request.scope, org, "routine.manage")
    month = _month(request, year)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return import_start(request, form.cleaned_data["file"], kind="routine.scores_import",
                            title=f"导入{organiser.name}{year}年{month}月日常考核评分",
                            params={"organiser": organiser.pk, "year": year, "month": month},
                            back_url=f"{reverse('routine:scores', args=[organiser.pk, year])}?month={month}")
    return render(request, "routine/scores_import.html", _context(
        request, organiser, year, "scores", form=form, month=month, months=MONTHS))


@requires("routine.manage")
def scores_template(request, org, year):
    organiser = selectors.organiser_for(request.scope, org, "routine.manage")
    month = _month(request, year)
    return xlsx_response(excel.scores_template(organiser, year, month), f"{organiser.name}{year}年{month}月日常考核评分.xlsx")


@requires("routine.view")
def rankings(request, org, year):
    organiser = selectors.organiser_for(request.scope, org)
    month = _month(request, year)
    quarter = request.GET.get("quarter", "")
    if quarter in {"1", "2", "3", "4"}:
        rows, period = selectors.quarter_table(organiser, year, int(quarter)), f"第{quarter}季度"
    else:
        quarter, rows, period = "", selectors.month_table(organiser, year, month), f"{month}月"
    return render(request, "routine/rankings.html", _context(
        request, organiser, year, "rankings", rows=rows, month=month, months=MONTHS, quarter=quarter,
        period=period, indicators=selectors.indicators(organiser, year)))


@requires("routine.view")
def unit(request, pk, year):
    """One unit's monthly scores under its superior, for the unit itself and the organisers above."""
    unit = org_selectors.org_for(request.scope, pk, "routine.view")
    organiser = unit.parent
    if organiser is None:
        raise Http404
    inds = list(selectors.indicators(organiser, year))
    months = selectors.unit_months(organiser, year, unit)
    details = selectors.routine_scores(organiser, year, [unit.pk]).get(unit.pk)
    year_rows = {r.org.pk: r for r in selectors.year_table(organiser, year)}
    return render(request, "routine/unit.html", {
        "unit": unit, "organiser": organiser, "year": year, "indicators": inds, "months": months,
        "routine": details, "year_row": year_rows.get(unit.pk),
        "sees_organiser": request.scope.covers(organiser, "routine.view"),
        "items": selectors.responsibility_items(organiser, year, unit), "today": today(),
    })


# ---- responsibility lists --------------------------------------------------------------------


def _within(request, organiser):
    """The unit a responsibility list is narrowed to (?within=), inside the organiser's subtree."""
    if not request.GET.get("within"):
        return None
    return get_object_or_404(organiser.subtree(), pk=int_param(request.GET["within"]))


@requires("routine.view")
def responsibilities(request, org, year):
    organiser = selectors.organiser_for(request.scope, org)
    within = _within(request, organiser)
    items = list(selectors.responsibility_items(organiser, year, within))
    return render(request, "routine/responsibilities.html", _context(
        request, organiser, year, "duties", items=items, within=within, today=today(),
        units=selectors.units(organiser), overdue=sum(1 for i in items if i.is_overdue(today()))))


@requires("routine.manage")
@require_http_methods(["GET", "POST"])
def responsibility_new(request, org, year):
    organiser = selectors.organiser_for(request.scope, org, "routine.manage")
    form = ResponsibilityForm(request.POST or None, orgs=organiser.subtree().exclude(pk=organiser.pk).order_by("path"),
                              initial={"deadline": f"{year}-12-31"})
    if request.method == "POST" and form.is_valid():
        try:
            item = services.responsibility_save(actor=request.user, organiser=organiser, year=year, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "责任清单事项已保存")
            return redirect("routine:responsibility", item.pk)
    return render(request, "routine/form.html", _context(request, organiser, year, "duties", form=form,
                                                         heading="新增责任清单事项"))


@requires("routine.view")
def responsibility(request, pk):
    item = selectors.responsibility_for(request.scope, pk)
    can_manage = request.scope.covers(item.organiser, "routine.manage")
    return render(request, "routine/responsibility.html", {
        "item": item, "today": today(), "can_manage": can_manage,
        "form": ProgressForm(initial={"recorded_on": today()}) if can_manage else None,
    })


@requires("routine.manage")
@require_POST
def responsibility_progress(request, pk):
    item = selectors.responsibility_for(request.scope, pk)
    if not request.scope.covers(item.organiser, "routine.manage"):
        raise Http404
    form = ProgressForm(request.POST)
    if form.is_valid():
        try:
            services.responsibility_progress_add(actor=request.user, item=item, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "进展已记录")
    else:
        messages.error(request, form_error_text(form))
    return redirect("routine:responsibility", item.pk)


@requires("routine.manage")
@require_http_methods(["GET", "POST"])
def responsibilities_import(request, org, year):
    organiser = selectors.organiser_for(request.scope, org, "routine.manage")
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return import_start(request, form.cleaned_data["file"], kind="routine.responsibilities_import",
                            title=f"导入{organiser.name}{year}年度责任清单",
                            params={"organiser": organiser.pk, "year": year},
                            back_url=reverse("routine:responsibilities", args=[organiser.pk, year]))
    return render(request, "routine/duties_import.html", _context(request, organiser, year, "duties", form=form))


@requires("routine.view")
def responsibilities_export(request, org, year):
    organiser = selectors.organiser_for(request.scope, org)
    within = _within(request, organiser)
    content = excel.responsibilities_export(organiser, year, within, day=today())
    return xlsx_response(content, f"{organiser.name}{year}年度责任清单.xlsx")


# ---- quarterly circulars ---------------------------------------------------------------------


@requires("routine.view")
def circulars(request, org, year):
    organiser = selectors.organiser_for(request.scope, org)
    return render(request, "routine/circulars.html", _context(
        request, organiser, year, "circulars", circulars=selectors.circulars(organiser).filter(year=year)))


@requires("routine.manage")
@require_http_methods(["GET", "POST"])
def circular_new(request, org, year):
    organiser = selectors.organiser_for(request.scope, org, "routine.manage")
    quarter = (today().month - 1) // 3 + 1 if year == today().year else 4
    form = CircularForm(request.POST or None, initial={
        "quarter": quarter, "title": f"关于{year}年第{quarter}季度抓基层党建工作日常考核情况的通报",
        "lowest_n": 2})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        q = data.pop("quarter")
        try:
            circular = services.circular_save(actor=request.user, organiser=organiser, year=year, quarter=q, **data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "通报草稿已保存，请预览后印发")
            return redirect("routine:circular", circular.pk)
    return render(request, "routine/form.html", _context(request, organiser, year, "circulars", form=form,
                                                         heading="新建季度通报"))


@requires("routine.view")
def circular(request, pk):
    circular = selectors.circular_for(request.scope, pk)
    rows = selectors.quarter_table(circular.organiser, circular.year, circular.quarter)
    can_manage = request.scope.covers(circular.organiser, "routine.manage")
    draft = circular.state == CircularState.DRAFT
    return render(request, "routine/circular.html", {
        "circular": circular, "rows": rows, "can_manage": can_manage, "draft": draft,
        "orders": circular.orders.select_related("org", "problem__rectification"),
        "candidates": services.lowest_units(rows, circular.lowest_n) if draft else [],
        "form": CircularForm(instance=circular, with_quarter=False) if can_manage and draft else None,
    })


@requires("routine.manage")
@require_POST
def circular_edit(request, pk):
    circular = selectors.circular_for(request.scope, pk, "routine.manage")
    form = CircularForm(request.POST, instance=circular, with_quarter=False)
    if form.is_valid():
        try:
            services.circular_save(actor=request.user, organiser=circular.organiser, year=circular.year,
                                   quarter=circular.quarter, circular=circular, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "通报已保存")
    else:
        messages.error(request, "；".join(f"{form.fields[k].label if k in form.fields else ''}{v[0]}"
                                         for k, v in form.errors.items()))
    return redirect("routine:circular", circular.pk)


@requires("routine.view")
def circular_docx(request, pk):
    circular = selectors.circular_for(request.scope, pk)
    return file_response(documents.circular_docx(circular), f"{circular.title}.docx", DOCX_TYPE)


@requires("routine.manage")
@require_POST
def circular_issue(request, pk):
    circular = selectors.circular_for(request.scope, pk, "routine.manage")
    try:
        orders = services.circular_issue(actor=request.user, circular=circular)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"通报已印发，{len(orders)} 个单位的督办单已纳入整改台账")
    return redirect("routine:circular", circular.pk)


# ---- inspections -----------------------------------------------------------------------------


def _inspector_choices(scope, org):
    """Users holding a role on the org or one of its ancestors or descendants within the manager's scope."""
    paths = [a.path for a in org.ancestors()] + [org.path]
    grants = RoleGrant.objects.filter(org__path__in=paths) | RoleGrant.objects.filter(
        org__in=org.subtree().values("pk"))
    return get_user_model().objects.filter(pk__in=grants.values("user_id"), is_active=True).order_by("username")


@requires("routine.view")
def inspections(request):
    plans = selectors.visible_inspections(request.scope).annotate(
        n_visits=Count("visits", distinct=True), n_findings=Count("visits__findings", distinct=True))
    return render(request, "routine/inspections.html", {
        "plans": plans, "can_create": request.scope.has("routine.manage")})


@requires("routine.manage")
@require_http_methods(["GET", "POST"])
def inspection_new(request):
    orgs = request.scope.orgs("routine.manage").filter(children__isnull=False).distinct().order_by("path")
    org_pk = request.POST.get("org") or request.GET.get("org")
    base = orgs.filter(pk=org_pk).first() if org_pk and str(org_pk).isdigit() else orgs.first()
    if base is None:
        raise Http404
    form = InspectionPlanForm(request.POST or None, orgs=orgs, users=_inspector_choices(request.scope, base),
                              initial={"org": base})
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.inspection_plan_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "督查计划已创建")
            return redirect("routine:inspection", plan.pk)
    return render(request, "routine/form.html", {"form": form, "heading": "新建半年督查", "tab": "inspections"})


@requires("routine.view")
def inspection(request, pk):
    plan = selectors.inspection_for(request.scope, pk)
    can_manage = request.scope.covers(plan.org, "routine.manage")
    visits = plan.visits.select_related("org", "inspector").prefetch_related(
        "findings__problem__rectification")
    return render(request, "routine/inspection.html", {
        "panels": render_panels(INSPECTION_PANELS, request, plan),
        "plan": plan, "visits": visits, "can_manage": can_manage,
        "visit_form": VisitForm(plan=plan, initial={"visited_on": today()}) if can_manage else None,
        "finding_form": FindingForm() if can_manage else None,
    })


@requires("routine.manage")
@require_POST
def visit_add(request, pk):
    plan = selectors.inspection_for(request.scope, pk, "routine.manage")
    form = VisitForm(request.POST, plan=plan)
    if form.is_valid():
        try:
            services.inspection_visit_add(actor=request.user, plan=plan, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "督查记录已保存")
    else:
        messages.error(request, form_error_text(form))
    return redirect("routine:inspection", plan.pk)


@requires("routine.manage")
@require_POST
def finding_add(request, pk):
    visit = get_object_or_404(InspectionVisit.objects.select_related("plan", "org"), pk=pk)
    request.scope.require(visit.plan.org, "routine.manage")
    form = FindingForm(request.POST)
    if form.is_valid():
        try:
            services.inspection_finding_add(actor=request.user, visit=visit, **form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "督查发现的问题已登记到问题清单")
    else:
        messages.error(request, form_error_text(form))
    return redirect("routine:inspection", visit.plan.pk)


# ---- composite -------------------------------------------------------------------------------


@requires("campaign.view")
def composition(request, pk):
    """综合评定构成: every component of each participant's composite and where it came from."""
    from shuping.campaigns import selectors as campaign_selectors
    from shuping.campaigns import services as campaign_services

    campaign = campaign_selectors.campaign_for(request.scope, pk)
    if not campaign_selectors.sees_everything(request.scope, campaign):
        raise Http404  # participants see published results on the campaign pages, not live components
    results = {r.participant: r for r in campaign_services.campaign_tally(campaign)}
    details = selectors.campaign_routine_details(campaign)
    rows = []
    for participant in campaign.participants.select_related("org", "secretary", "ranking_group"):
        result = results.get(participant.pk)
        ballots = campaign.ballots.filter(participant=participant, is_test=False)
        if participant.routine_score is not None:
            routine_source = "手工录入（述职人的“日常考核得分”）"
            if participant.pk in details and details[participant.pk][0] == participant.routine_score:
                routine_source = f"由月度评分复制（{details[participant.pk][1]} 个月、{details[participant.pk][2]} 条评分记录）"
        elif participant.pk in details:
            routine_source = f"月度评分计算（{details[participant.pk][1]} 个月、{details[participant.pk][2]} 条评分记录）"
        else:
            routine_source = "无日常考核得分（不计入综合评定）"
        rows.append({
            "participant": participant, "result": result,
            "ballots": ballots.filter(total__isnull=False).count(),
            "votes": ballots.exclude(democratic="").count(),
            "routine_source": routine_source,
            "computed": details.get(participant.pk),
        })
    return render(request, "routine/composition.html", {
        "campaign": campaign, "rows": rows,
        "can_apply": (not campaign.is_frozen and request.scope.covers(campaign.organiser, "routine.manage")
                      and request.scope.covers(campaign.organiser, "campaign.manage")),
        "weights": (campaign.weight_meeting, campaign.weight_democratic, campaign.weight_routine),
    })


@requires("routine.manage")
@require_POST
def routine_apply(request, pk):
    from shuping.campaigns import selectors as campaign_selectors

    campaign = campaign_selectors.campaign_for(request.scope, pk, "campaign.manage")
    request.scope.require(campaign.organiser, "routine.manage")
    try:
        count = services.campaign_routine_apply(actor=request.user, campaign=campaign,
                                                overwrite=request.POST.get("overwrite") == "1")
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已将 {count} 名述职人的日常考核得分写入考核（其余保持不变）")
    return redirect("routine:composition", campaign.pk)


# ---- result uses -----------------------------------------------------------------------------


@requires("routine.view")
def uses(request):
    return render(request, "routine/uses.html", {"uses": selectors.visible_uses(request.scope)[:500]})


@requires("routine.manage")
@require_http_methods(["GET", "POST"])
def use_add(request, pk):
    person = org_selectors.person_for(request.scope, pk, "routine.manage")
    org = next((o for o in request.scope.root_orgs("routine.manage")
                if any(m.org.is_within(o) for m in person.memberships.select_related("org"))), None)
    if org is None:
        raise Http404
    results = [r for r in selectors.person_results(person) if r.version.campaign.is_frozen]
    form = ResultUseForm(request.POST or None, results=results, initial={"decided_on": today()})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        result_pk = data.pop("result")
        result = next((r for r in results if r.pk == result_pk), None)
        try:
            services.result_use_create(actor=request.user, person=person, org=org, result=result, **data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "结果运用已登记")
            return redirect("orgs:person", person.pk)
    return render(request, "routine/form.html", {"form": form, "heading": f"登记结果运用：{person.name}",
                                                 "person": person, "tab": "uses"})


def person_panel(request, person):
    """Context for the "历年考核结果与运用" panel on the person page (None hides it)."""
    scope = request.scope
    if not scope.has("routine.view") and not scope.has("campaign.view"):
        return None
    results = [r for r in selectors.person_results(person)
               if r.version.campaign.is_frozen and (scope.covers(r.version.campaign.organiser, "campaign.view")
                                                    or scope.covers(r.participant.org, "campaign.view"))]
    member_orgs = [m.org for m in person.memberships.select_related("org")]
    sees_uses = any(scope.covers(o, "routine.view") for o in member_orgs)
    uses = [u for u in person.result_uses.select_related("result__version__campaign", "org")
            if sees_uses or scope.covers(u.org, "routine.view")]
    can_add = any(scope.covers(o, "routine.manage") for o in member_orgs)
    if not results and not uses and not can_add:
        return None
    return {"person": person, "results": results, "uses": uses, "can_add": can_add}

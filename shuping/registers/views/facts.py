from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from shuping.accounts.decorators import requires
from shuping.clock import today
from shuping.core.http import error_text, form_error_text, xlsx_response
from shuping.routine import selectors as routine_selectors

from .. import excel, selectors, services
from ..forms import FactForm, ReturnForm, RuleForm, SheetForm, VerifyForm
from ..models import ClaimRule, Enterer, Fact, FactSheet, SheetState, Verdict
from .common import import_page


def _years(year: int) -> list[int]:
    current = today().year
    return sorted({*range(current - 4, current + 1), year}, reverse=True)


@requires("register.view")
def index(request):
    year = int(request.GET["year"]) if request.GET.get("year", "").isdigit() else today().year
    return render(request, "registers/index.html", {
        "roots": request.scope.root_orgs("register.view"), "year": year, "years": _years(year),
        "can_configure": selectors.may_configure(request.scope),
    })


@requires("register.view")
def facts(request, org, year):
    root = selectors.org_for(request.scope, org)
    table = selectors.subtree_table(root, year)
    pending = [r["sheet"] for r in table["rows"] if r["sheet"] and r["sheet"].state == SheetState.SUBMITTED
               and selectors.may_confirm(request.scope, r["org"])]
    return render(request, "registers/facts.html", {
        "root": root, "year": year, "years": _years(year), "table": table, "pending": pending,
        "can_import": selectors.may_import(request.scope, root),
    })


@requires("register.view")
def facts_export(request, org, year):
    root = selectors.org_for(request.scope, org)
    return xlsx_response(excel.facts_workbook(root, year), f"{root.name}{year}年基础数据.xlsx")


@requires("register.view")
def facts_template(request, org, year):
    root = selectors.org_for(request.scope, org)
    return xlsx_response(excel.facts_workbook(root, year, state_column=False), f"{root.name}{year}年基础数据填报模板.xlsx")


@requires("register.view")
@require_http_methods(["GET", "POST"])
def facts_import(request, org, year):
    root = selectors.org_for(request.scope, org)
    if not selectors.may_import(request.scope, root):
        raise PermissionDenied
    return import_page(
        request, kind="registers.facts_import", params={"root": root.pk, "year": year}, done_url=reverse("registers:facts", args=[root.pk, year]),
        heading=f"导入{root.name}{year}年基础数据（Excel）",
        help_text="工作表“基础数据”，每行一个单位，列为单位编码、单位名称和各数据项（列名与模板一致）；留空的格不导入；导入后为“待上级确认”。",
        back=(reverse("registers:facts", args=[root.pk, year]), root.name),
        template_url=reverse("registers:facts_template", args=[root.pk, year]))


def _enterable(scope, unit, current, facts) -> list:
    """The facts this user may change on this sheet now: by 填报主体, and only while the sheet is open to them."""
    state = current.state if current else SheetState.DRAFT
    if state == SheetState.CONFIRMED:
        return []
    return [f for f in facts if selectors.may_enter(scope, f, unit)
            and (f.enterer != Enterer.UNIT or state in services.EDITABLE)]


@requires("register.view")
@require_http_methods(["GET", "POST"])
def sheet(request, org, year):
    unit = selectors.org_for(request.scope, org)
    current = selectors.sheet_for(unit, year)
    facts = selectors.facts_for(unit)
    enterable = _enterable(request.scope, unit, current, facts)
    can_submit = (selectors.may_submit(request.scope, unit)
                  and (current is None or current.state in services.EDITABLE))
    values = selectors.sheet_values(current)
    form = SheetForm(request.POST or None, facts=enterable, initial_values=values)
    if request.method == "POST":
        submit = "submit" in request.POST
        if not enterable or (submit and not can_submit):
            raise PermissionDenied
        if form.is_valid():
            try:
                services.sheet_save(actor=request.user, org=unit, year=year, values=form.values, submit=submit)
            except ValidationError as exc:
                form.add_error(None, error_text(exc))
            else:
                messages.success(request, "已提交，等待上级确认" if submit else "已保存")
                return redirect("registers:sheet", unit.pk, year)
    shown = [(f, selectors.format_value(f, values.get(f.code))) for f in facts if f not in enterable]
    return render(request, "registers/sheet.html", {
        "unit": unit, "year": year, "years": _years(year), "current": current, "form": form,
        "can_enter": bool(enterable), "can_submit": can_submit, "shown": shown,
        "can_confirm": current is not None and selectors.may_confirm(request.scope, unit),
        "return_form": ReturnForm(), "history": selectors.org_history(unit),
    })


def _confirmable_sheet(request, pk) -> FactSheet:
    sheet = get_object_or_404(FactSheet.objects.select_related("org"), pk=pk)
    request.scope.require(sheet.org, "register.view")
    if not selectors.may_confirm(request.scope, sheet.org):
        raise PermissionDenied
    return sheet


@requires("register.confirm")
@require_POST
def sheet_confirm(request, pk):
    sheet = _confirmable_sheet(request, pk)
    try:
        services.sheet_confirm(actor=request.user, sheet=sheet)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已确认{sheet.org.name}{sheet.year}年基础数据")
    return redirect("registers:sheet", sheet.org.pk, sheet.year)


@requires("register.confirm")
@require_POST
def sheet_return(request, pk):
    sheet = _confirmable_sheet(request, pk)
    form = ReturnForm(request.POST)
    try:
        if not form.is_valid():
            raise services.RegisterError(form_error_text(form))
        services.sheet_return(actor=request.user, sheet=sheet, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "已退回修改")
    return redirect("registers:sheet", sheet.org.pk, sheet.year)


@requires("register.confirm")
@require_POST
def confirm_all(request, org, year):
    root = selectors.org_for(request.scope, org, "register.confirm")
    done = 0
    for sheet in FactSheet.objects.filter(org__in=root.subtree(), year=year, state=SheetState.SUBMITTED).select_related("org"):
        if selectors.may_confirm(request.scope, sheet.org):
            services.sheet_confirm(actor=request.user, sheet=sheet)
            done += 1
    messages.success(request, f"已确认 {done} 个单位的基础数据")
    return redirect("registers:facts", root.pk, year)


# --- configuration ----------------------------------------------------------------------------


@requires("register.view")
def config(request):
    from shuping.stars.models import CriteriaSet

    scope = request.scope
    facts = list(selectors.visible_config(scope, Fact).select_related("owner", "enterer_org"))
    rules = list(selectors.visible_config(scope, ClaimRule).select_related("fact", "owner"))
    for item in [*facts, *rules]:
        item.editable = selectors.may_edit_config(scope, item)
    return render(request, "registers/config.html", {
        "facts": facts, "rules": rules,
        "criteria_sets": CriteriaSet.objects.filter(organiser__in=scope.orgs("register.confirm"))
        .select_related("organiser")[:50],
        "can_configure": selectors.may_configure(scope),
    })


def _config_form(request, form_class, instance, save, heading):
    if not selectors.may_configure(request.scope) or (instance and not selectors.may_edit_config(request.scope, instance)):
        raise PermissionDenied
    form = form_class(request.POST or None, instance=instance, scope=request.scope)
    if request.method == "POST" and form.is_valid():
        try:
            save(actor=request.user, **{"fact" if form_class is FactForm else "rule": form.instance})
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已保存")
            return redirect("registers:config")
    return render(request, "registers/form.html", {"form": form, "heading": heading})


@requires("register.configure")
@require_http_methods(["GET", "POST"])
def fact_edit(request, pk=None):
    instance = get_object_or_404(Fact.objects.select_related("owner"), pk=pk) if pk else None
    return _config_form(request, FactForm, instance, services.fact_save, "编辑基础数据项" if pk else "新增基础数据项")


@requires("register.configure")
@require_http_methods(["GET", "POST"])
def rule_edit(request, pk=None):
    instance = get_object_or_404(ClaimRule.objects.select_related("owner"), pk=pk) if pk else None
    return _config_form(request, RuleForm, instance, services.rule_save, "编辑数据核实规则" if pk else "新增数据核实规则")


# --- 半年督查核实: report claims ------------------------------------------------------------------


@requires("register.verify")
def claims(request, pk):
    plan = routine_selectors.inspection_for(request.scope, pk, "register.verify")
    return render(request, "registers/claims.html", {
        "plan": plan, "reports": selectors.plan_claims(plan), "verdicts": Verdict.choices,
    })


@requires("register.verify")
@require_POST
def claim_verify(request, pk, participant):
    plan = routine_selectors.inspection_for(request.scope, pk, "register.verify")
    entry = selectors.plan_report(plan, participant)
    form = VerifyForm(request.POST)
    claim = next((c for c in entry["claims"] if c.key == request.POST.get("claim")), None) if entry else None
    if claim is None:
        messages.error(request, "报告中已没有这条数据（报告可能已修改），请刷新后重试")
    elif not form.is_valid():
        messages.error(request, form_error_text(form))
    else:
        try:
            record = services.claim_verify(actor=request.user, plan=plan, participant=entry["participant"], claim=claim,
                                           verdict=form.cleaned_data["verdict"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "核实结果已记录" + ("，已转为问题清单中的问题" if record.problem_id else ""))
    return redirect("registers:claims", plan.pk)

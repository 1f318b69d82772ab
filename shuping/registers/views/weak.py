"""软弱涣散党组织整顿: list with progress, identification, milestones, progress with evidence, 验收."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from shuping.accounts.decorators import requires
from shuping.clock import today
from shuping.core.http import error_text, form_error_text, xlsx_response
from shuping.orgs.models import Org

from .. import selectors, weak
from ..forms import AcceptForm, IdentifyForm, MilestoneForm, ProgressForm
from ..models import WeakOrgCase, WeakProgress
from .common import import_page


def _case(request, pk, permission="register.view") -> WeakOrgCase:
    case = get_object_or_404(WeakOrgCase.objects.select_related("org", "leader_unit", "problem"), pk=pk)
    request.scope.require(case.org, "register.view")
    if permission != "register.view" and not request.scope.covers(case.org, permission):
        raise PermissionDenied
    return case


@requires("register.view")
def cases(request, org, year):
    root = selectors.org_for(request.scope, org)
    found = list(weak.cases_in(root, year))
    return render(request, "registers/weak_list.html", {
        "root": root, "year": year, "cases": found, "summary": weak.progress_summary(found),
        "can_manage": request.scope.covers(root, "register.confirm"),
    })


@requires("register.view")
def cases_export(request, org, year):
    root = selectors.org_for(request.scope, org)
    return xlsx_response(weak.cases_workbook(root, year), f"{root.name}{year}年软弱涣散党组织整顿台账.xlsx")


@requires("register.confirm")
def cases_template(request, org, year):
    root = selectors.org_for(request.scope, org, "register.confirm")
    return xlsx_response(weak.cases_workbook(root, year, template=True), f"{root.name}{year}年软弱涣散党组织名单模板.xlsx")


@requires("register.confirm")
@require_http_methods(["GET", "POST"])
def cases_import(request, org, year):
    root = selectors.org_for(request.scope, org, "register.confirm")
    return import_page(
        request, kind="registers.weak_import", params={"root": root.pk, "year": year},
        done_url=reverse("registers:weak_list", args=[root.pk, year]),
        heading=f"导入{root.name}{year}年软弱涣散党组织名单",
        help_text="工作表“软弱涣散党组织”，列：单位编码、单位名称、原因类别、具体表现、包联县级领导、包联单位编码、认定日期。",
        back=(reverse("registers:weak_list", args=[root.pk, year]), "软弱涣散党组织整顿"),
        template_url=reverse("registers:weak_template", args=[root.pk, year]))


@requires("register.confirm")
@require_http_methods(["GET", "POST"])
def case_new(request, org, year):
    root = selectors.org_for(request.scope, org, "register.confirm")
    form = IdentifyForm(request.POST or None, orgs=root.subtree().exclude(pk=root.pk).order_by("path"),
                        units=Org.objects.filter(pk__in=request.scope.orgs("register.confirm").values("pk")).order_by("path"),
                        initial={"identified_on": today()})
    if request.method == "POST" and form.is_valid():
        try:
            case = weak.case_identify(actor=request.user, year=year, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已列入软弱涣散党组织名单，并同步登记到问题清单")
            return redirect("registers:weak_case", case.pk)
    return render(request, "registers/form.html", {"form": form, "heading": f"认定{year}年软弱涣散党组织"})


@requires("register.view")
def case_detail(request, pk):
    case = _case(request, pk)
    can_manage = request.scope.covers(case.org, "register.confirm")
    can_report = can_manage or request.scope.covers(case.org, "register.enter")
    return render(request, "registers/weak_case.html", {
        "case": case, "milestones": case.milestones.all(), "progress": case.progress.select_related("milestone", "recorded_by"),
        "can_manage": can_manage, "can_report": can_report, "today": today(),
        "milestone_form": MilestoneForm(), "progress_form": ProgressForm(case=case), "accept_form": AcceptForm(),
    })


def _act(request, case, form, action, success):
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, success)
    else:
        messages.error(request, form_error_text(form))
    return redirect("registers:weak_case", case.pk)


@requires("register.confirm")
@require_POST
def milestone_add(request, pk):
    case = _case(request, pk, "register.confirm")
    return _act(request, case, MilestoneForm(request.POST), lambda data: weak.milestone_add(
        actor=request.user, case=case, **data), "整顿措施已添加")


@requires("register.view")
@require_POST
def progress_add(request, pk):
    case = _case(request, pk)
    if not (request.scope.covers(case.org, "register.enter") or request.scope.covers(case.org, "register.confirm")):
        raise PermissionDenied
    return _act(request, case, ProgressForm(request.POST, request.FILES, case=case), lambda data: weak.progress_add(
        actor=request.user, case=case, **data), "整顿进展已报告")


@requires("register.confirm")
@require_POST
def case_accept(request, pk):
    case = _case(request, pk, "register.confirm")
    return _act(request, case, AcceptForm(request.POST), lambda data: weak.case_accept(
        actor=request.user, case=case, passed=data["result"] == "passed", note=data["note"]), "验收结果已记录")


@requires("register.view")
def evidence(request, pk):
    progress = get_object_or_404(WeakProgress.objects.select_related("case__org"), pk=pk)
    request.scope.require(progress.case.org, "register.view")
    if not progress.evidence:
        raise Http404
    return FileResponse(progress.evidence.open("rb"), as_attachment=True,
                        filename=progress.evidence_name or progress.evidence.name.rsplit("/", 1)[-1])

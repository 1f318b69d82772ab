"""第一书记/驻村工作队 register."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from shuping.accounts.decorators import requires
from shuping.core.http import error_text, xlsx_response
from shuping.core.imports import run_import

from .. import posts, selectors
from ..forms import AssignmentForm, UploadForm
from ..models import Assignment


@requires("register.view")
def assignment_list(request, org, year):
    root = selectors.org_for(request.scope, org)
    found = list(posts.assignments_in(root, year))
    return render(request, "registers/posts.html", {
        "root": root, "year": year, "assignments": found,
        "villages": sum(1 for _ in {a.village_id for a in found if a.role == "first_secretary"}),
        "can_manage": request.scope.covers(root, "register.confirm"),
    })


@requires("register.view")
def assignment_export(request, org, year):
    root = selectors.org_for(request.scope, org)
    return xlsx_response(posts.assignments_workbook(root, year), f"{root.name}{year}年驻村干部台账.xlsx")


@requires("register.confirm")
def assignment_template(request, org, year):
    root = selectors.org_for(request.scope, org, "register.confirm")
    return xlsx_response(posts.assignments_workbook(root, template=True), f"{root.name}驻村干部导入模板.xlsx")


@requires("register.confirm")
@require_http_methods(["GET", "POST"])
def assignment_import(request, org, year):
    root = selectors.org_for(request.scope, org, "register.confirm")
    form = UploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        outcome = run_import(request, form, lambda upload: posts.assignments_import(
            upload, actor=request.user, root=root, max_bytes=settings.SHUPING_IMPORT_MAX_BYTES))
        errors = outcome.errors
        if outcome.ok:
            messages.success(request, f"导入成功：{len(outcome.result)} 名驻村干部")
            return redirect("registers:posts", root.pk, year)
    return render(request, "registers/list_import.html", {
        "root": root, "year": year, "form": form, "errors": errors, "heading": "导入第一书记和驻村工作队",
        "back": ("registers:posts", "第一书记和驻村工作队"), "template_url": "registers:post_template",
        "help": "工作表“驻村干部”，列：姓名、身份、派出单位、驻村单位编码、驻村单位名称、开始日期、结束日期、联系电话。",
    })


@requires("register.confirm")
@require_http_methods(["GET", "POST"])
def assignment_edit(request, org, year, pk=None):
    root = selectors.org_for(request.scope, org, "register.confirm")
    instance = get_object_or_404(Assignment, pk=pk, village__in=root.subtree()) if pk else None
    form = AssignmentForm(request.POST or None, instance=instance,
                          villages=root.subtree().filter(unit_type__in=posts.VILLAGE_TYPES).order_by("path"))
    if request.method == "POST" and form.is_valid():
        try:
            posts.assignment_save(actor=request.user, assignment=form.instance)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "已保存")
            return redirect("registers:posts", root.pk, year)
    return render(request, "registers/form.html", {"form": form, "heading": "编辑驻村干部" if pk else "登记第一书记/驻村工作队员"})

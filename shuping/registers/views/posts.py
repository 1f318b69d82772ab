"""第一书记/驻村工作队 register."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from shuping.accounts.decorators import requires
from shuping.core.http import error_text, form_error_text, xlsx_response

from .. import posts, selectors
from ..forms import AssignmentForm, DeleteForm
from ..models import Assignment
from .common import import_page


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
    return import_page(
        request, kind="registers.post_import", params={"root": root.pk}, done_url=reverse("registers:posts", args=[root.pk, year]),
        heading=f"导入{root.name}第一书记和驻村工作队",
        help_text="工作表“驻村干部”，列：姓名、身份、派出单位、驻村单位编码、驻村单位名称、开始日期、结束日期、联系电话。",
        back=(reverse("registers:posts", args=[root.pk, year]), "第一书记和驻村工作队"),
        template_url=reverse("registers:post_template", args=[root.pk, year]))


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
    return render(request, "registers/form.html", {
        "form": form, "heading": "编辑驻村干部" if pk else "登记第一书记/驻村工作队员",
        "delete_url": reverse("registers:post_delete", args=[root.pk, year, pk]) if pk else "",
        "delete_help": "仅用于登记错误的条目；期满或调整的请填写结束日期。审计日志保留原记录和删除原因。"})


@requires("register.confirm")
@require_POST
def assignment_delete(request, org, year, pk):
    root = selectors.org_for(request.scope, org, "register.confirm")
    assignment = get_object_or_404(Assignment.objects.select_related("village"), pk=pk, village__in=root.subtree())
    form = DeleteForm(request.POST)
    try:
        if not form.is_valid():
            raise posts.PostError(form_error_text(form))
        posts.assignment_delete(actor=request.user, assignment=assignment, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("registers:post_edit", root.pk, year, pk)
    messages.success(request, f"已删除{assignment.person_name}的驻村记录，原记录保留在审计日志中")
    return redirect("registers:posts", root.pk, year)

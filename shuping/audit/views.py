from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shuping.accounts.decorators import requires

from . import display
from .models import AuditEntry
from .services import checkpoint_current, checkpoint_parse, verify_chain


def entries_visible_to(scope, user):
    if user.is_superuser:
        return AuditEntry.objects.all()
    condition = Q(pk__in=[])
    for path in scope.paths("audit.view"):
        condition |= Q(org_path__gte=path, org_path__lt=path[:-1] + "0")
    return AuditEntry.objects.filter(condition)


@requires("audit.view")
def log(request):
    entries = entries_visible_to(request.scope, request.user)
    action = request.GET.get("action", "").strip()
    if action:
        entries = entries.filter(action__startswith=action)
    page = Paginator(entries.select_related("actor").order_by("-seq"), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"page": page, "rows": display.describe(page), "action": action,
                                              "action_choices": display.action_choices(),
                                              "checkpoint": checkpoint_current()})


@requires("audit.view")
@require_POST
def verify(request):
    text = request.POST.get("checkpoint", "").strip()
    try:
        point = checkpoint_parse(text) if text else None
    except ValueError as exc:
        messages.error(request, str(exc))
        return redirect("audit:log")
    checked, problems = verify_chain(checkpoint=point)
    if problems:
        for problem in problems[:20]:
            messages.error(request, problem.message)
    else:
        against = f"，与检查点 {point} 一致" if point else ""
        messages.success(request, f"审计日志完整：共 {checked} 条记录，哈希链校验通过{against}")
    return redirect("audit:log")

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shuping.accounts.decorators import requires
from shuping.campaigns.selectors import campaign_for
from shuping.clock import today
from shuping.jobs.services import job_start

from . import selectors, services


def _year(request) -> int:
    try:
        return int(request.GET.get("year") or today().year)
    except ValueError:
        return today().year


def _context(request):
    root = selectors.root_for(request.scope, request.GET.get("org"))
    return root, _year(request), {
        "root": root, "year": _year(request), "roots": selectors.roots(request.scope),
        "children": selectors.subordinates(root), "titles": selectors.TITLES,
        "query": f"org={root.pk}&year={_year(request)}",
    }


def _start_export(request, key: str, title: str, page_url: str):
    """Province-wide tables take a while: the export runs as a background job with a progress page."""
    root, year, context = _context(request)
    job = job_start(actor=request.user, kind="dashboards.export", title=f"导出{root.name}{year}年{title}",
                    params={"key": key, "root": root.pk, "year": year}, back_url=f"{page_url}?{context['query']}")
    return redirect("jobs:detail", job.pk)


@requires("dashboard.view")
def index(request):
    _root, _year_value, context = _context(request)
    return render(request, "dashboards/index.html", context)


@requires("dashboard.view")
def dashboard(request, key):
    root, year, context = _context(request)
    context.update(table=selectors.dashboard(key, root, year), key=key)
    kind = "special" if key == "grades-special" else "annual"
    if key in selectors.GRADE_KEYS and not selectors.published_results(root, year, kind).exists():
        context["earlier_year"] = selectors.latest_published_year(root, year)
    return render(request, "dashboards/dashboard.html", context)


@requires("dashboard.view")
@require_POST
def export(request, key):
    if key not in selectors.DASHBOARDS:
        raise Http404
    return _start_export(request, key, selectors.TITLES[key], reverse("dashboards:view", args=[key]))


@requires("dashboard.view")
def subordinates(request):
    root, year, context = _context(request)
    context.update(table=selectors.subordinate_table(root, year), key="subordinates")
    return render(request, "dashboards/subordinates.html", context)


@requires("dashboard.view")
@require_POST
def subordinates_export(request):
    return _start_export(request, "subordinates", "下级述职评议考核", reverse("dashboards:subordinates"))


def _cap(raw) -> Decimal:
    try:
        return Decimal(raw or services.DEFAULT_CAP)
    except InvalidOperation as exc:
        raise ValidationError("满分必须是数字") from exc


@requires("campaign.manage")
def linkage(request, pk):
    campaign = campaign_for(request.scope, pk, "campaign.manage")
    try:
        cap = _cap(request.GET.get("cap"))
    except ValidationError:
        cap = services.DEFAULT_CAP
    rows = services.linkage_rows(campaign, cap)
    return render(request, "dashboards/linkage.html", {"campaign": campaign, "rows": rows, "cap": cap})


@requires("campaign.manage")
@require_POST
def linkage_apply(request, pk):
    campaign = campaign_for(request.scope, pk, "campaign.manage")
    try:
        services.linkage_apply(actor=request.user, campaign=campaign, cap=_cap(request.POST.get("cap")))
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, "已将下级考核结果（好和较好占比 × 满分）计入各述职人的加分。")
    return redirect("dashboards:linkage", campaign.pk)

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shuping.accounts.decorators import requires
from shuping.campaigns.selectors import campaign_for
from shuping.clock import today
from shuping.core.http import xlsx_response
from shuping.core.xlsx import new_workbook, workbook_bytes, write_sheet

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


def _xlsx(table, root, year):
    workbook = new_workbook()
    write_sheet(workbook, table.title[:31], table.headers, table.rows)
    return xlsx_response(workbook_bytes(workbook), f"{root.name}{year}年{table.title}.xlsx")


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
def export(request, key):
    root, year, _context_value = _context(request)
    return _xlsx(selectors.dashboard(key, root, year), root, year)


@requires("dashboard.view")
def subordinates(request):
    root, year, context = _context(request)
    context.update(table=selectors.subordinate_table(root, year), key="subordinates")
    return render(request, "dashboards/subordinates.html", context)


@requires("dashboard.view")
def subordinates_export(request):
    root, year, _context_value = _context(request)
    return _xlsx(selectors.subordinate_table(root, year), root, year)


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

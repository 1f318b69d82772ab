"""Reads for the unit's own part and the superior's queues, always from the user's scope."""

import datetime

from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404

from shuping.accounts.permissions import roles_with
from shuping.clock import today
from shuping.orgs.models import Org, UnitType
from shuping.rectification.models import OPEN_STATUSES, Problem, Rectification
from shuping.routine.models import ResponsibilityItem

from .models import Claim, PlanState, QuarterlyReport, ResponsibilityUpdate, UnitPlan, UpdateState
from .services import PUSHED_SOURCES


def _org_ids(scope, permission: str):
    return Org.objects.within_any(scope.paths(permission)).values("pk")


def current_quarter(day: datetime.date | None = None) -> tuple[int, int]:
    day = day or today()
    return day.year, (day.month - 1) // 3 + 1


def unit_orgs(scope) -> list[Org]:
    """The orgs the user acts for: where a unit role is granted (their subtrees are in scope too)."""
    return scope.root_orgs("unit.act")


def own_orgs(scope, permission: str = "unit.act") -> list[Org]:
    """The orgs a unit role is granted on, themselves: their own work, not their villages'."""
    roles = set(roles_with(permission))
    return sorted({grant.org for grant in scope.grants if grant.role in roles}, key=lambda org: org.path)


def unit_problems(scope):
    """Open and closed problems of the user's unit(s), with claim and plan state at hand."""
    return (Problem.objects.filter(org__in=_org_ids(scope, "unit.act"))
            .select_related("org", "rectification", "rectification__unit_plan", "claim")
            .annotate(claimed=Exists(Claim.objects.filter(problem=OuterRef("pk"))))
            .order_by("-found_on", "-pk"))


def unit_problem_for(scope, pk: int) -> Problem:
    return get_object_or_404(unit_problems(scope), pk=pk)


def unit_rectification_for(scope, pk: int) -> Rectification:
    queryset = Rectification.objects.filter(org__in=_org_ids(scope, "unit.act"), problem__isnull=False)
    return get_object_or_404(queryset.select_related("org", "problem", "owner"), pk=pk)


def unclaimed(problems):
    return problems.filter(source__in=PUSHED_SOURCES, claimed=False, rectification__status__in=OPEN_STATUSES)


def needing_plan(problems):
    """Open problems without an approved or pending plan and no plan set by the superior."""
    return problems.filter(rectification__status__in=OPEN_STATUSES, rectification__measures="").exclude(
        rectification__unit_plan__state__in=[PlanState.SUBMITTED, PlanState.APPROVED])


def plan_of(rectification: Rectification) -> UnitPlan | None:
    return UnitPlan.objects.filter(rectification=rectification).first()


def plans_to_review(scope):
    return (UnitPlan.objects.filter(state=PlanState.SUBMITTED,
                                    rectification__org__in=_org_ids(scope, "problem.manage"))
            .select_related("rectification__org", "rectification__problem", "owner", "submitted_by")
            .order_by("submitted_at", "pk"))


def plan_for_review(scope, pk: int) -> UnitPlan:
    queryset = UnitPlan.objects.filter(rectification__org__in=_org_ids(scope, "problem.manage"))
    return get_object_or_404(queryset.select_related("rectification__org", "rectification__problem", "owner"), pk=pk)


def claim_overview(scope):
    """Pushed open problems in the superior's scope, claimed and unclaimed."""
    problems = (Problem.objects.filter(org__in=_org_ids(scope, "problem.manage"), source__in=PUSHED_SOURCES,
                                       rectification__status__in=OPEN_STATUSES)
                .select_related("org", "claim").annotate(claimed=Exists(Claim.objects.filter(problem=OuterRef("pk"))))
                .order_by("claimed", "org__path", "-found_on"))
    return problems


def unit_items(scope, year: int | None = None):
    year = year or today().year
    return (ResponsibilityItem.objects.filter(org__in=_org_ids(scope, "unit.act"), year=year)
            .select_related("org").prefetch_related("progress", "unit_updates").order_by("deadline", "pk"))


def unit_item_for(scope, pk: int) -> ResponsibilityItem:
    queryset = ResponsibilityItem.objects.filter(org__in=_org_ids(scope, "unit.act"))
    return get_object_or_404(queryset.select_related("org").prefetch_related("progress"), pk=pk)


def pending_update(item: ResponsibilityItem) -> ResponsibilityUpdate | None:
    return item.unit_updates.filter(state=UpdateState.SUBMITTED).first()


def items_needing_update(scope, day: datetime.date | None = None):
    """The own orgs' incomplete items with no update waiting; the unit should report on them."""
    day = day or today()
    items = unit_items(scope, day.year).exclude(unit_updates__state=UpdateState.SUBMITTED).filter(
        org__in=own_orgs(scope))
    return [item for item in items if item.completion < 100]


def updates_to_confirm(scope):
    return (ResponsibilityUpdate.objects.filter(state=UpdateState.SUBMITTED,
                                                item__org__in=_org_ids(scope, "routine.manage"))
            .select_related("item__org", "submitted_by").order_by("submitted_at", "pk"))


def update_for(scope, pk: int, permission: str) -> ResponsibilityUpdate:
    queryset = ResponsibilityUpdate.objects.filter(item__org__in=_org_ids(scope, permission))
    return get_object_or_404(queryset.select_related("item__org"), pk=pk)


def quarterly_report_of(org: Org, year: int, quarter: int) -> QuarterlyReport | None:
    return QuarterlyReport.objects.filter(org=org, year=year, quarter=quarter).first()


# Units that report to the quarterly 调度会 of their superior (departments report elsewhere).
REPORTING_TYPES = (UnitType.TOWNSHIP, UnitType.STREET, UnitType.PARK, UnitType.VILLAGE, UnitType.COMMUNITY)


def reporting_units(scope) -> list[Org]:
    """Units that owe a quarterly report: the user's own unit orgs that have a superior."""
    return [org for org in own_orgs(scope) if org.parent_id and org.unit_type in REPORTING_TYPES]


def quarterly_missing(scope, year: int, quarter: int) -> list[Org]:
    done = set(QuarterlyReport.objects.filter(year=year, quarter=quarter).values_list("org_id", flat=True))
    return [org for org in reporting_units(scope) if org.pk not in done]


def organisers(scope) -> list[Org]:
    return scope.root_orgs("routine.manage")


def quarterly_overview(organiser: Org, year: int, quarter: int) -> list[dict]:
    """Every direct subordinate unit of the organiser, with its report or None (未报送)."""
    reports = {r.org_id: r for r in QuarterlyReport.objects.filter(organiser=organiser, year=year, quarter=quarter)}
    units = Org.objects.filter(parent=organiser, unit_type__in=REPORTING_TYPES).order_by("path")
    return [{"org": org, "report": reports.get(org.pk)} for org in units]


def quarterly_report_for(scope, pk: int) -> QuarterlyReport:
    """Readable by the unit itself and by whoever sees routine work over the organiser."""
    queryset = QuarterlyReport.objects.filter(
        Q(org__in=_org_ids(scope, "unit.act")) | Q(organiser__in=_org_ids(scope, "routine.view")))
    return get_object_or_404(queryset.select_related("org", "organiser"), pk=pk)

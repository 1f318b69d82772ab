"""Reads for routine assessment, always starting from the user's scope (outside → 404).

Rankings and the routine score are computed here from MonthlyScore rows; nothing derived is stored.

Routine score (日常考核得分, normalised to 100) of a unit for an organiser's year::

    routine = 100 × Σ scores of the unit in the year / (M × Σ max scores of the year's indicators)

where M is the number of months in which the unit has at least one score. A month counts only
once it has been scored, so units are not punished for months not scored yet; an indicator left
empty in a scored month counts as 0. Rounded to 2 places, ROUND_HALF_UP. No scores: no routine
score (None), so the composite leaves the component out instead of counting it as 0.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.shortcuts import get_object_or_404

from shuping.orgs.models import Org, UnitType

from .models import (
    InspectionPlan,
    MonthlyScore,
    QuarterlyCircular,
    ResponsibilityItem,
    ResultUse,
    RoutineIndicator,
)

TWO = Decimal("0.01")
HUNDRED = Decimal(100)
T = UnitType
# Ranking groups when an organiser defines none, by the organiser's level: (name, unit types);
# an empty set takes every remaining unit.
DEFAULT_GROUPS: dict[str, list[tuple[str, set]]] = {
    T.PROVINCE: [("市（州）", {T.PREFECTURE}), ("省直单位", set())],
    T.PREFECTURE: [("县（市、区）", {T.COUNTY}), ("市（州）直单位", set())],
    T.COUNTY: [("乡镇（街道、园区）", {T.TOWNSHIP, T.STREET, T.PARK}), ("县直单位", set())],
    T.TOWNSHIP: [("村", {T.VILLAGE}), ("社区", {T.COMMUNITY}), ("其他党组织", set())],
    T.STREET: [("社区", {T.COMMUNITY}), ("村", {T.VILLAGE}), ("其他党组织", set())],
    T.PARK: [("企业", {T.ENTERPRISE}), ("其他党组织", set())],
}
FALLBACK_GROUPS = [("下级单位", set())]


def q2(value: Decimal) -> Decimal:
    return value.quantize(TWO, rounding=ROUND_HALF_UP)


def completion_percent(achieved: Decimal | None, target: Decimal) -> Decimal:
    if achieved is None or not target:
        return Decimal("0.00")
    return q2(min(HUNDRED, achieved * HUNDRED / target))


def ranking_groups(organiser: Org) -> list[tuple[str, set]]:
    """The organiser's own groups (routine.RankingGroup), else the defaults for its level."""
    from .models import RankingGroup

    own = [(g.name, set(g.unit_types)) for g in RankingGroup.objects.filter(organiser=organiser)]
    return own or DEFAULT_GROUPS.get(organiser.unit_type, FALLBACK_GROUPS)


def group_resolver(organiser: Org):
    """org → group name under this organiser; the first group listing the unit's type wins,
    then the first catch-all group (empty types), else "其他单位"."""
    groups = ranking_groups(organiser)
    catch_all = next((name for name, types in groups if not types), "其他单位")

    def resolve(org: Org) -> str:
        return next((name for name, types in groups if org.unit_type in types), catch_all)

    resolve.order = [name for name, _types in groups] + ([catch_all] if catch_all == "其他单位" else [])
    return resolve


def _within(prefix: str, paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}path__gte": path, f"{prefix}path__lt": path[:-1] + "0"})
    return condition


# ---- organisers and units --------------------------------------------------------------------


def organiser_for(scope, pk: int, permission: str = "routine.view") -> Org:
    return get_object_or_404(scope.orgs(permission), pk=pk)


def organiser_choices(scope, permission: str = "routine.view"):
    """Orgs in scope that have subordinate units to score."""
    return scope.orgs(permission).filter(children__isnull=False).distinct().order_by("depth", "path")


def units(organiser: Org):
    """The units an organiser scores: its direct subordinates."""
    return Org.objects.filter(parent=organiser).order_by("sort_order", "code")


def indicators(organiser: Org, year: int):
    return RoutineIndicator.objects.filter(organiser=organiser, year=year).order_by("order", "code")


def years_with_indicators(organiser: Org) -> list[int]:
    return sorted(set(RoutineIndicator.objects.filter(organiser=organiser).values_list("year", flat=True)), reverse=True)


# ---- rankings ----------------------------------------------------------------------------------


@dataclass
class RankRow:
    org: Org
    group: str
    total: Decimal
    scores: dict = field(default_factory=dict)  # indicator code → Decimal (monthly tables)
    rank: int | None = None
    months: int = 0
    previous_rank: int | None = None
    routine: Decimal | None = None

    @property
    def movement(self) -> int | None:
        """Places gained since the previous period (positive = up)."""
        if self.rank is None or self.previous_rank is None:
            return None
        return self.previous_rank - self.rank

    @property
    def average(self) -> Decimal | None:
        return q2(self.total / self.months) if self.months else None


def assign_ranks(rows: list[RankRow], order: list[str] | None = None) -> list[RankRow]:
    """Rank within each group by total, descending; equal totals share a rank (1, 2, 2, 4).

    Returned grouped (in the organiser's group order), then by rank, then org code for a stable order.
    """
    by_group: dict[str, list[RankRow]] = defaultdict(list)
    for row in rows:
        by_group[row.group].append(row)
    order = order or []
    ordered = []
    for group in sorted(by_group, key=lambda g: (order.index(g) if g in order else len(order), g)):
        members = sorted(by_group[group], key=lambda r: (-r.total, r.org.code))
        previous_total, previous_rank = None, 0
        for position, row in enumerate(members, start=1):
            if row.total != previous_total:
                previous_rank, previous_total = position, row.total
            row.rank = previous_rank
        ordered.extend(members)
    return ordered


def _scores(organiser: Org, year: int, months):
    return MonthlyScore.objects.filter(indicator__organiser=organiser, indicator__year=year, month__in=list(months))


def month_table(organiser: Org, year: int, month: int) -> list[RankRow]:
    """Units with at least one score in the month, with per-indicator scores and ranks."""
    rows: dict[int, RankRow] = {}
    org_by_id = {o.pk: o for o in units(organiser)}
    group = group_resolver(organiser)
    for org_id, code, score in _scores(organiser, year, [month]).values_list("org_id", "indicator__code", "score"):
        org = org_by_id.get(org_id) or Org.objects.get(pk=org_id)
        row = rows.setdefault(org_id, RankRow(org=org, group=group(org), total=Decimal(0), months=1))
        row.scores[code] = score
        row.total += score
    return assign_ranks(list(rows.values()), group.order)


def period_table(organiser: Org, year: int, months) -> list[RankRow]:
    """Units ranked by their total over the given months."""
    rows: dict[int, RankRow] = {}
    month_sets: dict[int, set] = defaultdict(set)
    org_by_id = {o.pk: o for o in units(organiser)}
    group = group_resolver(organiser)
    for org_id, month, score in _scores(organiser, year, months).values_list("org_id", "month", "score"):
        org = org_by_id.get(org_id) or Org.objects.get(pk=org_id)
        row = rows.setdefault(org_id, RankRow(org=org, group=group(org), total=Decimal(0)))
        row.total += score
        month_sets[org_id].add(month)
    for org_id, row in rows.items():
        row.months = len(month_sets[org_id])
    return assign_ranks(list(rows.values()), group.order)


def quarter_months(quarter: int) -> list[int]:
    return [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]


def quarter_table(organiser: Org, year: int, quarter: int) -> list[RankRow]:
    """The quarter's ranking with each unit's rank in the previous quarter (same year) for ↑↓."""
    rows = period_table(organiser, year, quarter_months(quarter))
    if quarter > 1:
        previous = {r.org.pk: r.rank for r in period_table(organiser, year, quarter_months(quarter - 1))}
        for row in rows:
            row.previous_rank = previous.get(row.org.pk)
    return rows


def max_total(organiser: Org, year: int) -> Decimal:
    return sum((i.max_score for i in indicators(organiser, year)), Decimal(0))


def year_table(organiser: Org, year: int) -> list[RankRow]:
    """Year total, months scored, average per month and the routine score (normalised to 100)."""
    rows = period_table(organiser, year, range(1, 13))
    full = max_total(organiser, year)
    for row in rows:
        row.routine = routine_from(row.total, row.months, full)
    return rows


def routine_from(total: Decimal, months: int, full: Decimal) -> Decimal | None:
    if not months or not full:
        return None
    return q2(total * HUNDRED / (months * full))


def routine_scores(organiser: Org, year: int, org_ids) -> dict[int, tuple[Decimal, int, int]]:
    """{org id: (routine score, months scored, monthly records)} for the given units."""
    full = max_total(organiser, year)
    totals: dict[int, Decimal] = defaultdict(Decimal)
    months: dict[int, set] = defaultdict(set)
    records: dict[int, int] = defaultdict(int)
    queryset = MonthlyScore.objects.filter(indicator__organiser=organiser, indicator__year=year, org_id__in=list(org_ids))
    for org_id, month, score in queryset.values_list("org_id", "month", "score"):
        totals[org_id] += score
        months[org_id].add(month)
        records[org_id] += 1
    result = {}
    for org_id, total in totals.items():
        score = routine_from(total, len(months[org_id]), full)
        if score is not None:
            result[org_id] = (score, len(months[org_id]), records[org_id])
    return result


def campaign_routine_details(campaign) -> dict[int, tuple[Decimal, int, int]]:
    """{participant id: (routine score, months, records)} from the organiser's monthly scores."""
    participants = list(campaign.participants.values_list("pk", "org_id"))
    scores = routine_scores(campaign.organiser, campaign.year, [org_id for _, org_id in participants])
    return {pk: scores[org_id] for pk, org_id in participants if org_id in scores}


def campaign_routine_scores(campaign) -> dict[int, Decimal]:
    """The ROUTINE_SCORE_SOURCES hook: {participant id: routine score}."""
    return {pk: detail[0] for pk, detail in campaign_routine_details(campaign).items()}


campaign_routine_scores.label = "由日常考核月度评分折算"
campaign_routine_scores.url_name = "routine:composition"


def unit_months(organiser: Org, year: int, unit: Org) -> list[dict]:
    """One unit's scores by month: [{month, scores{code: Decimal}, total}]."""
    by_month: dict[int, dict] = {}
    queryset = _scores(organiser, year, range(1, 13)).filter(org=unit)
    for month, code, score in queryset.values_list("month", "indicator__code", "score"):
        entry = by_month.setdefault(month, {"month": month, "scores": {}, "total": Decimal(0)})
        entry["scores"][code] = score
        entry["total"] += score
    return [by_month[m] for m in sorted(by_month)]


def unit_organisers(scope, unit: Org) -> list[tuple[Org, int]]:
    """(organiser, year) pairs under which the unit has scores, newest first."""
    pairs = (MonthlyScore.objects.filter(org=unit).values_list("indicator__organiser", "indicator__year")
             .distinct().order_by("-indicator__year"))
    orgs = Org.objects.in_bulk([o for o, _ in pairs])
    return [(orgs[o], y) for o, y in pairs]


# ---- responsibility lists, circulars, inspections -------------------------------------------


def responsibility_items(organiser: Org, year: int, within: Org | None = None):
    queryset = (ResponsibilityItem.objects.filter(organiser=organiser, year=year)
                .select_related("org").prefetch_related("progress"))
    if within is not None:
        queryset = queryset.filter(org__path__gte=within.path, org__path__lt=within.path[:-1] + "0")
    return queryset


def responsibility_for(scope, pk: int, permission: str = "routine.view") -> ResponsibilityItem:
    queryset = ResponsibilityItem.objects.filter(_within("org__", scope.paths(permission)))
    return get_object_or_404(queryset.select_related("org", "organiser"), pk=pk)


def circulars(organiser: Org):
    return QuarterlyCircular.objects.filter(organiser=organiser)


def circular_for(scope, pk: int, permission: str = "routine.view") -> QuarterlyCircular:
    queryset = QuarterlyCircular.objects.filter(_within("organiser__", scope.paths(permission)))
    return get_object_or_404(queryset.select_related("organiser"), pk=pk)


def visible_inspections(scope, permission: str = "routine.view"):
    return InspectionPlan.objects.filter(_within("org__", scope.paths(permission))).select_related("org")


def inspection_for(scope, pk: int, permission: str = "routine.view") -> InspectionPlan:
    return get_object_or_404(visible_inspections(scope, permission), pk=pk)


# ---- result uses ------------------------------------------------------------------------------


def visible_uses(scope, permission: str = "routine.view"):
    return ResultUse.objects.filter(_within("org__", scope.paths(permission))).select_related(
        "person", "result__version__campaign", "org")


def person_results(person):
    """The person's published results over the years: the latest version of each campaign."""
    from shuping.campaigns.models import ParticipantResult

    rows = (ParticipantResult.objects.filter(participant__secretary=person)
            .select_related("participant__org", "participant__ranking_group", "version__campaign")
            .order_by("-version__campaign__year", "version__campaign_id", "-version__number"))
    latest: dict[int, object] = {}
    for row in rows:
        latest.setdefault(row.version.campaign_id, row)
    return list(latest.values())

"""Reads behind the dashboards, all aggregate queries starting from one org of the user's scope.

Every dashboard is a `Table` (the same rows feed the chart, the HTML table and the .xlsx
export, so they cannot disagree). Rows are grouped by the *direct subordinates* of the chosen
root (省 → 市/州, 市/州 → 县, 县 → 乡镇/部门): one SQL CASE over the indexed path column does
that grouping inside the database, never a Python loop over villages.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Sum, Value, When
from django.http import Http404

from shuping.campaigns.models import (
    Campaign,
    CampaignKind,
    CampaignState,
    Grade,
    Participant,
    ParticipantResult,
    ResultVersion,
)
from shuping.clock import today
from shuping.orgs.models import Org, Sector
from shuping.registers.charts import TABLES as REGISTER_TABLES
from shuping.registers.charts import TITLES as REGISTER_TITLES

PERM = "dashboard.view"
GRADES = [g.value for g in Grade]
PUBLISHED = (CampaignState.PUBLISHED, CampaignState.ARCHIVED)
TWO = Decimal("0.01")
NO_GRADE = "未评定"


@dataclass
class Table:
    key: str
    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)
    chart: dict = field(default_factory=dict)
    note: str = ""


def _pct(part, whole) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(TWO, ROUND_HALF_UP)


# ---- scope ------------------------------------------------------------------------------------


def roots(scope) -> list[Org]:
    return scope.root_orgs(PERM)


def root_for(scope, org_pk: str | int | None) -> Org:
    """The org a dashboard starts from: the user's first root, or any org inside the scope."""
    if org_pk:
        try:
            org = Org.objects.get(pk=int(org_pk))
        except (ValueError, Org.DoesNotExist) as exc:
            raise Http404 from exc
        scope.require(org, PERM)
        return org
    found = roots(scope)
    if not found:
        raise Http404
    return found[0]


def subordinates(root: Org) -> list[Org]:
    return list(Org.objects.filter(parent=root).order_by("sort_order", "code"))


def _unit_case(children: list[Org], prefix: str) -> Case:
    """SQL CASE mapping a row to the pk of the child of the root whose subtree holds it."""
    whens = [
        When(Q(**{f"{prefix}path__gte": c.path, f"{prefix}path__lt": c.path[:-1] + "0"}), then=Value(c.pk))
        for c in children
    ]
    return Case(*whens, default=Value(0), output_field=IntegerField())


def _within(prefix: str, org: Org) -> Q:
    return Q(**{f"{prefix}path__gte": org.path, f"{prefix}path__lt": org.path[:-1] + "0"})


def latest_versions(year: int, kind: str | None = CampaignKind.ANNUAL):
    """The newest version of every published campaign of the year and kind (corrections supersede);
    annual by default, so a mid-year 专项述职 never mixes into the annual grade figures; None: any kind."""
    newest = ResultVersion.objects.filter(campaign=OuterRef("campaign")).order_by("-number").values("pk")[:1]
    kind_filter = {"campaign__kind": kind} if kind else {}
    return ResultVersion.objects.filter(
        campaign__year=year, campaign__state__in=PUBLISHED, pk=Subquery(newest), **kind_filter,
    ).values("pk")


def published_results(root: Org, year: int, kind: str | None = CampaignKind.ANNUAL):
    return ParticipantResult.objects.filter(version__in=latest_versions(year, kind)).filter(
        _within("participant__org__", root))


# ---- 1. campaign progress -----------------------------------------------------------------------


def campaigns_in(root: Org, year: int, *, below_only: bool = False):
    qs = Campaign.objects.filter(_within("organiser__", root), year=year)
    if below_only:
        qs = qs.exclude(organiser=root)
    return qs


def _count_subquery(queryset, outer="pk", field_name="campaign"):
    return Subquery(
        queryset.filter(**{field_name: OuterRef(outer)}).order_by().values(field_name).annotate(n=Count("pk")).values("n")[:1],
        output_field=IntegerField(),
    )


def campaign_rows(root: Org, year: int, *, below_only: bool = False) -> list[dict]:
    """Per campaign: state, reports submitted/approved, review actions, ballots, grade counts."""
    from shuping.campaigns.models import Ballot

    qs = campaigns_in(root, year, below_only=below_only).select_related("organiser").annotate(
        n_participants=_count_subquery(Participant.objects.all()),
        n_ballots=_count_subquery(Ballot.objects.filter(is_test=False)),
    )
    report_counts = _report_counts(qs)
    grade_counts: dict[int, dict[str, int]] = {}
    rows = (
        ParticipantResult.objects.filter(version__in=latest_versions(year, None), version__campaign__in=qs.values("pk"))
        .values("version__campaign_id", "grade").annotate(n=Count("pk")).order_by()
    )
    for row in rows:
        grade_counts.setdefault(row["version__campaign_id"], {})[row["grade"] or NO_GRADE] = row["n"]
    result = []
    for c in qs.order_by("organiser__path", "title"):
        reports = report_counts.get(c.pk, {})
        grades = grade_counts.get(c.pk, {})
        result.append({
            "campaign": c, "organiser": c.organiser.name, "title": c.title, "state": c.get_state_display(),
            "participants": c.n_participants or 0, "submitted": reports.get("submitted", 0),
            "approved": reports.get("approved", 0), "reviews": reports.get("reviews", 0),
            "ballots": c.n_ballots or 0, "grades": [grades.get(g, 0) for g in GRADES],
        })
    return result


def _report_counts(campaigns) -> dict[int, dict[str, int]]:
    """Reports submitted (at least once) and approved, and review actions, per campaign."""
    try:
        from shuping.reports.models import Report, ReportState, ReviewAction
    except ImportError:  # reports app absent: progress shows zero reports
        return {}
    counts: dict[int, dict[str, int]] = {}
    rows = (
        Report.objects.filter(participant__campaign__in=campaigns.values("pk"), participant__kind="unit")
        .values("participant__campaign_id")
        .annotate(submitted=Count("pk", filter=Q(first_submitted_at__isnull=False)),
                  approved=Count("pk", filter=Q(state=ReportState.APPROVED)))
        .order_by()
    )
    for row in rows:
        counts[row["participant__campaign_id"]] = {"submitted": row["submitted"], "approved": row["approved"]}
    reviews = (
        ReviewAction.objects.filter(report__participant__campaign__in=campaigns.values("pk"),
                                    report__participant__kind="unit")
        .values("report__participant__campaign_id").annotate(n=Count("pk")).order_by()
    )
    for row in reviews:
        counts.setdefault(row["report__participant__campaign_id"], {})["reviews"] = row["n"]
    return counts


def progress_table(root: Org, year: int) -> Table:
    rows = campaign_rows(root, year)
    table = Table("progress", "述职评议考核进度",
                  ["组织单位", "考核名称", "状态", "述职人", "报告已提交", "报告已通过", "审核办理次数", "测评票"])
    for r in rows:
        table.rows.append([r["organiser"], r["title"], r["state"], r["participants"], r["submitted"], r["approved"],
                           r["reviews"], r["ballots"]])
    table.chart = {
        "type": "bar", "categories": [r[0] for r in table.rows],
        "series": [{"name": h, "data": [r[i] for r in table.rows]} for i, h in enumerate(table.headers) if i in (3, 4, 5)],
        "series2": [{"name": "测评票", "data": [r[7] for r in table.rows]}],
    }
    return table


# ---- 2. grade distribution ---------------------------------------------------------------------


def _grade_table(key, title, first_header, labelled_counts) -> Table:
    table = Table(key, title, [first_header, *GRADES, "合计", "好和较好占比（%）"])
    for label, counts in labelled_counts:
        total = sum(counts.get(g, 0) for g in GRADES)
        good = counts.get("好", 0) + counts.get("较好", 0)
        table.rows.append([label, *[counts.get(g, 0) for g in GRADES], total, _pct(good, total)])
    table.chart = {
        "type": "stacked", "categories": [r[0] for r in table.rows],
        "series": [{"name": g, "data": [r[i + 1] for r in table.rows]} for i, g in enumerate(GRADES)],
    }
    return table


def grades_by_sector_table(root: Org, year: int) -> Table:
    rows = (published_results(root, year).exclude(grade="")
            .values("participant__org__sector", "grade").annotate(n=Count("pk")).order_by())
    counts: dict[str, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["participant__org__sector"] or "", {})[row["grade"]] = row["n"]
    labels = dict(Sector.choices)
    ordered = [(labels.get(s, "其他"), counts[s]) for s in [*labels, ""] if s in counts]
    return _grade_table("grades-sector", "等次分布（按领域）", "领域", ordered)


def grades_by_unit_table(root: Org, year: int, kind: str = CampaignKind.ANNUAL,
                         children: list[Org] | None = None) -> Table:
    """`children`: the root's subordinates when the caller already read them (the level speech)."""
    children = subordinates(root) if children is None else children
    rows = (published_results(root, year, kind).exclude(grade="")
            .annotate(unit=_unit_case(children, "participant__org__"))
            .values("unit", "grade").annotate(n=Count("pk")).order_by())
    counts: dict[int, dict[str, int]] = {}
    for row in rows:
        counts.setdefault(row["unit"], {})[row["grade"]] = row["n"]
    ordered = [(c.name, counts[c.pk]) for c in children if c.pk in counts]
    if kind == CampaignKind.SPECIAL:
        table = _grade_table("grades-special", f"专项述职等次分布（按{root.name}下属单位）", "单位", ordered)
        table.note = "统计各单位及其下属单位在本年度已发布的专项述职（年中）中的等次（以最新发布版本为准）。"
        return table
    table = _grade_table("grades-unit", f"等次分布（按{root.name}下属单位）", "单位", ordered)
    table.note = "统计各单位及其下属单位在本年度已发布年度考核中的等次（以最新发布版本为准）；专项述职另见“专项述职”。"
    return table


def special_table(root: Org, year: int) -> Table:
    """年中专项述职: grade distribution of the year's published special campaigns under the root."""
    return grades_by_unit_table(root, year, CampaignKind.SPECIAL)


# ---- 3. routine-score trends --------------------------------------------------------------------


def routine_table(root: Org, year: int, children: list[Org] | None = None) -> Table:
    """Monthly score rate (Σ score / Σ max × 100) per subordinate unit's subtree.

    Scores are summed in two aggregate queries. Indicators whose organiser lies inside one
    child's subtree (a county scoring its townships and villages, seen from the province) are
    grouped by organiser: a few hundred groups instead of a CASE over every score row, which is
    what keeps the province view fast over 25,000 villages. Indicators organised at the root or
    above are grouped per scored org with the path CASE (their rows are few). Scored units are
    taken to lie in their organiser's subtree, as routine assessment is always of subordinates.
    """
    from shuping.routine.models import MonthlyScore, RoutineIndicator

    children = subordinates(root) if children is None else children
    table = Table("routine", "日常考核月度得分率趋势", ["单位", *[f"{m}月" for m in range(1, 13)], "全年"])
    if not children:
        return table
    by_unit: dict[int, dict[int, list[Decimal]]] = {}

    def add(unit, month, score, maximum):
        cell = by_unit.setdefault(unit, {}).setdefault(month, [Decimal(0), Decimal(0)])
        cell[0] += score or 0
        cell[1] += maximum or 0

    inner = dict(RoutineIndicator.objects.filter(year=year, organiser__depth__gt=root.depth)
                 .filter(_within("organiser__", root)).values_list("organiser_id", "organiser__path").distinct())
    unit_of_organiser = {
        organiser_id: next((c.pk for c in children if path.startswith(c.path)), 0) for organiser_id, path in inner.items()
    }
    rows = (
        MonthlyScore.objects.filter(indicator__year=year, indicator__organiser_id__in=list(inner))
        .values("indicator__organiser_id", "month").annotate(s=Sum("score"), m=Sum("indicator__max_score")).order_by()
    )
    for row in rows:
        add(unit_of_organiser[row["indicator__organiser_id"]], row["month"], row["s"], row["m"])
    rows = (
        MonthlyScore.objects.filter(indicator__year=year, indicator__organiser__depth__lte=root.depth)
        .filter(_within("org__", root)).annotate(unit=_unit_case(children, "org__"))
        .values("unit", "month").annotate(s=Sum("score"), m=Sum("indicator__max_score")).order_by()
    )
    for row in rows:
        add(row["unit"], row["month"], row["s"], row["m"])
    for child in children:
        months = by_unit.get(child.pk)
        if not months:
            continue
        rates = [_pct(*months[m]) if m in months else None for m in range(1, 13)]
        year_s = sum((v[0] for v in months.values()), Decimal(0))
        year_m = sum((v[1] for v in months.values()), Decimal(0))
        table.rows.append([child.name, *rates, _pct(year_s, year_m)])
    table.chart = {
        "type": "line", "categories": table.headers[1:13], "decimals": 2,
        "series": [{"name": r[0], "data": [float(v) if v is not None else None for v in r[1:13]]} for r in table.rows],
    }
    table.note = "得分率 = 该单位及其下属单位当月各项日常考核得分之和 ÷ 满分之和 × 100。"
    return table


# ---- 4. rectification ---------------------------------------------------------------------------


def rectification_table(root: Org, year: int, children: list[Org] | None = None) -> Table:
    """The ledger's own rows (one per rectification, 共性问题 included) counted status by status,
    so each figure equals what the 整改清单 shows for that unit and status."""
    from shuping.rectification.models import Rectification, Status

    children = subordinates(root) if children is None else children
    statuses = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.PENDING, Status.OVERDUE, Status.CLOSED]
    table = Table("rectification", "问题整改完成与逾期情况",
                  ["单位", "问题数", *[Status(s).label for s in statuses], "销号率（%）"])
    if not children:
        return table
    rows = (
        Rectification.objects.filter(Q(problem__found_on__year=year) | Q(common__created_at__year=year))
        .filter(_within("org__", root))
        .annotate(unit=_unit_case(children, "org__")).values("unit")
        .annotate(total=Count("pk"), **{s: Count("pk", filter=Q(status=s)) for s in statuses})
        .order_by()
    )
    by_unit = {row["unit"]: row for row in rows}
    for child in children:
        row = by_unit.get(child.pk)
        if not row:
            continue
        table.rows.append([child.name, row["total"], *[row[s] for s in statuses],
                           _pct(row[Status.CLOSED], row["total"])])
    table.chart = {
        "type": "stacked", "categories": [r[0] for r in table.rows],
        "series": [{"name": h, "data": [r[i] for r in table.rows]} for i, h in enumerate(table.headers)
                   if 2 <= i < 2 + len(statuses)],
    }
    table.note = ("与整改清单逐项一致：按问题发现年度（共性问题按建立年度）统计本单位及下属单位的整改事项；"
                  "“未开始”即尚未制定整改方案。")
    return table


# ---- 5. the tree coloured by grade --------------------------------------------------------------

TREE_LEVELS = 3  # at most three levels below the root: a province shows down to its townships


def tree_levels(root: Org, year: int) -> int:
    """Down to the deepest level that holds a graded unit (at least one level, at most TREE_LEVELS):
    villages without grades would only add thousands of grey tiles."""
    deepest = (published_results(root, year).filter(participant__org__depth__lte=root.depth + TREE_LEVELS)
               .order_by("-participant__org__depth").values_list("participant__org__depth", flat=True).first())
    return max(1, (deepest or root.depth + 1) - root.depth)


def tree_table(root: Org, year: int) -> Table:
    """Units below the root (see tree_levels), each with its latest published grade of the year."""
    levels = tree_levels(root, year)
    orgs = list(
        Org.objects.filter(_within("", root), depth__lte=root.depth + levels)
        .order_by("path").values("pk", "name", "parent_id", "depth", "member_count", "unit_type")
    )
    grades = dict(
        published_results(root, year).filter(participant__org__depth__lte=root.depth + levels)
        .order_by("version__created_at").values_list("participant__org_id", "grade")
    )  # later versions overwrite earlier ones in the dict
    names = {o["pk"]: o["name"] for o in orgs}
    table = Table("tree", "组织树（按最新等次着色）", ["单位", "上级单位", "层级", "党员人数", "等次"])
    for o in orgs:
        table.rows.append([o["name"], names.get(o["parent_id"], ""), o["depth"] - root.depth, o["member_count"],
                           grades.get(o["pk"]) or NO_GRADE])
    # Nested nodes for the ECharts treemap; value = member count (at least 1 so empty units show).
    nodes = {o["pk"]: {"name": o["name"], "value": max(o["member_count"], 1), "grade": grades.get(o["pk"]) or NO_GRADE,
                       "children": []} for o in orgs}
    top = None
    for o in orgs:
        if o["pk"] == root.pk:
            top = nodes[o["pk"]]
        elif o["parent_id"] in nodes:
            nodes[o["parent_id"]]["children"].append(nodes[o["pk"]])
    for node in nodes.values():
        if not node["children"]:
            del node["children"]
        else:
            node.pop("value")
    table.chart = {"type": "treemap", "tree": top or {}, "grades": [*GRADES, NO_GRADE]}
    table.note = f"显示{root.name}以下 {levels} 级（到有等次的最深一级）；颜色为各单位在本年度已发布考核中的最新等次。"
    return table


DASHBOARDS = {
    "progress": progress_table,
    "grades-sector": grades_by_sector_table,
    "grades-unit": grades_by_unit_table,
    "routine": routine_table,
    "rectification": rectification_table,
    "tree": tree_table,
    "grades-special": special_table,
}
TITLES = {
    "progress": "考核进度", "grades-sector": "等次分布（领域）", "grades-unit": "等次分布（单位）",
    "routine": "日常考核趋势", "rectification": "整改完成与逾期", "tree": "组织树等次",
    "grades-special": "专项述职",
}


def _register_table(key: str):
    def build(root: Org, year: int) -> Table:
        return Table(key, **REGISTER_TABLES[key](root, year))

    return build


# The registers' tables (基层台账): 三会一课, 发展党员, 软弱涣散整顿, 集体经济.
DASHBOARDS.update({key: _register_table(key) for key in REGISTER_TITLES})
TITLES.update(REGISTER_TITLES)


def dashboard(key: str, root: Org, year: int | None = None) -> Table:
    if key not in DASHBOARDS:
        raise Http404
    return DASHBOARDS[key](root, year or today().year)


# ---- linkage (三级联述联评联考) ----------------------------------------------------------------


def subordinate_table(root: Org, year: int) -> Table:
    """下级述职评议考核: campaigns organised below the root, their progress and grade distribution."""
    rows = campaign_rows(root, year, below_only=True)
    table = Table("subordinates", "下级述职评议考核",
                  ["组织单位", "考核名称", "状态", "述职人", "报告已提交", "报告已通过", "测评票", *GRADES,
                   "好和较好占比（%）"])
    for r in rows:
        g = r["grades"]
        table.rows.append([r["organiser"], r["title"], r["state"], r["participants"], r["submitted"], r["approved"],
                           r["ballots"], *g, _pct(g[0] + g[1], sum(g))])
    table.chart = {
        "type": "stacked", "categories": [r[0] for r in table.rows],
        "series": [{"name": grade, "data": [r[7 + i] for r in table.rows]} for i, grade in enumerate(GRADES)],
    }
    return table


GRADE_KEYS = {"grades-sector", "grades-unit", "tree", "grades-special"}


def latest_published_year(root: Org, before: int) -> int | None:
    """The most recent earlier year with published results under `root`, to point users to it."""
    return (
        ParticipantResult.objects.filter(
            version__campaign__year__lt=before, version__campaign__state__in=PUBLISHED
        )
        .filter(_within("participant__org__", root))
        .order_by("-version__campaign__year")
        .values_list("version__campaign__year", flat=True)
        .first()
    )

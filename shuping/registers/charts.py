"""Dashboard tables on the registers; the dashboards app shows them with a chart and an .xlsx beside each.

Each builder takes (root, year) and returns {"title", "headers", "rows", "chart", "note"}; only
confirmed register values count, grouped by the root's direct subordinates.
"""

from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from shuping.orgs.models import Org

from .models import FactValue, SheetState, WeakOrgCase, WeakState

LESSONS_PER_QUARTER = 4  # 支委会 monthly (3) + 支部党员大会 quarterly (1) at the least
LESSON_CODES = ["lessons_q1", "lessons_q2", "lessons_q3", "lessons_q4"]
INCOME_BUCKETS = [(Decimal(0), Decimal(5), "5万元以下（空壳薄弱）"), (Decimal(5), Decimal(10), "5万～10万元"),
                  (Decimal(10), Decimal(50), "10万～50万元"), (Decimal(50), Decimal(100), "50万～100万元"),
                  (Decimal(100), None, "100万元及以上")]


def _pct(part, whole):
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.01"), ROUND_HALF_UP) if whole else None


def _within(root: Org, prefix: str = "sheet__org__"):
    return {f"{prefix}path__gte": root.path, f"{prefix}path__lt": root.path[:-1] + "0"}


def _unit_of(root: Org, path: str) -> int:
    parts = path.strip("/").split("/")
    return int(parts[root.depth + 1]) if len(parts) > root.depth + 1 else root.pk


def _children(root: Org) -> list[Org]:
    return list(Org.objects.filter(parent=root).order_by("sort_order", "path"))


def lessons_table(root: Org, year: int) -> dict:
    # One row per sheet from the database (quarters counted there), then grouped by subordinate unit.
    per_sheet = (FactValue.objects.filter(sheet__year=year, sheet__state=SheetState.CONFIRMED,
                                          fact__code__in=LESSON_CODES, **_within(root))
                 .values_list("sheet_id", "sheet__org__path")
                 .annotate(quarters=Count("pk", filter=Q(value__gte=LESSONS_PER_QUARTER))).order_by())
    filled, covered = Counter(), Counter()
    for _sheet, path, quarters in per_sheet.iterator(chunk_size=5000):
        unit = _unit_of(root, path)
        filled[unit] += 1
        covered[unit] += quarters == len(LESSON_CODES)
    rows = [[c.name, filled[c.pk], covered[c.pk], _pct(covered[c.pk], filled[c.pk])] for c in _children(root)
            if filled[c.pk]]
    return {"title": "三会一课落实覆盖率", "headers": ["单位", "填报党组织数", "四个季度均落实数", "覆盖率（%）"],
            "rows": rows, "note": f"每季度“三会一课”不少于 {LESSONS_PER_QUARTER} 次视为落实；按已确认台账统计。",
            "chart": {"type": "bar", "categories": [r[0] for r in rows],
                      "series": [{"name": "覆盖率（%）", "data": [float(r[3] or 0) for r in rows]}]}}


def members_table(root: Org, year: int) -> dict:
    years = list(range(year - 4, year + 1))
    totals = defaultdict(lambda: defaultdict(Decimal))
    sums = (FactValue.objects.filter(sheet__year__in=years, sheet__state=SheetState.CONFIRMED,
                                     fact__code__in=["new_members", "activists", "members"], **_within(root))
            .values("sheet__year", "fact__code").annotate(total=Sum("value")).order_by())
    for row in sums:
        totals[row["sheet__year"]][row["fact__code"]] = row["total"]
    rows = [[y, int(totals[y]["new_members"]), int(totals[y]["activists"]), int(totals[y]["members"])] for y in years]
    return {"title": "发展党员（按年度）", "headers": ["年度", "发展党员数", "入党积极分子数", "党员数"], "rows": rows,
            "note": "近五年已确认台账合计（各单位填本级，合计即全域）。",
            "chart": {"type": "bar", "categories": [str(r[0]) for r in rows],
                      "series": [{"name": "发展党员数", "data": [r[1] for r in rows]},
                                 {"name": "入党积极分子数", "data": [r[2] for r in rows]}]}}


def weak_table(root: Org, year: int) -> dict:
    counts = defaultdict(Counter)
    for path, state in WeakOrgCase.objects.filter(year=year, **_within(root, "org__")).values_list("org__path", "state"):
        counts[_unit_of(root, path)][state] += 1
    labels = dict(WeakState.choices)
    rows = []
    for child in _children(root):
        c = counts.get(child.pk)
        if c:
            total = sum(c.values())
            rows.append([child.name, total, *[c[s] for s in WeakState.values], _pct(c[WeakState.PASSED], total)])
    headers = ["单位", "列入整顿", *[labels[s] for s in WeakState.values], "达标率（%）"]
    return {"title": "软弱涣散党组织整顿进展", "headers": headers, "rows": rows,
            "note": "按认定年度统计；达标率 = 验收达标 ÷ 列入整顿。",
            "chart": {"type": "stacked", "categories": [r[0] for r in rows],
                      "series": [{"name": labels[s], "data": [r[2 + i] for r in rows]}
                                 for i, s in enumerate(WeakState.values)]}}


def economy_table(root: Org, year: int) -> dict:
    def bucket(low, high):
        condition = Q(value__gte=low) & (Q(value__lt=high) if high is not None else Q())
        return Count("pk", filter=condition)

    counts = (FactValue.objects.filter(sheet__year=year, sheet__state=SheetState.CONFIRMED,
                                       fact__code="collective_income", **_within(root))
              .aggregate(total=Count("pk"), **{f"b{i}": bucket(low, high)
                                                for i, (low, high, _label) in enumerate(INCOME_BUCKETS)}))
    rows = [[label, counts[f"b{i}"], _pct(counts[f"b{i}"], counts["total"])]
            for i, (_low, _high, label) in enumerate(INCOME_BUCKETS)]
    return {"title": "村级集体经济收入分布", "headers": ["收入区间", "村（社区）数", "占比（%）"], "rows": rows,
            "note": f"共 {counts['total']} 个村（社区）有已确认的集体经济收入。",
            "chart": {"type": "bar", "categories": [r[0] for r in rows],
                      "series": [{"name": "村（社区）数", "data": [r[1] for r in rows]}]}}


TABLES = {"reg-lessons": lessons_table, "reg-members": members_table, "reg-weak": weak_table,
          "reg-economy": economy_table}
TITLES = {"reg-lessons": "三会一课覆盖", "reg-members": "发展党员", "reg-weak": "软弱涣散整顿",
          "reg-economy": "集体经济分布"}

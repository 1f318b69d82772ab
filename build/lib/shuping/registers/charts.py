"""Dashboard tables on the registers; the dashboards app shows them with a chart and an .xlsx beside each.

Each builder takes (root, year) and returns {"title", "headers", "rows", "chart", "note"}; only
confirmed register values count, grouped by the root's direct subordinates.
"""

from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from django.db import connection
from django.db.models import Count, Q, Sum

from shuping.orgs.models import Org

from .models import Fact, FactValue, SheetState, WeakOrgCase, WeakState

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


# Two levels of aggregation (quarters per sheet, then sheets per subordinate unit) in one statement; the ORM
# cannot group over a grouped subquery, and a correlated subquery per sheet was twice as slow on a province.
_LESSONS_SQL = """
SELECT substr(s.path, %(n)s, {position}(substr(s.path, %(n)s), '/') - 1) AS unit,
       COUNT(*) AS filled, SUM(CASE WHEN s.met = %(quarters)s THEN 1 ELSE 0 END) AS covered
FROM (SELECT o.path AS path, SUM(CASE WHEN v.value >= %(floor)s THEN 1 ELSE 0 END) AS met
      FROM registers_factvalue v
      JOIN registers_factsheet f ON f.id = v.sheet_id
      JOIN orgs_org o ON o.id = f.org_id
      WHERE v.fact_id IN ({facts}) AND f.year = %(year)s AND f.state = %(state)s
        AND o.path >= %(low)s AND o.path < %(high)s AND o.id <> %(root)s
      GROUP BY v.sheet_id, o.path) s
GROUP BY 1
"""


def lessons_table(root: Org, year: int) -> dict:
    codes = [int(pk) for pk in Fact.objects.filter(code__in=LESSON_CODES).values_list("pk", flat=True)]
    by_unit = {}
    if codes:
        position = "strpos" if connection.vendor == "postgresql" else "instr"
        sql = _LESSONS_SQL.format(position=position, facts=", ".join(str(pk) for pk in codes))
        with connection.cursor() as cursor:
            cursor.execute(sql, {"n": len(root.path) + 1, "quarters": len(LESSON_CODES), "floor": LESSONS_PER_QUARTER,
                                 "year": year, "state": SheetState.CONFIRMED.value, "low": root.path,
                                 "high": root.path[:-1] + "0", "root": root.pk})
            by_unit = {int(unit): (filled, int(covered or 0)) for unit, filled, covered in cursor.fetchall() if unit}
    rows = []
    for child in _children(root):
        filled, covered = by_unit.get(child.pk, (0, 0))
        if filled:
            rows.append([child.name, filled, covered, _pct(covered, filled)])
    return {"title": "三会一课落实覆盖率", "headers": ["单位", "填报党组织数", "四个季度均落实数", "覆盖率（%）"],
            "rows": rows, "note": f"每季度“三会一课”不少于 {LESSONS_PER_QUARTER} 次视为落实；按已确认台账统计。",
            "chart": {"type": "bar", "categories": [r[0] for r in rows],
                      "series": [{"name": "覆盖率（%）", "data": [float(r[3] or 0) for r in rows]}]}}


def members_table(root: Org, year: int) -> dict:
    years = list(range(year - 4, year + 1))
    facts = dict(Fact.objects.filter(code__in=["new_members", "activists"]).values_list("pk", "code"))
    totals = defaultdict(lambda: defaultdict(Decimal))
    sums = (FactValue.objects.filter(sheet__year__in=years, sheet__state=SheetState.CONFIRMED, fact_id__in=list(facts),
                                     **_within(root))
            .values("sheet__year", "fact_id").annotate(total=Sum("value")).order_by())
    for row in sums:
        totals[row["sheet__year"]][facts[row["fact_id"]]] = row["total"]
    rows = [[y, int(totals[y]["new_members"]), int(totals[y]["activists"])] for y in years]
    return {"title": "发展党员（按年度）", "headers": ["年度", "发展党员数", "入党积极分子数"], "rows": rows,
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

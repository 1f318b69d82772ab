"""Dashboard tables on the registers; the dashboards app shows them with a chart and an .xlsx beside each.

Each builder takes (root, year) and returns {"title", "headers", "rows", "chart", "note"}; only
confirmed register values count, grouped by the root's direct subordinates. The figures come from
RegisterRollup (subtree totals kept current on confirm, see rollup.py): a province page reads a row per
subordinate instead of aggregating the whole province's values on every request.
"""

from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

from shuping.orgs.models import Org

from .models import RegisterRollup, WeakOrgCase, WeakState
from .rollup import INCOME_BUCKETS, LESSONS_PER_QUARTER


def _pct(part, whole):
    return (Decimal(part) * 100 / whole).quantize(Decimal("0.01"), ROUND_HALF_UP) if whole else None


def _within(root: Org, prefix: str = "sheet__org__"):
    return {f"{prefix}path__gte": root.path, f"{prefix}path__lt": root.path[:-1] + "0"}


def _unit_of(root: Org, path: str) -> int:
    parts = path.strip("/").split("/")
    return int(parts[root.depth + 1]) if len(parts) > root.depth + 1 else root.pk


def _children(root: Org) -> list[Org]:
    return list(Org.objects.filter(parent=root).order_by("sort_order", "path").only("pk", "name"))


def lessons_table(root: Org, year: int) -> dict:
    children = _children(root)
    by_unit = {pk: (filled, covered) for pk, filled, covered in RegisterRollup.objects.filter(
        org__in=[c.pk for c in children], year=year).values_list("org_id", "lessons_filled", "lessons_covered")}
    rows = []
    for child in children:
        filled, covered = by_unit.get(child.pk, (0, 0))
        if filled:
            rows.append([child.name, filled, covered, _pct(covered, filled)])
    return {"title": "三会一课落实覆盖率", "headers": ["单位", "填报党组织数", "四个季度均落实数", "覆盖率（%）"],
            "rows": rows, "note": f"每季度“三会一课”不少于 {LESSONS_PER_QUARTER} 次视为落实；按已确认台账统计。",
            "chart": {"type": "bar", "categories": [r[0] for r in rows],
                      "series": [{"name": "覆盖率（%）", "data": [float(r[3] or 0) for r in rows]}]}}


def members_table(root: Org, year: int) -> dict:
    years = list(range(year - 4, year + 1))
    totals = {y: (new, activists) for y, new, activists in RegisterRollup.objects.filter(
        org=root, year__in=years).values_list("year", "new_members", "activists")}
    rows = [[y, *(int(v) for v in totals.get(y, (0, 0)))] for y in years]
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
    fields = ["income_count", *[f"income_{i}" for i in range(len(INCOME_BUCKETS))]]
    found = RegisterRollup.objects.filter(org=root, year=year).values(*fields).first() or dict.fromkeys(fields, 0)
    rows = [[label, found[f"income_{i}"], _pct(found[f"income_{i}"], found["income_count"])]
            for i, (_low, _high, label) in enumerate(INCOME_BUCKETS)]
    return {"title": "村级集体经济收入分布", "headers": ["收入区间", "村（社区）数", "占比（%）"], "rows": rows,
            "note": f"共 {found['income_count']} 个村（社区）有已确认的集体经济收入。",
            "chart": {"type": "bar", "categories": [r[0] for r in rows],
                      "series": [{"name": "村（社区）数", "data": [r[1] for r in rows]}]}}


TABLES = {"reg-lessons": lessons_table, "reg-members": members_table, "reg-weak": weak_table,
          "reg-economy": economy_table}
TITLES = {"reg-lessons": "三会一课覆盖", "reg-members": "发展党员", "reg-weak": "软弱涣散整顿",
          "reg-economy": "集体经济分布"}

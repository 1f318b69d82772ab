"""Subtree totals of the confirmed registers per org and year (RegisterRollup), kept current on every change.

A confirmed sheet adds its contribution to the rows of its org and every ancestor; returning a confirmed sheet
takes it away again; moving an org carries its subtree's totals from the old ancestors to the new ones. A sheet's
values cannot change while it is confirmed (services refuse it), so what was added is exactly what is taken away.
Each update locks the rows in one global order (by org id), so concurrent confirmations never deadlock.
`rebuild()` recomputes everything from the sheets (synthetic data, the data migration, `shuping registers-rollup`).
"""

from collections import defaultdict
from decimal import Decimal

from django.db import transaction
from django.db.models import F

LESSONS_PER_QUARTER = 4  # 支委会 monthly (3) + 支部党员大会 quarterly (1) at the least
LESSON_CODES = ["lessons_q1", "lessons_q2", "lessons_q3", "lessons_q4"]
INCOME_BUCKETS = [(Decimal(0), Decimal(5), "5万元以下（空壳薄弱）"), (Decimal(5), Decimal(10), "5万～10万元"),
                  (Decimal(10), Decimal(50), "10万～50万元"), (Decimal(50), Decimal(100), "50万～100万元"),
                  (Decimal(100), None, "100万元及以上")]
CODES = [*LESSON_CODES, "new_members", "activists", "collective_income"]
FIELDS = ["sheets", "lessons_filled", "lessons_covered", "new_members", "activists", "income_count",
          *[f"income_{i}" for i in range(len(INCOME_BUCKETS))]]


def contribution(values: dict[str, Decimal]) -> dict[str, int | Decimal]:
    """What one confirmed sheet (its values by fact code) adds to the totals."""
    lessons = [values[code] for code in LESSON_CODES if code in values]
    income = values.get("collective_income")
    result = {
        "sheets": 1, "lessons_filled": int(bool(lessons)),
        "lessons_covered": int(len(lessons) == len(LESSON_CODES) and all(v >= LESSONS_PER_QUARTER for v in lessons)),
        "new_members": values.get("new_members", Decimal(0)), "activists": values.get("activists", Decimal(0)),
        "income_count": int(income is not None),
    }
    for i, (low, high, _label) in enumerate(INCOME_BUCKETS):
        result[f"income_{i}"] = int(income is not None and income >= low and (high is None or income < high))
    return result


def _ids(path: str) -> list[int]:
    return [int(part) for part in path.strip("/").split("/") if part]


def _add(org_ids: list[int], year: int, amounts: dict, sign: int) -> None:
    from .models import RegisterRollup

    changes = {field: F(field) + sign * amount for field, amount in amounts.items() if amount}
    if not org_ids or not changes:
        return
    RegisterRollup.objects.bulk_create([RegisterRollup(org_id=pk, year=year) for pk in org_ids], ignore_conflicts=True)
    rows = RegisterRollup.objects.filter(org_id__in=org_ids, year=year)
    list(rows.select_for_update().order_by("org_id").values_list("pk", flat=True))
    rows.update(**changes)


def sheet_changed(sheet, sign: int) -> None:
    """+1 when a sheet becomes confirmed, −1 when a confirmed sheet is returned; inside the caller's transaction."""
    values = dict(sheet.values.filter(fact__code__in=CODES).values_list("fact__code", "value"))
    _add(_ids(sheet.org.path), sheet.year, contribution(values), sign)


def org_moved(*, org, old_path: str, new_path: str) -> None:
    """The moved subtree's totals leave the old ancestors and join the new ones (the subtree's own rows stay)."""
    from .models import RegisterRollup

    for row in RegisterRollup.objects.filter(org_id=org.pk).values("year", *FIELDS):
        year = row.pop("year")
        _add(_ids(old_path)[:-1], year, row, -1)
        _add(_ids(new_path)[:-1], year, row, +1)


@transaction.atomic
def rebuild(apps=None) -> int:
    """Recompute every row from the confirmed sheets; returns the number of rows written."""
    get = (lambda name: apps.get_model("registers", name)) if apps else None
    if get:
        FactSheet, FactValue, RegisterRollup = get("FactSheet"), get("FactValue"), get("RegisterRollup")
    else:
        from .models import FactSheet, FactValue, RegisterRollup
    sheets = {pk: (path, year) for pk, path, year in
              FactSheet.objects.filter(state="confirmed").values_list("pk", "org__path", "year").iterator(10000)}
    values = defaultdict(dict)
    for sheet_id, code, value in FactValue.objects.filter(sheet__state="confirmed", fact__code__in=CODES).values_list(
            "sheet_id", "fact__code", "value").iterator(10000):
        values[sheet_id][code] = value
    totals = defaultdict(lambda: dict.fromkeys(FIELDS, 0))
    for sheet_id, (path, year) in sheets.items():
        amounts = contribution(values.get(sheet_id, {}))
        for org_id in _ids(path):
            row = totals[(org_id, year)]
            for field, amount in amounts.items():
                row[field] += amount
    RegisterRollup.objects.all().delete()
    RegisterRollup.objects.bulk_create([RegisterRollup(org_id=org_id, year=year, **row)
                                        for (org_id, year), row in totals.items()], batch_size=5000)
    return len(totals)

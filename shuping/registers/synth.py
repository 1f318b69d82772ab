"""Register rows for the synthetic province (dashboards/synth.py writes them with its bulk writer).

Every village gets a confirmed 基础数据 sheet per year: the member counts every year, the full fact set
in the last two years; about 2 % of villages per year are listed as 软弱涣散, in every 整顿 state.
"""

import datetime

from . import rollup
from .models import Fact, FactSheet, FactValue, SheetState, WeakOrgCase, WeakReason, WeakState

EVERY_YEAR = ("members", "new_members", "activists")
INCOME_CHOICES = ["1.5", "3.8", "4.6", "6", "7.5", "9", "12", "18", "26", "40", "65", "120"]


def _value(code: str, village, rng) -> str:
    pick = {
        "members": lambda: village.member_count, "new_members": lambda: rng.choice([0, 0, 1, 1, 2, 3]),
        "activists": lambda: rng.randint(0, 6), "party_days": lambda: rng.randint(8, 14),
        "site_area": lambda: rng.choice([80, 120, 150, 200, 260, 300, 420]),
        "funds": lambda: rng.choice(["1.5", "2", "3"]), "cadre_pay": lambda: rng.choice(["3.0", "3.6", "4.2"]),
        "collective_income": lambda: rng.choice(INCOME_CHOICES), "committee_size": lambda: rng.randint(5, 9),
        "one_shoulder": lambda: 1 if rng.random() < 0.85 else 0, "reserve": lambda: rng.randint(1, 5),
        "first_secretary": lambda: 1 if rng.random() < 0.25 else 0,
    }
    if code.startswith("lessons_q"):
        return str(rng.choice([2, 3, 4, 4, 5, 6, 8]))
    return str(pick[code]())


def write(villages, years: list[int], rng, copy, at) -> int:
    """Sheets, values and 整顿 cases through `copy(model, fields, rows)`; returns the number of values."""
    facts = {f.code: f.pk for f in Fact.objects.all()}
    if not facts:
        return 0
    next_id = (FactSheet.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    plan = []  # (sheet id, village, year)
    for year in years:
        for village in villages:
            plan.append((next_id, village, year))
            next_id += 1
    stamp = at.isoformat()
    copy(FactSheet, ["id", "org", "year", "state", "return_reason", "updated_at", "updated_by", "confirmed_at",
                     "confirmed_by"],
         ((pk, v.pk, y, SheetState.CONFIRMED, "", stamp, None, stamp, None) for pk, v, y in plan))
    recent = set(years[-2:])

    def value_rows():
        for pk, village, year in plan:
            codes = facts if year in recent else EVERY_YEAR
            for code in codes:
                yield (pk, facts[code], _value(code, village, rng))

    written = copy(FactValue, ["sheet", "fact", "value"], value_rows())
    states = [WeakState.IDENTIFIED, WeakState.RECTIFYING, WeakState.RECTIFYING, WeakState.PASSED, WeakState.PASSED,
              WeakState.FAILED]
    cases = []
    for year in years:
        for village in rng.sample(villages, max(1, len(villages) // 50)):
            state = rng.choice(states)
            cases.append(WeakOrgCase(
                org=village, year=year, reason_category=rng.choice(WeakReason.values), reason="合成数据：整顿对象",
                leader="合成县级领导", state=state, identified_on=datetime.date(year, 3, 1), created_at=at,
                accepted_on=datetime.date(year, 12, 1) if state in (WeakState.PASSED, WeakState.FAILED) else None))
    WeakOrgCase.objects.bulk_create(cases, batch_size=5000)
    rollup.rebuild()  # the sheets were written in bulk, past the services that keep the totals current
    return written

"""Tally engine for 述职评议考核: evaluator totals and democratic votes in, ranked and graded results out.

Plain Python (no Django): the ORM layer loads rows, calls :func:`tally`, and stores the result
snapshot with :func:`content_hash`. Every number is a :class:`decimal.Decimal`; floats are refused.

Documented choices (DESIGN.md "Scoring rules" leaves these open):

* Rounding (2 places, ROUND_HALF_UP) happens at exactly these points; sums in between are exact:
  - inputs routine_score, bonus and deduction, on entry (so what is shown is what was used);
  - group score (trimmed mean of one group's evaluator totals);
  - meeting score (weighted mean of the *rounded* group scores);
  - democratic score and good rate;
  - composite (computed from the rounded meeting/democratic/routine scores, rounded once at the end).
  Evaluator totals are used exactly as given. Quotients are computed at 50 significant digits,
  far more than any sum here needs, so the one final rounding is the only rounding.
* Trimming: a group with >= ``trim_min`` ballots for a participant drops one highest and one lowest
  total (one each, even if several ballots share the extreme value); fewer ballots: plain mean.
* A group without ballots for a participant is left out of that participant's meeting score
  (numerator and denominator). No ballots at all: meeting score is None.
* Democratic votes from every evaluator group are pooled; the group code on a vote is accepted
  for the caller's bookkeeping but does not weight the vote. No votes: democratic score None.
* ``good_rate`` (好评率) is a percentage with 2 places: 83.33 means 83.33 %.
* Composite = weighted mean of the components that are present, renormalised over their weights
  (a missing routine score does not count as 0), then + bonus (capped at ``bonus_cap``) - deduction.
  No component present (or only zero-weighted ones): composite None, so no rank and no grade.
  The composite is not clamped to 0..100.
* Ranking per ranking group by composite, descending; equal (rounded) composites share a rank
  (1, 2, 2, 4). Display order among equals: democratic score descending (None last), then
  participant id, so ids within one tally must be mutually orderable (all int or all str).
  A veto does not change the rank.
* Grades: threshold grade first; then the veto cap (a vetoed participant's grade is at most
  ``veto_cap``), so a vetoed participant never occupies a quota place; then quotas, best grade
  first. A quota q on grade g allows floor(q * n) participants in g, n = participants with a
  composite in the ranking group (vetoed ones included). Those of g beyond the allowance, lowest
  in display order first, fall to the next grade and are counted there: demotions cascade, so
  every quota holds at the end. The lowest grade cannot carry a quota.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import (
    ROUND_FLOOR,
    ROUND_HALF_UP,
    Context,
    Decimal,
    DivisionByZero,
    InvalidOperation,
    Overflow,
    localcontext,
)
from itertools import pairwise
from operator import itemgetter
from typing import Any, NamedTuple

CENT = Decimal("0.01")
ZERO = Decimal(0)
HUNDRED = Decimal(100)

# Exact sums need far fewer than 50 digits; a quotient rounded at 50 digits cannot be pushed
# onto a false ".xx5" boundary before the final 2-place rounding.
_CONTEXT = Context(prec=50, rounding=ROUND_HALF_UP, traps=[InvalidOperation, DivisionByZero, Overflow])

DEFAULT_GRADES = ("好", "较好", "一般", "差")


def _quantize(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _as_decimal(value: Any, what: str) -> Decimal:
    """Coerce int to Decimal; refuse float, bool, str and non-finite values."""
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise ValueError(f"{what} must be finite, got {value!r}")
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    raise TypeError(f"{what} must be Decimal or int, got {type(value).__name__} {value!r}")


def _decimal_map(mapping: Mapping[str, Any], what: str) -> dict[str, Decimal]:
    return {key: _as_decimal(value, f"{what}[{key!r}]") for key, value in mapping.items()}


def _default_democratic_values() -> dict[str, Decimal]:
    return {"好": Decimal(100), "较好": Decimal(80), "一般": Decimal(60), "差": Decimal(0)}


def _default_thresholds() -> dict[str, Decimal]:
    return {"好": Decimal(90), "较好": Decimal(80), "一般": Decimal(60)}


def _default_quotas() -> dict[str, Decimal]:
    return {"好": Decimal("0.30")}


@dataclass(frozen=True)
class TallyConfig:
    """Campaign scoring configuration. Mappings are copied; ints are accepted for Decimals."""

    groups: Mapping[str, Decimal]  # evaluator group code -> weight (> 0) in the meeting score
    trim_min: int = 5
    democratic_values: Mapping[str, Decimal] = field(default_factory=_default_democratic_values)
    good_options: frozenset[str] = frozenset({"好", "较好"})
    weight_meeting: Decimal = Decimal(30)
    weight_democratic: Decimal = Decimal(20)
    weight_routine: Decimal = Decimal(50)
    grades: tuple[str, ...] = DEFAULT_GRADES  # best first
    grade_thresholds: Mapping[str, Decimal] = field(default_factory=_default_thresholds)
    grade_quotas: Mapping[str, Decimal] = field(default_factory=_default_quotas)  # fractions 0..1
    veto_cap: str = "差"
    bonus_cap: Decimal | None = None  # None: bonus not capped

    def __post_init__(self) -> None:
        put = object.__setattr__  # frozen: normalise once, here
        groups = _decimal_map(self.groups, "groups")
        if not groups:
            raise ValueError("at least one evaluator group is required")
        for code, weight in groups.items():
            if weight <= 0:
                raise ValueError(f"group weight must be > 0: {code!r} = {weight}")
        put(self, "groups", groups)

        if isinstance(self.trim_min, bool) or not isinstance(self.trim_min, int) or self.trim_min < 3:
            raise ValueError("trim_min must be an int >= 3 (trimming needs a middle ballot left)")

        values = _decimal_map(self.democratic_values, "democratic_values")
        if not values:
            raise ValueError("democratic_values must not be empty")
        put(self, "democratic_values", values)
        good = frozenset(self.good_options)
        if not good <= values.keys():
            raise ValueError(f"good_options not among democratic options: {sorted(good - values.keys())}")
        put(self, "good_options", good)

        for name in ("weight_meeting", "weight_democratic", "weight_routine"):
            weight = _as_decimal(getattr(self, name), name)
            if weight < 0:
                raise ValueError(f"{name} must be >= 0")
            put(self, name, weight)
        if self.weight_meeting + self.weight_democratic + self.weight_routine <= 0:
            raise ValueError("composite weights must not all be zero")

        grades = tuple(self.grades)
        if len(grades) < 1 or len(set(grades)) != len(grades):
            raise ValueError("grades must be distinct and non-empty")
        put(self, "grades", grades)
        thresholds = _decimal_map(self.grade_thresholds, "grade_thresholds")
        if set(thresholds) != set(grades[:-1]):
            raise ValueError("grade_thresholds must name every grade except the lowest")
        ordered = [thresholds[g] for g in grades[:-1]]
        if any(a <= b for a, b in pairwise(ordered)):
            raise ValueError("grade_thresholds must fall strictly from the best grade down")
        put(self, "grade_thresholds", {g: thresholds[g] for g in grades[:-1]})
        quotas = _decimal_map(self.grade_quotas, "grade_quotas")
        for grade, quota in quotas.items():
            if grade not in grades[:-1]:
                raise ValueError(f"quota on {grade!r}: only grades above the lowest can carry a quota")
            if not 0 <= quota <= 1:
                raise ValueError(f"quota for {grade!r} must be a fraction 0..1, got {quota}")
        put(self, "grade_quotas", quotas)
        if self.veto_cap not in grades:
            raise ValueError(f"veto_cap {self.veto_cap!r} is not a grade")
        if self.bonus_cap is not None:
            cap = _as_decimal(self.bonus_cap, "bonus_cap")
            if cap < 0:
                raise ValueError("bonus_cap must be >= 0")
            put(self, "bonus_cap", cap)


@dataclass(frozen=True, slots=True)
class ParticipantInput:
    """One reporter (述职人) to be tallied."""

    id: Any  # int or str, unique within the tally
    ranking_group: Any
    routine_score: Decimal | None = None
    bonus: Decimal = ZERO
    deduction: Decimal = ZERO
    vetoed: bool = False
    veto_reason: str = ""

    def __post_init__(self) -> None:
        put = object.__setattr__
        if self.routine_score is not None:
            put(self, "routine_score", _as_decimal(self.routine_score, "routine_score"))
        for name in ("bonus", "deduction"):
            value = _as_decimal(getattr(self, name), name)
            if value < 0:
                raise ValueError(f"{name} must be >= 0 (participant {self.id!r})")
            put(self, name, value)


class GroupScore(NamedTuple):
    count: int  # ballots received from the group
    score: Decimal  # trimmed mean, 2 places


@dataclass(frozen=True, slots=True)
class ParticipantResult:
    participant: Any
    ranking_group: Any
    group_scores: dict[str, GroupScore]  # only groups with ballots, in config order
    meeting_score: Decimal | None
    democratic_counts: dict[str, int]  # every option, in config order
    votes: int
    democratic_score: Decimal | None
    good_rate: Decimal | None  # percentage, 2 places
    routine_score: Decimal | None
    bonus: Decimal  # after the cap
    deduction: Decimal
    composite: Decimal | None
    rank: int | None
    threshold_grade: str | None  # before veto cap and quotas, for the audit trail
    grade: str | None
    vetoed: bool
    veto_reason: str


def evaluator_total(indicator_scores: Mapping[str, Any], maxima: Mapping[str, Any]) -> Decimal:
    """Sum one evaluator's indicator scores after checking each is within 0..max (exact, not rounded).

    Every indicator in ``maxima`` must be scored and no other may be.
    """
    unknown = indicator_scores.keys() - maxima.keys()
    if unknown:
        raise ValueError(f"unknown indicators: {sorted(unknown)}")
    missing = maxima.keys() - indicator_scores.keys()
    if missing:
        raise ValueError(f"indicators not scored: {sorted(missing)}")
    total = ZERO
    with localcontext(_CONTEXT):
        for code, raw in indicator_scores.items():
            score = _as_decimal(raw, f"score[{code!r}]")
            top = _as_decimal(maxima[code], f"max[{code!r}]")
            if not ZERO <= score <= top:
                raise ValueError(f"score for {code!r} must be within 0..{top}, got {score}")
            total += score
    return total


def composite_score(
    config: TallyConfig,
    meeting: Decimal | None,
    democratic: Decimal | None,
    routine: Decimal | None,
    bonus: Decimal = ZERO,
    deduction: Decimal = ZERO,
) -> Decimal | None:
    """Composite of the present components, renormalised, + capped bonus - deduction, 2 places."""
    with localcontext(_CONTEXT):
        return _composite(config, meeting, democratic, routine, bonus, deduction)


def _composite(config, meeting, democratic, routine, bonus, deduction):
    numerator = ZERO
    denominator = ZERO
    if meeting is not None:
        numerator += config.weight_meeting * meeting
        denominator += config.weight_meeting
    if democratic is not None:
        numerator += config.weight_democratic * democratic
        denominator += config.weight_democratic
    if routine is not None:
        numerator += config.weight_routine * routine
        denominator += config.weight_routine
    if denominator == 0:
        return None
    cap = config.bonus_cap
    if cap is not None and bonus > cap:
        bonus = cap
    return _quantize(numerator / denominator + bonus - deduction)


def tally(
    config: TallyConfig,
    participants: Iterable[ParticipantInput],
    ballot_totals: Iterable[tuple[Any, str, Decimal]] = (),
    democratic_votes: Iterable[tuple[Any, str, str]] = (),
    democratic_counts: Iterable[tuple[Any, str, str, int]] = (),
) -> list[ParticipantResult]:
    """Tally one campaign.

    ``ballot_totals``: one ``(participant_id, group_code, evaluator_total)`` per ballot.
    ``democratic_votes``: one ``(participant_id, group_code, choice)`` per vote, and/or
    ``democratic_counts``: pre-counted ``(participant_id, group_code, choice, count)``; both add up.

    Returns one result per participant: ranking groups in sorted order, within each group in
    display order (rank, then democratic score), participants without a composite last (by id).
    """
    with localcontext(_CONTEXT):
        return _tally(config, participants, ballot_totals, democratic_votes, democratic_counts)


def _tally(config, participants, ballot_totals, democratic_votes, democratic_counts):
    by_id: dict[Any, ParticipantInput] = {}
    for p in participants:
        if p.id in by_id:
            raise ValueError(f"duplicate participant id {p.id!r}")
        by_id[p.id] = p

    group_scores = _group_scores(config, by_id, ballot_totals)
    counts = _democratic_counts(config, by_id, democratic_votes, democratic_counts)

    weights = config.groups
    values = config.democratic_values
    good_options = config.good_options
    no_groups: dict[str, GroupScore] = {}
    no_counts: dict[str, int] = {}
    rows_by_group: dict[Any, list[dict[str, Any]]] = defaultdict(list)
    for pid, p in by_id.items():
        scores = group_scores.get(pid, no_groups)
        if scores:
            scores = {code: scores[code] for code in weights if code in scores}
            numerator = ZERO
            denominator = ZERO
            for code, gs in scores.items():
                weight = weights[code]
                numerator += weight * gs.score
                denominator += weight
            meeting = _quantize(numerator / denominator)
        else:
            meeting = None

        choice_counts = counts.get(pid, no_counts)
        votes = sum(choice_counts.values())
        if votes:
            points = sum(values[o] * c for o, c in choice_counts.items())
            democratic = _quantize(points / votes)
            good = sum(choice_counts.get(o, 0) for o in good_options)
            good_rate = _quantize(HUNDRED * good / votes)
        else:
            democratic = good_rate = None

        routine = None if p.routine_score is None else _quantize(p.routine_score)
        bonus = _quantize(p.bonus)
        if config.bonus_cap is not None and bonus > config.bonus_cap:
            bonus = config.bonus_cap
        deduction = _quantize(p.deduction)
        composite = _composite(config, meeting, democratic, routine, bonus, deduction)
        rows_by_group[p.ranking_group].append(
            {
                "participant": pid,
                "ranking_group": p.ranking_group,
                "group_scores": scores,
                "meeting_score": meeting,
                "democratic_counts": {o: choice_counts.get(o, 0) for o in values},
                "votes": votes,
                "democratic_score": democratic,
                "good_rate": good_rate,
                "routine_score": routine,
                "bonus": bonus,
                "deduction": deduction,
                "composite": composite,
                "rank": None,
                "threshold_grade": None,
                "grade": None,
                "vetoed": bool(p.vetoed),
                "veto_reason": p.veto_reason,
            }
        )

    results: list[ParticipantResult] = []
    for ranking_group in sorted(rows_by_group):
        rows = rows_by_group[ranking_group]
        ranked = [r for r in rows if r["composite"] is not None]
        unranked = sorted((r for r in rows if r["composite"] is None), key=itemgetter("participant"))
        ranked.sort(key=_display_key)
        _rank_and_grade(config, ranked)
        results.extend(ParticipantResult(**r) for r in ranked)
        results.extend(ParticipantResult(**r) for r in unranked)
    return results


def _group_scores(config, by_id, ballot_totals) -> dict[Any, dict[str, GroupScore]]:
    # One pass to bucket (the hot loop: no validation per item), then validate per bucket.
    buckets: defaultdict[tuple[Any, str], list] = defaultdict(list)
    for pid, code, total in ballot_totals:
        buckets[(pid, code)].append(total)

    weights = config.groups
    trim_min = config.trim_min
    out: dict[Any, dict[str, GroupScore]] = {}
    for (pid, code), totals in buckets.items():
        if pid not in by_id:
            raise ValueError(f"ballot for unknown participant {pid!r}")
        if code not in weights:
            raise ValueError(f"ballot from unknown evaluator group {code!r}")
        try:
            # Decimal + float raises TypeError, so this also refuses floats.
            total = sum(totals, ZERO)
        except TypeError:
            raise TypeError(
                f"evaluator totals must be Decimal or int (participant {pid!r}, group {code!r})"
            ) from None
        if not total.is_finite():
            raise ValueError(f"non-finite evaluator total (participant {pid!r}, group {code!r})")
        lowest = min(totals)
        if lowest < 0:
            raise ValueError(f"negative evaluator total {lowest} (participant {pid!r}, group {code!r})")
        n = len(totals)
        if n >= trim_min:
            score = ((total - max(totals) - lowest) / (n - 2)).quantize(CENT, ROUND_HALF_UP)
        else:
            score = (total / n).quantize(CENT, ROUND_HALF_UP)
        scores = out.get(pid)
        if scores is None:
            out[pid] = scores = {}
        scores[code] = GroupScore(n, score)
    return out


def _democratic_counts(config, by_id, democratic_votes, democratic_counts) -> dict[Any, dict[str, int]]:
    # Counter over (pid, choice) pairs runs its loop in C.
    pairs = Counter(map(_PID_AND_CHOICE, democratic_votes))
    for pid, _code, choice, count in democratic_counts:
        if isinstance(count, bool) or not isinstance(count, int) or count < 0:
            raise ValueError(f"vote count must be an int >= 0, got {count!r} (participant {pid!r})")
        pairs[(pid, choice)] += count

    values = config.democratic_values
    out: dict[Any, dict[str, int]] = {}
    for (pid, choice), count in pairs.items():
        if pid not in by_id:
            raise ValueError(f"democratic vote for unknown participant {pid!r}")
        if choice not in values:
            raise ValueError(f"unknown democratic option {choice!r}")
        out.setdefault(pid, {})[choice] = count
    return out


_PID_AND_CHOICE = itemgetter(0, 2)


def _display_key(row: dict[str, Any]):
    democratic = row["democratic_score"]
    return (
        -row["composite"],
        democratic is None,
        -democratic if democratic is not None else ZERO,
        row["participant"],
    )


def _rank_and_grade(config: TallyConfig, ranked: list[dict[str, Any]]) -> None:
    """Competition ranks, threshold grades, veto cap, then cascading quotas (rows in display order)."""
    grades = config.grades
    thresholds = [(i, config.grade_thresholds[g]) for i, g in enumerate(grades[:-1])]
    lowest = len(grades) - 1
    cap = grades.index(config.veto_cap)

    previous = None
    rank = 0
    levels: list[int] = []
    for position, row in enumerate(ranked, start=1):
        composite = row["composite"]
        if composite != previous:
            rank = position
            previous = composite
        row["rank"] = rank
        level = next((i for i, threshold in thresholds if composite >= threshold), lowest)
        row["threshold_grade"] = grades[level]
        if row["vetoed"] and level < cap:
            level = cap
        levels.append(level)

    n = len(ranked)
    for level, grade in enumerate(grades[:-1]):
        quota = config.grade_quotas.get(grade)
        if quota is None:
            continue
        allowed = int((quota * n).to_integral_value(rounding=ROUND_FLOOR))
        members = [i for i, lv in enumerate(levels) if lv == level]
        for i in members[allowed:]:
            levels[i] = level + 1

    for row, level in zip(ranked, levels, strict=True):
        row["grade"] = grades[level]


def _json_id(value: Any) -> Any:
    if value is None or (isinstance(value, int | str) and not isinstance(value, bool)):
        return value
    return str(value)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def results_to_dicts(results: Iterable[ParticipantResult]) -> list[dict[str, Any]]:
    """JSON-ready dicts (Decimals as strings, ids as int/str) in the order given."""
    return [
        {
            "participant": _json_id(r.participant),
            "ranking_group": _json_id(r.ranking_group),
            "group_scores": {
                code: {"count": gs.count, "score": str(gs.score)} for code, gs in r.group_scores.items()
            },
            "meeting_score": _text(r.meeting_score),
            "democratic_score": _text(r.democratic_score),
            "democratic_counts": dict(r.democratic_counts),
            "good_rate": _text(r.good_rate),
            "routine_score": _text(r.routine_score),
            "bonus": str(r.bonus),
            "deduction": str(r.deduction),
            "composite": _text(r.composite),
            "rank": r.rank,
            "grade": r.grade,
            "vetoed": r.vetoed,
        }
        for r in results
    ]


def content_hash(results: Iterable[ParticipantResult]) -> str:
    """sha256 hex of the canonical JSON of :func:`results_to_dicts` (sorted keys, no spaces, UTF-8)."""
    canonical = json.dumps(
        results_to_dicts(results), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

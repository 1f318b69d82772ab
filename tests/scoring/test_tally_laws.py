"""Properties of the tally engine that hold for any input (Hypothesis)."""

import dataclasses
from decimal import ROUND_FLOOR, Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from shuping.scoring.tally import (
    ParticipantInput,
    TallyConfig,
    composite_score,
    content_hash,
    results_to_dicts,
    tally,
)

GROUP_CODES = ("standing", "delegates")
OPTIONS = ("好", "较好", "一般", "差")

cents = st.integers(min_value=0, max_value=10_000).map(lambda c: Decimal(c).scaleb(-2))
small_cents = st.integers(min_value=0, max_value=1_000).map(lambda c: Decimal(c).scaleb(-2))


@st.composite
def campaigns(draw):
    """A config, participants, ballot totals and votes with plenty of ties and gaps."""
    config = TallyConfig(
        groups={code: Decimal(draw(st.integers(1, 5))) for code in GROUP_CODES},
        trim_min=draw(st.integers(3, 6)),
        bonus_cap=draw(st.none() | small_cents),
        grade_quotas=draw(
            st.sampled_from([{}, {"好": Decimal("0.3")}, {"好": Decimal("0.3"), "较好": Decimal("0.5")}])
        ),
    )
    count = draw(st.integers(1, 10))
    # Few distinct scores, so composites tie often.
    score = st.sampled_from([Decimal(s) for s in ("60", "75.5", "80", "90", "95.25", "100")]) | cents
    people = [
        ParticipantInput(
            id=i,
            ranking_group=draw(st.sampled_from(["towns", "depts"])),
            routine_score=draw(st.none() | score),
            bonus=draw(small_cents),
            deduction=draw(small_cents),
            vetoed=draw(st.booleans()),
        )
        for i in range(count)
    ]
    ids = st.integers(0, count - 1)
    ballots = draw(st.lists(st.tuples(ids, st.sampled_from(GROUP_CODES), score), max_size=60))
    votes = draw(
        st.lists(st.tuples(ids, st.sampled_from(GROUP_CODES), st.sampled_from(OPTIONS)), max_size=40)
    )
    return config, people, ballots, votes


def single_group_score(totals, trim_min):
    config = TallyConfig(groups={"A": Decimal(1)}, trim_min=trim_min)
    [result] = tally(config, [ParticipantInput(0, "r")], [(0, "A", t) for t in totals])
    return result.group_scores["A"].score


@settings(max_examples=150)
@given(campaigns(), st.data())
def test_permuting_ballots_and_votes_changes_nothing(campaign, data):
    config, people, ballots, votes = campaign
    before = tally(config, people, ballots, votes)
    after = tally(config, people, data.draw(st.permutations(ballots)), data.draw(st.permutations(votes)))
    assert after == before
    assert content_hash(after) == content_hash(before)


@given(
    st.integers(1, 3).flatmap(lambda n: st.lists(st.integers(0, 10_000), min_size=n, max_size=n)),
)
def test_adding_a_ballot_equal_to_the_plain_mean_leaves_it(values):
    # Stay below trim_min (5) after adding; make the sum divisible so the mean is exact.
    remainder = sum(values) % len(values)
    values[-1] += -remainder if values[-1] >= remainder else len(values) - remainder
    totals = [Decimal(v).scaleb(-2) for v in values]
    mean = Decimal(sum(values) // len(values)).scaleb(-2)
    assert single_group_score(totals, trim_min=5) == mean
    assert single_group_score(totals + [mean], trim_min=5) == mean


@given(
    lowest=st.integers(0, 1_000),
    middle=st.lists(st.integers(2_000, 8_000), min_size=3, max_size=12),
    highest=st.integers(9_000, 10_000),
    trim_min=st.integers(3, 5),
    data=st.data(),
)
def test_adding_a_ballot_equal_to_the_trimmed_mean_leaves_it(lowest, middle, highest, trim_min, data):
    # The middle sum is made divisible by its length, so the trimmed mean is exact; the new ballot
    # lies between the extremes, so the same highest and lowest are still the ones dropped.
    middle[0] -= sum(middle) % len(middle)
    values = [lowest, highest, *middle]
    totals = [Decimal(v).scaleb(-2) for v in data.draw(st.permutations(values))]
    mean = Decimal(sum(middle) // len(middle)).scaleb(-2)
    assert len(totals) >= trim_min
    assert single_group_score(totals, trim_min) == mean
    assert single_group_score(totals + [mean], trim_min) == mean


optional_score = st.none() | cents
increase = st.integers(0, 5_000).map(lambda c: Decimal(c).scaleb(-2))


@given(
    meeting=optional_score,
    democratic=optional_score,
    routine=optional_score,
    bonus=small_cents,
    deduction=small_cents,
    which=st.sampled_from(["meeting", "democratic", "routine", "bonus"]),
    delta=increase,
    cap=st.none() | small_cents,
)
def test_composite_is_monotone_in_each_component(
    meeting, democratic, routine, bonus, deduction, which, delta, cap
):
    config = TallyConfig(groups={"A": Decimal(1)}, bonus_cap=cap)
    args = {"meeting": meeting, "democratic": democratic, "routine": routine, "bonus": bonus}
    base = composite_score(config, deduction=deduction, **args)
    if args[which] is not None:
        args[which] += delta
    raised = composite_score(config, deduction=deduction, **args)
    more_deduction = composite_score(config, deduction=deduction + delta, **args)
    if base is None:
        assert raised is None
    else:
        assert raised >= base
        assert more_deduction <= raised


@given(campaigns(), st.data())
def test_raising_one_ballot_total_never_lowers_that_participants_composite(campaign, data):
    config, people, ballots, votes = campaign
    if not ballots:
        return
    index = data.draw(st.integers(0, len(ballots) - 1))
    pid, code, total = ballots[index]
    raised = [*ballots]
    raised[index] = (pid, code, total + data.draw(increase))
    before = {r.participant: r for r in tally(config, people, ballots, votes)}[pid]
    after = {r.participant: r for r in tally(config, people, raised, votes)}[pid]
    assert after.group_scores[code].score >= before.group_scores[code].score
    assert after.meeting_score >= before.meeting_score
    assert after.composite >= before.composite


@settings(max_examples=200)
@given(campaigns())
def test_ranks_grades_and_quotas_are_consistent_with_composite_order(campaign):
    config, people, ballots, votes = campaign
    results = tally(config, people, ballots, votes)
    assert sorted(r.participant for r in results) == sorted(p.id for p in people)
    grades = config.grades
    for group in {p.ranking_group for p in people}:
        rows = [r for r in results if r.ranking_group == group]
        ranked = [r for r in rows if r.composite is not None]
        assert rows[: len(ranked)] == ranked  # unranked come last
        assert all(r.rank is None and r.grade is None for r in rows[len(ranked) :])
        composites = [r.composite for r in ranked]
        assert composites == sorted(composites, reverse=True)
        for r in ranked:
            assert r.rank == 1 + sum(c > r.composite for c in composites)
            assert grades.index(r.grade) >= grades.index(r.threshold_grade)
            if r.vetoed:
                assert grades.index(r.grade) >= grades.index(config.veto_cap)
        for grade, quota in config.grade_quotas.items():
            allowed = (quota * len(ranked)).to_integral_value(rounding=ROUND_FLOOR)
            assert sum(r.grade == grade for r in ranked) <= allowed


def contains_float(value) -> bool:
    if isinstance(value, float):
        return True
    if dataclasses.is_dataclass(value):
        return any(contains_float(getattr(value, f.name)) for f in dataclasses.fields(value))
    if isinstance(value, dict):
        return any(contains_float(k) or contains_float(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(contains_float(v) for v in value)
    return False


@given(campaigns())
def test_no_float_ever_appears_in_results(campaign):
    config, people, ballots, votes = campaign
    results = tally(config, people, ballots, votes)
    assert not contains_float(results)
    assert not contains_float(results_to_dicts(results))
    for r in results:
        for value in (r.meeting_score, r.democratic_score, r.good_rate, r.composite, r.routine_score):
            assert value is None or value == value.quantize(Decimal("0.01"))

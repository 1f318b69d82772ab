"""Hand-computed examples for each scoring rule of DESIGN.md ("Scoring rules")."""

import decimal
import json
from decimal import Decimal as D

import pytest

from shuping.scoring.tally import (
    ParticipantInput,
    TallyConfig,
    composite_score,
    content_hash,
    evaluator_total,
    results_to_dicts,
    tally,
)

ONE_GROUP = TallyConfig(groups={"A": D(1)})


def by_id(results):
    return {r.participant: r for r in results}


def group_score(totals, config=ONE_GROUP):
    [result] = tally(config, [ParticipantInput(1, "r")], [(1, "A", D(t)) for t in totals])
    return result.group_scores["A"]


def routine_only(**kwargs):
    """Config whose composite is the routine score (other components weigh nothing)."""
    return TallyConfig(groups={"A": D(1)}, weight_meeting=D(0), weight_democratic=D(0), **kwargs)


def people_with_routine(scores, **extra):
    return [ParticipantInput(i, "r", routine_score=D(s), **extra) for i, s in enumerate(scores, start=1)]


# --- group score: trimmed mean -------------------------------------------------------------


def test_four_ballots_below_trim_min_give_the_plain_mean():
    assert group_score(["70", "80", "90", "100"]) == (4, D("85.00"))


def test_trimming_drops_one_highest_and_one_lowest_at_five_ballots():
    # (80 + 85 + 90) / 3; the plain mean would be 81.
    assert group_score(["50", "80", "85", "90", "100"]) == (5, D("85.00"))


def test_trimming_drops_one_highest_and_one_lowest_at_six_ballots():
    # (80 + 82 + 84 + 86) / 4; the plain mean would be 78.50.
    assert group_score(["40", "80", "82", "84", "86", "99"]) == (6, D("83.00"))


def test_trimming_drops_only_one_of_several_equal_extremes():
    # One 60 and one 100 are dropped: (60 + 80 + 100) / 3.
    assert group_score(["60", "60", "80", "100", "100"]) == (5, D("80.00"))


def test_trim_min_is_configurable():
    config = TallyConfig(groups={"A": D(1)}, trim_min=4)
    assert group_score(["70", "80", "90", "100"], config) == (4, D("85.00"))
    assert group_score(["10", "80", "90", "100"], config) == (4, D("85.00"))


def test_evaluator_totals_are_used_exactly_before_the_group_score_is_rounded():
    # 80.004 + 80.004 + 80.007 = 240.015 / 3 = 80.005 -> 80.01
    assert group_score(["80.004", "80.004", "80.007"]).score == D("80.01")


# --- meeting score: weighted mean over groups with ballots ---------------------------------


def test_weighted_groups_give_the_weighted_mean_of_group_scores():
    config = TallyConfig(groups={"A": D(1), "B": D(2)})
    ballots = [(1, "A", D(90)), (1, "B", D("85.01"))]
    [result] = tally(config, [ParticipantInput(1, "r")], ballots)
    # (1 * 90 + 2 * 85.01) / 3 = 86.6733...
    assert result.meeting_score == D("86.67")


def test_group_without_ballots_is_left_out_of_the_meeting_score():
    config = TallyConfig(groups={"A": D(3), "B": D(2), "C": D(5)})
    ballots = [(1, "A", D(90)), (1, "B", D(80))]
    [result] = tally(config, [ParticipantInput(1, "r")], ballots)
    # (3 * 90 + 2 * 80) / (3 + 2): C's weight is not in the denominator.
    assert result.meeting_score == D("86.00")
    assert set(result.group_scores) == {"A", "B"}


def test_meeting_score_is_computed_from_rounded_group_scores():
    config = TallyConfig(groups={"A": D(1), "B": D(1)})
    ballots = [(1, "A", D("80.00")), (1, "A", D("80.01")), (1, "B", D(90))]
    [result] = tally(config, [ParticipantInput(1, "r")], ballots)
    # A = 80.005 -> 80.01; (80.01 + 90) / 2 = 85.005 -> 85.01 (85.00 from the unrounded A).
    assert result.group_scores["A"].score == D("80.01")
    assert result.meeting_score == D("85.01")


def test_participant_without_ballots_has_no_meeting_score():
    [result] = tally(ONE_GROUP, [ParticipantInput(1, "r", routine_score=D(80))])
    assert result.meeting_score is None
    assert result.group_scores == {}
    assert result.composite == D("80.00")


# --- democratic evaluation ------------------------------------------------------------------


def test_democratic_score_and_good_rate():
    votes = [(1, "A", "好")] * 6 + [(1, "A", "较好")] * 3 + [(1, "A", "一般")]
    [result] = tally(ONE_GROUP, [ParticipantInput(1, "r")], democratic_votes=votes)
    assert result.democratic_counts == {"好": 6, "较好": 3, "一般": 1, "差": 0}
    # (6 * 100 + 3 * 80 + 60) / 10; (6 + 3) / 10 as a percentage.
    assert result.democratic_score == D("90.00")
    assert result.good_rate == D("90.00")


def test_democratic_score_and_good_rate_round_to_two_places():
    votes = [(1, "A", "好"), (1, "A", "好"), (1, "A", "差")]
    [result] = tally(ONE_GROUP, [ParticipantInput(1, "r")], democratic_votes=votes)
    assert result.democratic_score == D("66.67")  # 200 / 3
    assert result.good_rate == D("66.67")  # 2 / 3


def test_precounted_votes_add_up_with_single_votes_across_groups():
    config = TallyConfig(groups={"A": D(1), "B": D(1)})
    counted = [(1, "A", "好", 2), (1, "B", "差", 1)]
    single = [(1, "B", "好")]
    [result] = tally(config, [ParticipantInput(1, "r")], democratic_votes=single, democratic_counts=counted)
    assert result.votes == 4
    assert result.democratic_counts["好"] == 3
    assert result.democratic_score == D("75.00")  # 300 / 4
    assert result.good_rate == D("75.00")


def test_participant_without_votes_has_no_democratic_score():
    [result] = tally(ONE_GROUP, [ParticipantInput(1, "r")], [(1, "A", D(80))])
    assert result.democratic_score is None
    assert result.good_rate is None
    assert result.votes == 0


# --- composite ------------------------------------------------------------------------------


def test_composite_weighs_meeting_democratic_routine_then_adds_bonus_and_subtracts_deduction():
    p = ParticipantInput(1, "r", routine_score=D(70), bonus=D(3), deduction=D(1))
    [result] = tally(ONE_GROUP, [p], [(1, "A", D(90))], [(1, "A", "较好")])
    # 0.3 * 90 + 0.2 * 80 + 0.5 * 70 = 78; + 3 - 1
    assert result.composite == D("80.00")


def test_missing_routine_score_renormalises_over_the_present_components():
    p = ParticipantInput(1, "r")
    [result] = tally(ONE_GROUP, [p], [(1, "A", D(90))], [(1, "A", "较好")])
    # (30 * 90 + 20 * 80) / 50: the missing routine score is not a zero.
    assert result.routine_score is None
    assert result.composite == D("86.00")


def test_bonus_is_capped():
    config = TallyConfig(groups={"A": D(1)}, bonus_cap=D(5))
    [result] = tally(config, [ParticipantInput(1, "r", routine_score=D(80), bonus=D(8))])
    assert result.bonus == D("5.00")
    assert result.composite == D("85.00")
    assert composite_score(config, None, None, D(80), bonus=D(8)) == D("85.00")


def test_participant_without_any_component_has_no_composite_rank_or_grade():
    people = [ParticipantInput(1, "r", vetoed=True), ParticipantInput(2, "r", routine_score=D(95))]
    results = tally(ONE_GROUP, people)
    assert [r.participant for r in results] == [2, 1]  # unranked last
    assert (results[1].composite, results[1].rank, results[1].grade) == (None, None, None)


def test_routine_bonus_and_deduction_are_rounded_on_entry():
    p = ParticipantInput(1, "r", routine_score=D("80.005"), bonus=D("0.005"), deduction=D("0.004"))
    [result] = tally(routine_only(), [p])
    assert (result.routine_score, result.bonus, result.deduction) == (D("80.01"), D("0.01"), D("0.00"))
    assert result.composite == D("80.02")


# --- rounding ---------------------------------------------------------------------------------


def test_round_half_up_at_half_a_cent():
    # Banker's rounding would give 80.00, 3.12 and 80.04 here.
    assert group_score(["80.00", "80.01"]).score == D("80.01")
    votes = [(1, "A", "好")] + [(1, "A", "差")] * 31
    [dem] = tally(ONE_GROUP, [ParticipantInput(1, "r")], democratic_votes=votes)
    assert dem.democratic_score == D("3.13")  # 100 / 32 = 3.125
    assert dem.good_rate == D("3.13")
    p = ParticipantInput(1, "r", routine_score=D(80))
    [comp] = tally(ONE_GROUP, [p], [(1, "A", D("80.15"))], [(1, "A", "较好")])
    assert comp.composite == D("80.05")  # (30 * 80.15 + 20 * 80 + 50 * 80) / 100 = 80.045


def test_tally_ignores_the_callers_decimal_context():
    with decimal.localcontext() as ctx:
        ctx.prec = 3
        ctx.rounding = decimal.ROUND_DOWN
        assert group_score(["80.00", "80.01"]).score == D("80.01")
        assert group_score(["70", "80", "90", "100"]).score == D("85.00")


# --- ranking ----------------------------------------------------------------------------------


def test_ties_share_a_rank_and_the_next_rank_is_skipped():
    results = tally(routine_only(), people_with_routine([95, 90, 90, 85]))
    assert [r.rank for r in results] == [1, 2, 2, 4]
    assert [r.composite for r in results] == [D(95), D(90), D(90), D(85)]


def test_tie_display_order_is_by_democratic_score_descending():
    people = people_with_routine([95, 90, 90, 90, 85])
    votes = [(2, "A", "差"), (3, "A", "好"), (4, "A", "一般")]
    results = tally(routine_only(), people, democratic_votes=votes)
    assert [r.participant for r in results] == [1, 3, 4, 2, 5]
    assert [r.rank for r in results] == [1, 2, 2, 2, 5]


def test_tie_without_democratic_score_comes_after_ones_with_it():
    people = people_with_routine([90, 90])
    results = tally(routine_only(), people, democratic_votes=[(2, "A", "差")])
    assert [r.participant for r in results] == [2, 1]


def test_ranks_are_per_ranking_group_and_groups_come_out_sorted():
    people = [
        ParticipantInput(1, "towns", routine_score=D(80)),
        ParticipantInput(2, "depts", routine_score=D(70)),
        ParticipantInput(3, "towns", routine_score=D(90)),
        ParticipantInput(4, "depts", routine_score=D(75)),
    ]
    results = tally(routine_only(), people)
    assert [(r.ranking_group, r.participant, r.rank) for r in results] == [
        ("depts", 4, 1),
        ("depts", 2, 2),
        ("towns", 3, 1),
        ("towns", 1, 2),
    ]


# --- grades, quotas, veto ---------------------------------------------------------------------


def test_grades_follow_thresholds():
    results = tally(routine_only(), people_with_routine([90, "89.99", 80, "79.99", 60, "59.99"]))
    assert [r.grade for r in results] == ["好", "较好", "较好", "一般", "一般", "差"]


def test_quota_pushes_the_fourth_of_ten_from_good_to_fairly_good():
    scores = [99, 97, 95, 93, 85, 84, 83, 82, 81, 70]
    results = tally(routine_only(), people_with_routine(scores))
    # Four reach 90, but 好 is limited to floor(30 % of 10) = 3.
    assert [r.grade for r in results] == ["好"] * 3 + ["较好"] * 6 + ["一般"]
    assert results[3].threshold_grade == "好"


def test_quota_allowance_is_rounded_down():
    results = tally(routine_only(), people_with_routine([99, 98, 97, 96, 95, 94, 93]))
    assert [r.grade for r in results].count("好") == 2  # floor(0.3 * 7)


def test_quota_demotions_cascade_through_grades_with_quotas():
    config = routine_only(grade_quotas={"好": D("0.3"), "较好": D("0.3")})
    results = tally(config, people_with_routine([99, 98, 97, 96, 95, 94, 93, 92, 91, 90]))
    # The demoted from 好 rank above the rest in 较好, so those at the bottom of 较好 fall again.
    assert [r.grade for r in results] == ["好"] * 3 + ["较好"] * 3 + ["一般"] * 4


def test_quota_boundary_tie_is_settled_by_display_order():
    people = people_with_routine([99, 98, 95, 95, 85, 84, 83, 82, 81, 70])
    votes = [(3, "A", "差"), (4, "A", "好")]
    results = tally(routine_only(), people, democratic_votes=votes)
    grades = {r.participant: r.grade for r in results}
    assert (grades[4], grades[3]) == ("好", "较好")


def test_veto_caps_the_grade_at_poor_and_keeps_the_rank():
    people = [
        ParticipantInput(1, "r", routine_score=D(95), vetoed=True, veto_reason="发生重大责任事故"),
        ParticipantInput(2, "r", routine_score=D(85)),
    ]
    results = by_id(tally(routine_only(), people))
    assert (results[1].rank, results[1].threshold_grade, results[1].grade) == (1, "好", "差")
    assert results[1].vetoed and results[1].veto_reason == "发生重大责任事故"
    assert results[2].grade == "较好"


def test_vetoed_participant_does_not_take_a_quota_place():
    people = people_with_routine([99, 97, 95, 93, 85, 84, 83, 82, 81, 70])
    people[0] = ParticipantInput(1, "r", routine_score=D(99), vetoed=True)
    results = tally(routine_only(), people)
    assert [r.grade for r in results[:5]] == ["差", "好", "好", "好", "较好"]


def test_veto_cap_grade_is_configurable_and_only_lowers():
    people = [
        ParticipantInput(1, "r", routine_score=D(95), vetoed=True),
        ParticipantInput(2, "r", routine_score=D(50), vetoed=True),
    ]
    results = by_id(tally(routine_only(veto_cap="一般", grade_quotas={}), people))
    assert (results[1].grade, results[2].grade) == ("一般", "差")


# --- evaluator totals -------------------------------------------------------------------------


def test_evaluator_total_sums_indicator_scores():
    maxima = {"班子配备": D(20), "工作保障": D(30), "服务群众": D(10)}
    assert evaluator_total({"班子配备": D("18.5"), "工作保障": D(30), "服务群众": 0}, maxima) == D("48.5")


@pytest.mark.parametrize("score", [D("-0.5"), D("20.01")])
def test_evaluator_total_refuses_scores_outside_zero_to_max(score):
    with pytest.raises(ValueError, match="within 0..20"):
        evaluator_total({"x": score}, {"x": D(20)})


def test_evaluator_total_refuses_missing_unknown_and_float_scores():
    with pytest.raises(ValueError, match="not scored"):
        evaluator_total({}, {"x": D(20)})
    with pytest.raises(ValueError, match="unknown"):
        evaluator_total({"x": D(1), "y": D(1)}, {"x": D(20)})
    with pytest.raises(TypeError):
        evaluator_total({"x": 1.5}, {"x": D(20)})


# --- input validation -------------------------------------------------------------------------


def test_float_evaluator_totals_are_refused():
    with pytest.raises(TypeError, match="Decimal or int"):
        tally(ONE_GROUP, [ParticipantInput(1, "r")], [(1, "A", D(80)), (1, "A", 90.5)])


def test_float_inputs_are_refused():
    with pytest.raises(TypeError):
        ParticipantInput(1, "r", routine_score=80.0)
    with pytest.raises(TypeError):
        TallyConfig(groups={"A": 0.5})


def test_ballots_for_unknown_participants_groups_or_options_are_refused():
    with pytest.raises(ValueError, match="unknown participant"):
        tally(ONE_GROUP, [ParticipantInput(1, "r")], [(2, "A", D(80))])
    with pytest.raises(ValueError, match="unknown evaluator group"):
        tally(ONE_GROUP, [ParticipantInput(1, "r")], [(1, "Z", D(80))])
    with pytest.raises(ValueError, match="unknown democratic option"):
        tally(ONE_GROUP, [ParticipantInput(1, "r")], democratic_votes=[(1, "A", "优秀")])
    with pytest.raises(ValueError, match="duplicate"):
        tally(ONE_GROUP, [ParticipantInput(1, "r"), ParticipantInput(1, "r")])


@pytest.mark.parametrize(
    "kwargs",
    [
        {"grade_quotas": {"差": D("0.1")}},
        {"grade_thresholds": {"好": D(80), "较好": D(90), "一般": D(60)}},
        {"grade_thresholds": {"好": D(90)}},
        {"veto_cap": "优秀"},
        {"trim_min": 2},
        {"weight_meeting": 0, "weight_democratic": 0, "weight_routine": 0},
        {"good_options": frozenset({"优秀"})},
        {"grade_quotas": {"好": D("1.5")}},
    ],
)
def test_invalid_configuration_is_refused(kwargs):
    with pytest.raises(ValueError):
        TallyConfig(groups={"A": D(1)}, **kwargs)


# --- published snapshot -----------------------------------------------------------------------


def test_results_to_dicts_gives_json_ready_rows_with_the_documented_keys():
    p = ParticipantInput(1, "r", routine_score=D(70))
    [row] = results_to_dicts(tally(ONE_GROUP, [p], [(1, "A", D(90))], [(1, "A", "好")]))
    assert set(row) == {
        "participant", "ranking_group", "group_scores", "meeting_score", "democratic_score",
        "democratic_counts", "good_rate", "routine_score", "bonus", "deduction", "composite",
        "rank", "grade", "vetoed",
    }  # fmt: skip
    assert row["group_scores"] == {"A": {"count": 1, "score": "90.00"}}
    assert row["composite"] == "82.00"
    assert json.loads(json.dumps(row)) == row


def test_content_hash_is_stable_and_changes_with_any_score():
    people = [ParticipantInput(1, "r", routine_score=D(70))]
    first = content_hash(tally(ONE_GROUP, people, [(1, "A", D(90))]))
    again = content_hash(tally(ONE_GROUP, people, [(1, "A", D("90.00"))]))
    changed = content_hash(tally(ONE_GROUP, people, [(1, "A", D("90.01"))]))
    assert first == again
    assert first != changed
    assert len(first) == 64

"""Every scoring rule of DESIGN.md, hand-computed, through the Excel import and the database."""

from decimal import Decimal

from shuping.campaigns import services

from .workbooks import import_ballots

FULL = ["R1", "R2", "R3", "R4", "R5", "B1", "B2", "B3"]


def _results(campaign):
    rows = services.results_payload(campaign, services.campaign_tally(campaign))
    return {row["org_code"]: row for row in rows}


def _ballots(reporter, group, totals, prefix=None):
    prefix = prefix or f"{group}-{reporter}-"
    return [(f"{prefix}{n}", group, reporter, "S", total) for n, total in enumerate(totals, start=1)]


def test_full_rubric_ballot_total_is_the_sum_of_its_indicator_scores(meeting_campaign):
    scores = dict(zip(FULL, ["14", "13.5", "12", "15", "18", "6", "5.5", "4"], strict=True))
    import_ballots(meeting_campaign, [("CW01", "县委常委", "A-1", code, s) for code, s in scores.items()])
    ballot = meeting_campaign.ballots.get()
    assert ballot.total == Decimal("88.00")
    assert ballot.scores.count() == 8
    assert _results(meeting_campaign)["A-1"]["meeting_score"] == "88.00"


def test_trimming_starts_at_five_ballots(one_item_campaign):
    rows = (
        _ballots("A-1", "CW", [80, 90, 70, 60])  # 4 ballots: plain mean 75
        + _ballots("A-2", "CW", [80, 90, 70, 60, 100])  # 5: drop 100 and 60 → 240 / 3
        + _ballots("A-3", "CW", [80, 90, 70, 60, 100, 85])  # 6: drop 100 and 60 → 325 / 4
    )
    import_ballots(one_item_campaign, rows)
    results = _results(one_item_campaign)
    assert results["A-1"]["group_scores"]["CW"] == {"count": 4, "score": "75.00"}
    assert results["A-2"]["group_scores"]["CW"] == {"count": 5, "score": "80.00"}
    assert results["A-3"]["group_scores"]["CW"] == {"count": 6, "score": "81.25"}
    assert results["A-3"]["meeting_score"] == "81.25"


def test_a_group_without_ballots_is_left_out_of_the_meeting_score(one_item_campaign):
    # CW weight 40 mean 80, LD weight 30 mean 60; DB and QZ cast nothing: (3200 + 1800) / 70
    import_ballots(one_item_campaign, _ballots("A-1", "CW", [70, 90]) + _ballots("A-1", "LD", [60]))
    row = _results(one_item_campaign)["A-1"]
    assert set(row["group_scores"]) == {"CW", "LD"}
    assert row["meeting_score"] == "71.43"


def test_democratic_score_and_good_rate(one_item_campaign):
    import_ballots(one_item_campaign, votes=[("DB", "A-1", "好"), ("党代表", "A-1", "较好"), ("QZ", "A-1", "差")])
    row = _results(one_item_campaign)["A-1"]
    assert row["democratic_score"] == "60.00"  # (100 + 80 + 0) / 3
    assert row["good_rate"] == "66.67"
    assert row["democratic_counts"] == {"好": 1, "较好": 1, "一般": 0, "差": 1}


def test_composite_weights_bonus_cap_and_deduction(one_item_campaign):
    participant = one_item_campaign.participants.get(org__code="A-1")
    services.participant_update(actor=None, participant=participant, routine_score=Decimal(90), bonus=Decimal(7),
                                deduction=Decimal(2))
    import_ballots(one_item_campaign, _ballots("A-1", "CW", [80]), votes=[("QZ", "A-1", "一般")])
    # 0.3 × 80 + 0.2 × 60 + 0.5 × 90 = 81, + bonus capped at 5, − 2
    row = _results(one_item_campaign)["A-1"]
    assert (row["bonus"], row["composite"]) == ("5.00", "84.00")


def test_equal_composites_share_a_rank_and_democratic_score_breaks_the_display_order(one_item_campaign):
    for code, routine in (("A-1", 90), ("A-2", 88), ("A-3", 70)):
        participant = one_item_campaign.participants.get(org__code=code)
        services.participant_update(actor=None, participant=participant, routine_score=Decimal(routine))
    import_ballots(
        one_item_campaign,
        _ballots("A-1", "CW", [90]) + _ballots("A-2", "CW", [80]) + _ballots("A-3", "CW", [70]),
        votes=[("QZ", "A-1", "较好"), ("QZ", "A-2", "好"), ("QZ", "A-3", "一般")],
    )
    # 27 + 16 + 45 = 88; A-2: 24 + 20 + 44 = 88; A-3: 21 + 12 + 35 = 68
    rows = [r for r in services.results_payload(one_item_campaign, services.campaign_tally(one_item_campaign))
            if r["composite"] is not None]
    assert [(r["org_code"], r["composite"], r["rank"]) for r in rows] == [
        ("A-2", "88.00", 1), ("A-1", "88.00", 1), ("A-3", "68.00", 3)
    ]


TEN = [99, 97, 95, 93, 85, 83, 75, 70, 65, 50]


def _ten_townships(campaign):
    rows = []
    for n, score in enumerate(TEN, start=1):
        rows += _ballots(f"A-{n}", "CW", [score])
    import_ballots(campaign, rows)


def test_the_good_quota_pushes_the_fourth_of_ten_down_to_fair(one_item_campaign):
    _ten_townships(one_item_campaign)
    results = _results(one_item_campaign)
    grades = [results[f"A-{n}"]["grade"] for n in range(1, 11)]
    # floor(30 % × 10) = 3 places for 好: A-4 scores 93 (≥ 90) but falls to 较好
    assert results["A-4"]["composite"] == "93.00"
    assert grades == ["好", "好", "好", "较好", "较好", "较好", "一般", "一般", "一般", "差"]


def test_a_veto_caps_the_grade_keeps_the_rank_and_frees_a_quota_place(one_item_campaign):
    top = one_item_campaign.participants.get(org__code="A-1")
    services.participant_update(actor=None, participant=top, vetoed=True, veto_reason="班子成员严重违纪")
    _ten_townships(one_item_campaign)
    results = _results(one_item_campaign)
    assert (results["A-1"]["rank"], results["A-1"]["grade"], results["A-1"]["vetoed"]) == (1, "差", True)
    assert [results[f"A-{n}"]["grade"] for n in (2, 3, 4)] == ["好", "好", "好"]


def test_ranking_groups_are_ranked_and_graded_separately(tree, one_item_campaign):
    dept = one_item_campaign.participants.get(org__code="A-10")
    group = services.participant_add(actor=None, campaign=one_item_campaign, org=dept.org,
                                     ranking_group_name="县直部门组").ranking_group
    assert group.name == "县直部门组"
    _ten_townships(one_item_campaign)
    results = _results(one_item_campaign)
    assert (results["A-10"]["ranking_group"], results["A-10"]["rank"]) == ("县直部门组", 1)
    # nine townships left: floor(0.3 × 9) = 2 好 places
    assert [results[f"A-{n}"]["grade"] for n in (1, 2, 3)] == ["好", "好", "较好"]

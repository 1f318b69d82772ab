from decimal import Decimal

import pytest

from shuping.campaigns.models import Ballot, BallotScore, BallotSource
from shuping.meetings import services
from shuping.meetings.models import MeetingStatus

from .conftest import build_hall


def cast(hall, token, participant, value="5", democratic="好", **overrides):
    scores = hall.scores(value)
    scores.update(overrides)
    return services.ballot_cast(token=token, participant_id=participant.pk, raw_scores=scores, democratic=democratic)


def test_ballot_is_stored_under_the_slot_of_token_and_reporter(hall):
    token = hall.token()
    ballot, created = cast(hall, token, hall.participants[0])
    assert created
    assert ballot.slot == hall.slot(hall.cards["QZ"][0], hall.participants[0])
    assert ballot.source == BallotSource.ONLINE and not ballot.is_test
    assert ballot.total == sum(min(Decimal(5), i.max_score) for i in hall.indicators)
    assert ballot.scores.count() == len(hall.indicators)
    assert ballot.group.code == "QZ"


def test_resubmission_before_close_replaces_the_earlier_ballot_in_place(hall):
    token, p = hall.token(), hall.participants[0]
    first, _ = cast(hall, token, p, "5", "好")
    second, created = cast(hall, token, p, "3", "一般")
    assert not created and second.pk == first.pk
    assert Ballot.objects.filter(campaign=hall.campaign).count() == 1
    stored = Ballot.objects.get(pk=first.pk)
    assert stored.democratic == "一般"
    assert stored.total == sum(min(Decimal(3), i.max_score) for i in hall.indicators)
    assert set(BallotScore.objects.filter(ballot=stored).values_list("score", flat=True)) <= {Decimal("3.00"), Decimal("2.00"), Decimal("1.00")}
    assert BallotScore.objects.filter(ballot=stored).count() == len(hall.indicators)


def test_ballot_after_close_is_refused(hall):
    cast(hall, hall.token(), hall.participants[0])
    services.meeting_close(actor=None, meeting=hall.meeting)
    with pytest.raises(services.BallotRejected, match="会议已关闭"):
        cast(hall, hall.token(), hall.participants[0], "1")
    assert Ballot.objects.get().total == sum(min(Decimal(5), i.max_score) for i in hall.indicators)


def test_ballot_before_the_meeting_starts_is_refused(tree):
    hall = build_hall(tree, status="preparing")
    with pytest.raises(services.BallotRejected, match="尚未开始"):
        cast(hall, hall.token(), hall.participants[0])


def test_missing_and_out_of_range_scores_are_reported_per_indicator(hall):
    first, second = hall.indicators[0], hall.indicators[1]
    with pytest.raises(services.BallotRejected) as caught:
        cast(hall, hall.token(), hall.participants[0], **{str(first.pk): "", str(second.pk): str(second.max_score + 1)})
    assert caught.value.missing == {first.pk}
    assert caught.value.invalid == {second.pk}
    assert "1 项未打分" in caught.value.message
    assert not Ballot.objects.exists()


def test_democratic_choice_is_required_when_the_meeting_says_so(hall):
    with pytest.raises(services.BallotRejected, match="民主测评"):
        cast(hall, hall.token(), hall.participants[0], democratic="")
    services.meeting_update(actor=None, meeting=hall.meeting, rule_require_democratic=False)
    ballot, _ = cast(hall, hall.token(), hall.participants[0], democratic="")
    assert ballot.democratic == ""


def test_same_total_for_every_reporter_is_refused_on_the_last_one(hall):
    token = hall.token()
    cast(hall, token, hall.participants[0], "5")
    with pytest.raises(services.BallotRejected, match="相同的总分"):
        cast(hall, token, hall.participants[1], "5")
    ballot, _ = cast(hall, token, hall.participants[1], "4")
    assert Ballot.objects.filter(campaign=hall.campaign).count() == 2
    # re-scoring the first so that both are equal again is refused as well
    with pytest.raises(services.BallotRejected, match="相同的总分"):
        cast(hall, token, hall.participants[0], "4")
    services.meeting_update(actor=None, meeting=hall.meeting, rule_distinct_totals=False)
    cast(hall, token, hall.participants[0], "4")


def test_test_round_ballots_are_wiped_when_the_real_round_opens(tree):
    hall = build_hall(tree, status="test")
    ballot, _ = cast(hall, hall.token(), hall.participants[0])
    assert ballot.is_test
    services.meeting_open(actor=None, meeting=hall.meeting)
    assert not Ballot.objects.exists()
    hall.meeting.refresh_from_db()
    assert hall.meeting.status == MeetingStatus.OPEN
    real, created = cast(hall, hall.token(), hall.participants[0])
    assert created and not real.is_test


def test_clear_test_keeps_test_mode(tree):
    hall = build_hall(tree, status="test")
    cast(hall, hall.token(), hall.participants[0])
    assert services.meeting_clear_test(actor=None, meeting=hall.meeting) == 1
    hall.meeting.refresh_from_db()
    assert hall.meeting.status == MeetingStatus.TEST and not Ballot.objects.exists()


def test_progress_is_recomputed_from_the_slots(hall):
    from shuping.meetings import voting

    token = hall.token("LD", 1)
    cast(hall, token, hall.participants[1])
    reporters = voting.layout(hall.campaign.pk).reporters
    assert set(voting.cast_so_far(voting.voter_for_token(token), reporters)) == {hall.participants[1].pk}
    assert voting.cast_so_far(voting.voter_for_token(hall.token("LD", 2)), reporters) == {}

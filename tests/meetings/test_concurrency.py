"""Every accepted ballot is counted exactly once, under parallel submissions and re-submissions."""

import random
import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction

from shuping.campaigns.models import Ballot, BallotScore
from shuping.meetings import services

from .conftest import build_hall


def _submissions(hall, tokens, rounds, seed):
    rng = random.Random(seed)
    jobs = []
    for token in tokens:
        for participant in hall.participants:
            for _ in range(rounds):
                jobs.append((token, participant.pk, str(rng.randint(1, 9)), rng.choice(["好", "较好", "一般", "差"])))
    rng.shuffle(jobs)
    return jobs


def _check(hall, accepted):
    """accepted: list of (order, token, participant, value, democratic) of accepted submissions."""
    last = {}
    for _, token, participant_id, value, democratic in sorted(accepted):
        last[(token, participant_id)] = (value, democratic)
    assert Ballot.objects.filter(campaign=hall.campaign).count() == len(last)
    maxima = {i.pk: i.max_score for i in hall.indicators}
    for (token, participant_id), (value, democratic) in last.items():
        from shuping.meetings import voting

        ballot = Ballot.objects.get(campaign=hall.campaign, slot=voting.voter_for_token(token).slot(participant_id))
        assert ballot.total == sum(min(Decimal(value), m) for m in maxima.values())
        assert ballot.democratic == democratic
        assert BallotScore.objects.filter(ballot=ballot).count() == len(maxima)


def _cast(hall, token, participant_id, value, democratic):
    services.ballot_cast(token=token, participant_id=participant_id, raw_scores=hall.scores(value),
                         democratic=democratic)


def _prepare(tree):
    hall = build_hall(tree, per_group=3)
    # the "same total everywhere" rule would refuse random ballots; it is not what is tested here
    services.meeting_update(actor=None, meeting=hall.meeting, rule_distinct_totals=False)
    return hall


def test_sequential_resubmissions_count_once_with_the_last_values(tree):
    hall = _prepare(tree)
    tokens = [hall.token("QZ", i) for i in range(3)]
    accepted = []
    for order, job in enumerate(_submissions(hall, tokens, 3, seed=1)):
        _cast(hall, *job)
        accepted.append((order, *job))
    _check(hall, accepted)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_parallel_submissions_of_the_same_credential_count_once(tree):
    hall = _prepare(tree)
    tokens = [hall.token("QZ", i) for i in range(3)] + [hall.token("LD", 0)]
    jobs = _submissions(hall, tokens, 4, seed=2)
    accepted, errors = [], []
    lock = threading.Lock()
    counter = iter(range(10**6))
    barrier = threading.Barrier(8)

    def worker(chunk):
        try:
            barrier.wait()
            for job in chunk:
                # Record the order while the slot's row lock is still held (before commit):
                # for one slot this is exactly the order in which the submissions commit.
                with transaction.atomic():
                    _cast(hall, *job)
                    with lock:
                        accepted.append((next(counter), *job))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    # Jobs for the same (token, participant) go to different threads: real contention on a slot.
    chunks = [jobs[i::8] for i in range(8)]
    threads = [threading.Thread(target=worker, args=(chunk,)) for chunk in chunks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(accepted) == len(jobs)
    pairs = {(token, participant_id) for _, token, participant_id, _, _ in accepted}
    assert Ballot.objects.filter(campaign=hall.campaign).count() == len(pairs)
    _check(hall, accepted)


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL row locks")
@pytest.mark.django_db(transaction=True)
def test_a_ballot_sent_while_the_meeting_closes_waits_and_is_refused(tree, monkeypatch):
    """The attacker's timing: a phone submits while the close is under way. The submission must
    wait for the close and then be refused; a ballot stored after it would escape the shuffle
    and the per-card counts."""
    import time

    from shuping.meetings.models import Meeting, MeetingStatus
    from shuping.meetings.voting import BallotRejected

    hall = _prepare(tree)
    token, participant = hall.token("QZ", 0), hall.participants[0]
    _cast(hall, hall.token("QZ", 1), participant.pk, "3", "好")  # one ballot before: counted
    locked = threading.Event()
    checks = services.unresolved_paper

    def slow_checks(meeting):
        locked.set()  # the close holds the meeting row from here to its commit
        time.sleep(1.0)
        return checks(meeting)

    monkeypatch.setattr(services, "unresolved_paper", slow_checks)
    outcome, errors = {}, []

    def closer():
        try:
            services.meeting_close(actor=None, meeting=Meeting.objects.get(pk=hall.meeting.pk))
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    def phone():
        try:
            locked.wait(10)
            started = time.monotonic()
            try:
                _cast(hall, token, participant.pk, "5", "较好")
                outcome["result"] = "accepted"
            except BallotRejected as rejected:
                outcome["result"] = rejected.message
            outcome["waited"] = time.monotonic() - started
        except Exception as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=closer), threading.Thread(target=phone)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert outcome["result"] == "会议已关闭，测评已结束，不能再提交或修改。"
    assert outcome["waited"] > 0.5  # it waited for the close rather than slipping in before it
    assert Meeting.objects.get(pk=hall.meeting.pk).status == MeetingStatus.CLOSED
    assert Ballot.objects.filter(campaign=hall.campaign).count() == 1

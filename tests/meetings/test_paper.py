from decimal import Decimal

import pytest

from shuping.accounts.models import Role
from shuping.audit.models import AuditEntry
from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import Ballot, BallotSource, CampaignState
from shuping.campaigns.services import CampaignError
from shuping.meetings import secrecy, services
from shuping.meetings.models import MeetingStatus, PaperFormStatus

from ..builders import make_user


@pytest.fixture
def clerks(tree):
    return [make_user(f"clerk{i}", Role.ADMIN, tree.county_a) for i in (1, 2, 3)]


@pytest.fixture
def form(hall):
    group = hall.campaign.evaluator_groups.get(code="DB")
    return services.paper_forms_issue(actor=None, meeting=hall.meeting, group=group, count=2)[0]


def entry(hall, **overrides):
    """One paper form typed in: every reporter scored 4 with 较好, unless overridden."""
    grid = services.paper_grid(hall.meeting)
    post = {}
    for p in grid.participants:
        for i in grid.indicators:
            post[f"p{p.pk}_i{i.pk}"] = str(min(Decimal(4), i.max_score))
        post[f"p{p.pk}_d"] = "较好"
    post.update(overrides)
    data = grid.parse(post)
    assert grid.errors == []
    return data


def test_two_agreeing_entries_become_paper_ballots(hall, form, clerks):
    services.paper_entry_save(actor=clerks[0], form=form, data=entry(hall))
    assert not Ballot.objects.exists()
    form = services.paper_entry_save(actor=clerks[1], form=form, data=entry(hall))
    assert form.status == PaperFormStatus.AGREED
    ballots = Ballot.objects.filter(source=BallotSource.PAPER)
    assert ballots.count() == len(hall.participants)
    p = hall.participants[0]
    key = type(hall.meeting).objects.get(pk=hall.meeting.pk).ballot_key
    assert ballots.get(participant=p).slot == secrecy.ballot_slot(key, secrecy.paper_material(form.form_id), p.pk)
    assert ballots.get(participant=p).group.code == "DB"


def test_the_same_clerk_twice_does_not_make_two_entries(hall, form, clerks):
    services.paper_entry_save(actor=clerks[0], form=form, data=entry(hall))
    form = services.paper_entry_save(actor=clerks[0], form=form, data=entry(hall))
    assert form.entries.count() == 1 and form.status == PaperFormStatus.ISSUED
    assert not Ballot.objects.exists()
    with pytest.raises(services.MeetingError, match="只录入了一次"):
        services.meeting_close(actor=None, meeting=hall.meeting)


def test_mismatch_blocks_closing_until_a_third_person_resolves_it(hall, form, clerks):
    p, i = hall.participants[1], hall.indicators[0]
    services.paper_entry_save(actor=clerks[0], form=form, data=entry(hall))
    form = services.paper_entry_save(actor=clerks[1], form=form, data=entry(hall, **{f"p{p.pk}_i{i.pk}": "1"}))
    assert form.status == PaperFormStatus.MISMATCH
    assert services.paper_differences(*[e.data for e in form.entries.order_by("pk")]) == {(str(p.pk), str(i.pk))}
    assert not Ballot.objects.exists()
    with pytest.raises(services.MeetingError, match="不一致"):
        services.meeting_close(actor=None, meeting=hall.meeting)
    with pytest.raises(CampaignError, match="不一致"):
        campaign_services.campaign_transition(actor=None, campaign=hall.campaign, to_state=CampaignState.SCORING)
    with pytest.raises(services.MeetingError, match="第三人"):
        services.paper_resolve(actor=clerks[1], form=form, data=entry(hall))
    decision = entry(hall, **{f"p{p.pk}_i{i.pk}": "2"})
    form = services.paper_resolve(actor=clerks[2], form=form, data=decision)
    assert form.status == PaperFormStatus.RESOLVED
    assert Ballot.objects.filter(source=BallotSource.PAPER).count() == len(hall.participants)
    resolved = Ballot.objects.get(participant=p).scores.get(indicator=i).score
    assert resolved == Decimal("2")
    audit = AuditEntry.objects.get(action="meeting.paper_resolve")
    assert audit.after["cells"] == [{"participant": str(p.pk), "field": str(i.pk), "first": "4.00", "second": "1.00",
                                     "final": "2.00"}]
    services.meeting_close(actor=None, meeting=hall.meeting)


def _mismatch(hall, form, clerks):
    p, i = hall.participants[1], hall.indicators[0]
    services.paper_entry_save(actor=clerks[0], form=form, data=entry(hall))
    form = services.paper_entry_save(actor=clerks[1], form=form, data=entry(hall, **{f"p{p.pk}_i{i.pk}": "1"}))
    assert form.status == PaperFormStatus.MISMATCH
    return form, p, i


def test_resolution_cannot_change_a_cell_the_two_clerks_agreed_on(hall, form, clerks):
    form, p, i = _mismatch(hall, form, clerks)
    other = hall.participants[0]
    tampered = entry(hall, **{f"p{p.pk}_i{i.pk}": "2", f"p{other.pk}_i{i.pk}": "0", f"p{other.pk}_d": "差"})
    with pytest.raises(services.MeetingError, match="只能修改两次录入不一致"):
        services.paper_resolve(actor=clerks[2], form=form, data=tampered)
    assert not Ballot.objects.exists()
    assert not AuditEntry.objects.filter(action="meeting.paper_resolve").exists()


def test_resolution_counts_agreed_cells_as_typed_and_only_the_disputed_cell_as_decided(hall, form, clerks):
    form, p, i = _mismatch(hall, form, clerks)
    # the decision form posts only what the third person sees: the disputed cell
    services.paper_resolve(actor=clerks[2], form=form, data={str(p.pk): {str(i.pk): "3.00"}})
    counted = {b.participant_id: b for b in Ballot.objects.filter(source=BallotSource.PAPER)}
    assert set(counted) == {x.pk for x in hall.participants}
    assert counted[p.pk].scores.get(indicator=i).score == Decimal("3")
    assert counted[p.pk].democratic == "较好"
    assert counted[hall.participants[0].pk].total == sum(min(Decimal(4), x.max_score) for x in hall.indicators)


def test_partially_scored_row_is_rejected_and_democratic_only_row_is_kept(hall):
    grid = services.paper_grid(hall.meeting)
    p0, p1 = grid.participants
    i0 = grid.indicators[0]
    data = grid.parse({f"p{p0.pk}_i{i0.pk}": "3", f"p{p1.pk}_d": "好"})
    assert any("评分不完整" in e for e in grid.errors)
    grid = services.paper_grid(hall.meeting)
    assert grid.parse({f"p{p1.pk}_d": "好"}) == {str(p1.pk): {"democratic": "好"}}
    assert data[str(p1.pk)] == {"democratic": "好"}


def test_paper_entry_is_refused_in_test_mode_and_after_close(tree, clerks):
    from .conftest import build_hall

    hall = build_hall(tree, status="test")
    group = hall.campaign.evaluator_groups.get(code="QZ")
    form = services.paper_forms_issue(actor=None, meeting=hall.meeting, group=group, count=1)[0]
    with pytest.raises(services.MeetingError, match="正式测评开始后"):
        services.paper_entry_save(actor=clerks[0], form=form, data=entry(hall))
    services.meeting_open(actor=None, meeting=hall.meeting)
    services.meeting_close(actor=None, meeting=hall.meeting)
    hall.meeting.refresh_from_db()
    assert hall.meeting.status == MeetingStatus.CLOSED
    with pytest.raises(services.MeetingError, match="会议已关闭"):
        services.paper_entry_save(actor=clerks[0], form=form, data=entry(hall))


def test_resolution_that_leaves_a_row_half_scored_is_refused(hall, form, clerks):
    form, p, i = _mismatch(hall, form, clerks)
    with pytest.raises(services.MeetingError, match="评分不完整"):
        services.paper_resolve(actor=clerks[2], form=form, data={str(p.pk): {}})
    assert not Ballot.objects.exists()

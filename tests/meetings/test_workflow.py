import pytest

from shuping.audit.models import AuditEntry
from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import CampaignState
from shuping.campaigns.services import CampaignError
from shuping.meetings import selectors, services
from shuping.meetings.models import MeetingStatus

from .conftest import build_hall


def vote(hall, group, index, participant, value, democratic="好"):
    services.ballot_cast(token=hall.token(group, index), participant_id=participant.pk,
                         raw_scores=hall.scores(value), democratic=democratic)


def test_campaign_cannot_leave_the_meeting_phase_while_the_meeting_is_open(hall):
    with pytest.raises(CampaignError, match="尚未关闭"):
        campaign_services.campaign_transition(actor=None, campaign=hall.campaign, to_state=CampaignState.SCORING)


def test_closing_moves_the_campaign_to_scoring_and_is_audited(hall, role_users):
    vote(hall, "QZ", 0, hall.participants[0], "5")
    services.meeting_close(actor=role_users["admin"], meeting=hall.meeting)
    hall.campaign.refresh_from_db()
    assert hall.campaign.state == CampaignState.SCORING
    entry = AuditEntry.objects.get(action="meeting.close")
    assert entry.actor == role_users["admin"]
    assert entry.after["ballots"]["total"] == 1
    assert AuditEntry.objects.filter(action="campaign.transition", after__state="scoring").exists()
    version = services.meeting_publish(actor=role_users["admin"], meeting=hall.meeting)
    hall.campaign.refresh_from_db()
    assert hall.campaign.state == CampaignState.PUBLISHED and version.number == 1


def test_closing_from_test_mode_is_refused(tree):
    hall = build_hall(tree, status="test")
    with pytest.raises(services.MeetingError, match="测试模式"):
        services.meeting_close(actor=None, meeting=hall.meeting)


def test_board_counts_ballots_and_hides_scores_until_close(tree):
    hall = build_hall(tree, named_group="CW")
    first = hall.participants[0]
    services.meeting_set_current(actor=None, meeting=hall.meeting, participant=first)
    hall.meeting.refresh_from_db()
    vote(hall, "QZ", 0, first, "5")
    vote(hall, "QZ", 1, first, "4")
    vote(hall, "CW", 0, first, "5")
    board = selectors.board(hall.meeting)
    row = board["rows"][0]
    counts = {c["group"].code: c["count"] for c in row["cells"]}
    assert counts == {"CW": 1, "LD": 0, "DB": 0, "QZ": 2}
    assert row["current"] and board["ranking"] is None
    pending = {item["group"].code: item for item in board["pending"]}
    assert pending["QZ"]["count"] == 1 and pending["QZ"]["names"] is None
    assert pending["CW"]["names"] == ["CW评议人2", "CW评议人3"]
    services.meeting_close(actor=None, meeting=hall.meeting)
    hall.meeting.refresh_from_db()
    ranking = selectors.board(hall.meeting)["ranking"]
    assert [t["name"] for t in ranking] == ["乡镇组"]
    top = ranking[0]["rows"][0]
    assert top["participant"] == first.pk and top["meeting_score"] is not None and top["meeting_rank"] == 1


def test_agenda_reorder_and_current_reporter(hall):
    a, b = hall.participants
    services.agenda_move(actor=None, meeting=hall.meeting, participant=b, offset=-1)
    assert list(hall.campaign.participants.order_by("agenda_order").values_list("pk", flat=True)) == [b.pk, a.pk]
    services.meeting_set_current(actor=None, meeting=hall.meeting, participant=b)
    hall.meeting.refresh_from_db()
    assert hall.meeting.current_id == b.pk
    services.agenda_set_presentation(actor=None, meeting=hall.meeting, participant=a, presentation="written")
    a.refresh_from_db()
    assert a.presentation == "written"


def test_open_requires_the_meeting_phase(tree):
    from shuping.meetings.models import Meeting

    from ..builders import make_campaign

    campaign = make_campaign(tree, title="未进入会议阶段的考核")
    meeting = services.meeting_create(actor=None, campaign=campaign)
    with pytest.raises(services.MeetingError, match="会议"):
        services.meeting_start_test(actor=None, meeting=meeting)
    assert Meeting.objects.get(pk=meeting.pk).status == MeetingStatus.PREPARING

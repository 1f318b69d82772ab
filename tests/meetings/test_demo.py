from shuping.campaigns.models import Ballot, CampaignState
from shuping.core.demo import DemoContext
from shuping.meetings.demo import build_meeting_demo
from shuping.meetings.models import Credential, CredentialStatus, Meeting, MeetingStatus

from ..builders import make_campaign


def test_demo_step_prepares_an_open_test_round_once(tree, client):
    campaign = make_campaign(tree, title="2026年度清河县抓基层党建工作述职评议考核")
    context = DemoContext(county=tree.county_a)
    build_meeting_demo(context)
    build_meeting_demo(context)
    meeting = Meeting.objects.get(campaign=campaign)
    campaign.refresh_from_db()
    assert campaign.state == CampaignState.MEETING
    assert meeting.status == MeetingStatus.TEST and meeting.place == "县委常委会议室"
    # each run re-issues one card so the demo can print a token it knows; evaluators stay the same
    active = Credential.objects.filter(meeting=meeting, status=CredentialStatus.ACTIVE)
    assert active.count() == 9 + 20 + 30 + 20
    assert Credential.objects.filter(meeting=meeting, status=CredentialStatus.REVOKED).count() == 2
    ballot_links = [path for label, path in context.links if path.startswith("/m/")]
    assert len(ballot_links) == 2
    assert all(path.startswith("/m/k/") for path in ballot_links)
    page = client.get(ballot_links[-1], follow=True)
    assert page.status_code == 200 and page.redirect_chain[-1][0] == "/m/b/" and "提交测评" in page.content.decode()
    assert "已挂失作废" in client.get(ballot_links[0], follow=True).content.decode()
    # the 县委常委 group is anonymous in the demo: its cards carry no names
    assert campaign.evaluator_groups.get(code="CW").anonymous
    assert not Credential.objects.filter(meeting=meeting, group__anonymous=True).exclude(name="").exists()
    assert Ballot.objects.filter(campaign=campaign, is_test=True).count() == 6
    assert not Ballot.objects.filter(is_test=False).exists()


def test_demo_step_creates_nothing_without_the_demo_campaign(tree):
    build_meeting_demo(DemoContext(county=tree.county_a))
    assert not Meeting.objects.exists()

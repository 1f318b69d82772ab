"""上级派员点评: the superior names a delegate who scores as the 上级评议组 and writes the 上级点评."""

import pytest
from django.urls import reverse

from shuping.accounts.models import Role
from shuping.campaigns.models import Ballot
from shuping.levels import services
from shuping.meetings import services as meeting_services
from shuping.meetings.models import CredentialStatus, NamedBallot
from shuping.meetings.voting import cast_for_device, voter_for_device

from ..builders import make_user
from ..meetings.conftest import advance
from .conftest import send_and_meet

pytestmark = pytest.mark.django_db


@pytest.fixture
def delegate(tree):
    return make_user("county-delegate", Role.LEADER, tree.county_a)


@pytest.fixture
def sent(town_node, delegate, tree):
    """County A sends its delegate to township A-1's village campaign, which then meets."""
    return send_and_meet(town_node, delegate, tree.county_a)


def test_appointing_adds_a_named_superior_group_with_its_own_weight(town_node, delegate, tree):
    delegation = services.delegation_appoint(actor=None, campaign=town_node.campaign, delegate=delegate,
                                             sent_by=tree.county_a, weight=25)
    group = delegation.group
    assert (group.name, group.weight, group.anonymous) == ("上级评议组", 25, False)


def test_only_a_superior_may_send_a_delegate(town_node, county_node, delegate, tree):
    with pytest.raises(services.LevelError, match="不是甲一镇党委的下级单位"):
        services.delegation_appoint(actor=None, campaign=county_node.campaign, delegate=delegate,
                                    sent_by=tree.town_a1)
    with pytest.raises(services.LevelError, match="不是甲县委的下级单位"):
        services.delegation_appoint(actor=None, campaign=county_node.campaign, delegate=delegate,
                                    sent_by=tree.county_a)


def test_after_the_meeting_started_a_delegate_may_only_critique(town_node, delegate, tree):
    campaign = advance(town_node.campaign)
    with pytest.raises(services.LevelError, match="不能再增加上级评议组"):
        services.delegation_appoint(actor=None, campaign=campaign, delegate=delegate, sent_by=tree.county_a)
    delegation = services.delegation_appoint(actor=None, campaign=campaign, delegate=delegate,
                                             sent_by=tree.county_a, scores=False)
    with pytest.raises(services.LevelError, match="只点评"):
        services.delegation_claim_card(delegation=delegation)


def test_delegate_scores_as_the_superior_group_through_the_meeting_services(sent):
    device_secret = services.delegation_claim_card(delegation=sent)
    participant = sent.campaign.participants.get()
    indicators = meeting_services.scored_indicators(sent.campaign)
    result = cast_for_device(device_secret, participant_id=participant.pk,
                             raw_scores={str(i.pk): "1" for i in indicators}, democratic="好")
    ballot = Ballot.objects.get(pk=result.ballot_id)
    assert ballot.group == sent.group
    assert NamedBallot.objects.filter(ballot=ballot, credential__name="county-delegate").exists()


def test_claiming_again_reopens_the_same_card_and_logs_the_earlier_browser_out(sent):
    first = services.delegation_claim_card(delegation=sent)
    participant = sent.campaign.participants.get()
    indicators = meeting_services.scored_indicators(sent.campaign)
    cast_for_device(first, participant_id=participant.pk, raw_scores={str(i.pk): "1" for i in indicators},
                    democratic="好")
    sent.refresh_from_db()
    card = sent.credential
    second = services.delegation_claim_card(delegation=sent)  # after voting: no reissue, the same card
    assert second != first
    assert voter_for_device(first) is None
    assert voter_for_device(second).credential_id == card.pk
    card.refresh_from_db()
    assert card.status == CredentialStatus.ACTIVE
    cast_for_device(second, participant_id=participant.pk, raw_scores={str(i.pk): "2" for i in indicators},
                    democratic="好")
    ballots = Ballot.objects.filter(group=sent.group)
    assert ballots.count() == 1 and ballots.get().total == 2 * len(indicators)


def test_delegate_pages_critique_and_the_results_page_shows_it(sent, client, delegate, tree, role_users):
    client.force_login(delegate)
    home = client.get(reverse("levels:delegation", args=[sent.pk])).content.decode()
    assert "受甲县委委托" in home and "甲一村党支部" in home and "进入测评（上级评议组" in home
    response = client.post(reverse("levels:delegation_card", args=[sent.pk]))
    # The card opens in this browser through the device cookie: no card token in any URL.
    assert response.status_code == 302 and response.url == reverse("meetings:ballot")
    assert client.get(response.url).status_code == 200
    participant = sent.campaign.participants.get()
    url = reverse("levels:delegation_critique", args=[sent.pk, participant.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"achievements": "村级阵地规范化建设走在前列。", "problems": "发展党员后继乏人。",
                      "requirements": "加强后备力量培养。"})
    client.post(reverse("levels:delegation_level", args=[sent.pk]),
                {"achievements": "全镇村级党组织整体过硬。", "problems": "个别村活动不经常。", "requirements": "抓常抓长。"})
    client.force_login(role_users["admin"])  # county A's admin opens the township's results page
    page = client.get(reverse("campaigns:results", args=[sent.campaign.pk])).content.decode()
    assert "上级点评" in page and "受甲县委委托" in page
    assert "村级阵地规范化建设走在前列。" in page and "全镇村级党组织整体过硬。" in page
    client.force_login(delegate)
    import io

    import docx

    text = [p.text for p in docx.Document(io.BytesIO(client.get(
        reverse("levels:delegation_docx", args=[sent.pk])).content)).paragraphs]
    assert "受甲县委委托　county-delegate" in text and "上级点评意见" in text
    assert "发展党员后继乏人。" in text


def test_another_user_cannot_reach_the_delegates_card(sent, client, role_users):
    client.force_login(role_users["admin"])
    assert client.post(reverse("levels:delegation_card", args=[sent.pk])).status_code == 404
    assert not Ballot.objects.filter(group=sent.group).exists()


def test_the_superior_sends_a_delegate_from_the_level_page(town_node, delegate, client, role_users, tree):
    client.force_login(role_users["admin"])  # admin of county A: the township's superior
    page = client.get(reverse("levels:node", args=[town_node.pk])).content.decode()
    assert "派员参加述职评议会" in page and "county-delegate" in page
    response = client.post(reverse("levels:delegation_appoint", args=[town_node.pk]),
                           {"delegate": delegate.pk, "scores": "on", "weight": "30"})
    assert response.status_code == 302
    assert town_node.campaign.delegations.get().group.weight == 30
    client.force_login(delegate)
    assert "受甲县委委托" in client.get(reverse("levels:plans")).content.decode()


def test_a_delegate_cannot_reach_a_reporter_of_another_campaign(sent, county_node, client, delegate):
    foreign = county_node.campaign.participants.first()
    client.force_login(delegate)
    url = reverse("levels:delegation_critique", args=[sent.pk, foreign.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"achievements": "x", "problems": "", "requirements": ""}).status_code == 404
    assert not sent.speeches.exists()


def test_delegate_watches_the_live_board_and_sees_scores_only_after_close(sent, client, delegate, role_users):
    from shuping.meetings.models import Meeting

    meeting = Meeting.objects.get(campaign=sent.campaign)
    device_secret = services.delegation_claim_card(delegation=sent)
    participant = sent.campaign.participants.get()
    indicators = meeting_services.scored_indicators(sent.campaign)
    cast_for_device(device_secret, participant_id=participant.pk, raw_scores={str(i.pk): "1" for i in indicators},
                    democratic="好")
    client.force_login(delegate)
    home = client.get(reverse("levels:delegation", args=[sent.pk])).content.decode()
    assert "查看会议大屏" in home
    page = client.get(reverse("levels:delegation_board", args=[sent.pk])).content.decode()
    assert "收票情况" in page and "甲一村党支部" in page and "现场测评得分排名" not in page
    assert 'id="board-ballots">1<' in page  # the delegate's own ballot is counted, nothing more
    live_url = reverse("levels:delegation_board_live", args=[sent.pk])
    assert f'hx-get="{live_url}"' in page  # it refreshes through the delegate's own address
    live = client.get(live_url).content.decode()
    assert live.startswith('<section id="board-live"') and "现场测评得分" not in live
    meeting_services.meeting_close(actor=None, meeting=meeting)
    closed = client.get(reverse("levels:delegation_board", args=[sent.pk])).content.decode()
    assert "现场测评得分排名" in closed and "甲一村党支部" in closed
    # Someone else's delegation board does not exist for them, whatever their role.
    client.force_login(role_users["leader"])
    assert client.get(reverse("levels:delegation_board", args=[sent.pk])).status_code == 404
    assert client.get(live_url).status_code == 404

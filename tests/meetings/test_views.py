from django.urls import reverse

from shuping.campaigns.models import Ballot
from shuping.meetings import services
from shuping.meetings.models import Meeting, MeetingStatus

from .conftest import build_hall, open_card


def _post_data(hall, value="5", democratic="好", **overrides):
    data = {f"s_{k}": v for k, v in hall.scores(value).items()}
    data["democratic"] = democratic
    data.update(overrides)
    return data


def test_ballot_page_shows_reporter_indicators_and_progress(client, hall):
    open_card(client, hall.token())
    response = client.get(reverse("meetings:ballot"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "已评 0/2" in body and "甲一镇党委" in body
    for indicator in hall.indicators:
        assert indicator.name in body
    assert 'name="democratic" value="较好"' in body
    assert 'content="same-origin"' in body
    assert "<script>" not in body  # no inline script (CSP)


def test_submit_redirects_to_the_next_reporter_and_marks_progress(client, hall):
    open_card(client, hall.token())
    first, second = hall.participants
    response = client.post(reverse("meetings:ballot_participant", args=[first.pk]), _post_data(hall))
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:ballot_participant", args=[second.pk]) + f"?saved={first.pk}"
    body = client.get(response["Location"]).content.decode()
    assert "已评 1/2" in body and "已提交对“甲一镇党委”的测评" in body


def test_failed_submit_keeps_values_and_highlights_unscored_items(client, hall):
    indicator = hall.indicators[2]
    open_card(client, hall.token())
    response = client.post(reverse("meetings:ballot_participant", args=[hall.participants[0].pk]),
                           _post_data(hall, **{f"s_{indicator.pk}": ""}))
    body = response.content.decode()
    assert response.status_code == 400
    assert "还有 1 项未打分" in body
    assert f'class="indicator indicator-error" id="ind-{indicator.pk}"' in body
    assert 'value="5"' in body or 'value="5.00"' in body or "value=" in body
    assert not Ballot.objects.exists()


def test_closed_meeting_refuses_with_a_clear_message(client, hall):
    open_card(client, hall.token())
    services.meeting_close(actor=None, meeting=hall.meeting)
    response = client.post(reverse("meetings:ballot_participant", args=[hall.participants[0].pk]),
                           _post_data(hall))
    assert response.status_code == 400
    assert "会议已关闭" in response.content.decode()


def test_start_page_code_opens_the_card_without_a_secret_in_the_next_url(client, hall):
    card = hall.cards["DB"][0]
    response = client.post(reverse("meetings:start"), {"code": card.display_code.lower()})
    assert response.status_code == 302 and response["Location"] == reverse("meetings:ballot")
    body = client.get(response["Location"]).content.decode()
    assert card.credential.number in body


def test_revoked_token_page_says_so(client, hall):
    card = hall.cards["DB"][0]
    services.credential_reissue(actor=None, credential=card.credential)
    response = client.get(reverse("meetings:card_open", args=[card.token]))
    assert response.status_code == 403 and "挂失作废" in response.content.decode()


def test_phone_that_was_never_opened_is_sent_to_the_card(client, hall):
    response = client.get(reverse("meetings:ballot"))
    assert response.status_code == 403 and "扫描评议卡上的二维码" in response.content.decode()


def test_board_partial_polls_and_shows_counts_only_until_close(client, role_users, hall):
    client.force_login(role_users["admin"])
    services.ballot_cast(token=hall.token(), participant_id=hall.participants[0].pk, raw_scores=hall.scores("5"),
                         democratic="好")
    body = client.get(reverse("meetings:board_live", args=[hall.meeting.pk])).content.decode()
    assert 'hx-trigger="every 3s"' in body and 'id="board-ballots">1<' in body
    assert "现场测评得分排名" not in body
    services.meeting_close(actor=None, meeting=hall.meeting)
    body = client.get(reverse("meetings:board_live", args=[hall.meeting.pk])).content.decode()
    assert "现场测评得分排名" in body and "甲一镇党委" in body and "every 3s" not in body  # no polling after close


def test_cards_pdf_is_a_pdf_with_absolute_urls(client, role_users, hall):
    client.force_login(role_users["admin"])
    group = hall.campaign.evaluator_groups.get(code="QZ")
    response = client.post(reverse("meetings:issue", args=[hall.meeting.pk]), {"group": group.pk, "count": 2})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert hall.meeting.credentials.filter(group=group).count() == 5


def test_organiser_walks_the_meeting_buttons(client, role_users, tree):
    hall = build_hall(tree, status="preparing")
    client.force_login(role_users["admin"])
    url = reverse("meetings:action", args=[hall.meeting.pk])
    detail = reverse("meetings:detail", args=[hall.meeting.pk])
    assert "进入测试模式" in client.get(detail).content.decode()
    client.post(url, {"action": "start_test"})
    assert Meeting.objects.get().status == MeetingStatus.TEST
    client.post(url, {"action": "open"})
    assert Meeting.objects.get().status == MeetingStatus.OPEN
    client.post(url, {"action": "close"})
    assert Meeting.objects.get().status == MeetingStatus.CLOSED
    assert "发布结果" in client.get(detail).content.decode()
    client.post(url, {"action": "publish"})
    hall.campaign.refresh_from_db()
    assert hall.campaign.state == "published"


def test_create_meeting_from_the_list(client, role_users, tree):
    from ..builders import make_campaign

    campaign = make_campaign(tree)
    client.force_login(role_users["admin"])
    assert "创建述职评议会" in client.get(reverse("meetings:list")).content.decode()
    response = client.post(reverse("meetings:create", args=[campaign.pk]),
                           {"place": "甲县委常委会议室", "base_url": "http://10.0.0.5:8000/", "rule_distinct_totals": "on"})
    meeting = Meeting.objects.get(campaign=campaign)
    assert response["Location"] == reverse("meetings:detail", args=[meeting.pk])
    assert meeting.base_url == "http://10.0.0.5:8000" and not meeting.rule_require_democratic
    # The address as people type it (no scheme) gets http://; another scheme is refused in Chinese.
    client.post(reverse("meetings:edit", args=[meeting.pk]), {"place": "甲县委常委会议室", "base_url": "10.0.0.6:8000"})
    meeting.refresh_from_db()
    assert meeting.base_url == "http://10.0.0.6:8000"
    page = client.post(reverse("meetings:edit", args=[meeting.pk]), {"place": "甲县委常委会议室", "base_url": "ftp://x"})
    assert "地址应以 HTTP:// 或 HTTPS:// 开头" in page.content.decode()


def test_absurd_numbers_are_refused_with_a_message_not_an_error(client, hall):
    open_card(client, hall.token())
    data = _post_data(hall, **{f"s_{hall.indicators[0].pk}": "1e30", f"s_{hall.indicators[1].pk}": "NaN"})
    response = client.post(reverse("meetings:ballot_participant", args=[hall.participants[0].pk]), data)
    assert response.status_code == 400 and "2 项分数不在 0 到满分之间" in response.content.decode()

"""The phone's scoring page as an evaluator reads it, in each state of the meeting and of the card
(the page is assembled in meetings/ballot_page.py, not by a template: issue 18)."""

import re

import pytest
from django.urls import reverse

from shuping.meetings import services
from shuping.meetings.models import BallotLayout

from ..outputs.visible import duplicate_lines, english_words, page_text, reprs
from .conftest import build_hall, open_card


def _page(client, participant=None):
    url = reverse("meetings:ballot_participant", args=[participant.pk]) if participant else reverse("meetings:ballot")
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def _readable(html):
    text = page_text(html)
    assert not reprs(text) and not english_words(text, {"QZ", "CW"}), text  # card numbers carry the group code
    assert not duplicate_lines(text.splitlines()), text
    return text


def _submit(client, hall, participant, value="5", democratic="好"):
    data = {f"s_{k}": v for k, v in hall.scores(value).items()}
    data["democratic"] = democratic
    return client.post(reverse("meetings:ballot_participant", args=[participant.pk]), data)


def test_an_open_meeting_page_shows_the_card_the_reporter_and_every_item(client, tree):
    hall = build_hall(tree)
    services.meeting_set_current(actor=None, meeting=hall.meeting, participant=hall.participants[1])
    open_card(client, hall.token())
    first, second = hall.participants
    html = _page(client, first)
    text = _readable(html)
    card = hall.cards["QZ"][0].credential
    assert text.startswith(f"测评 · {hall.campaign.title} · 述评") and f"群众代表 · {card.number}" in text
    assert "已评 0/2" in text and "本组为匿名测评" in text and "测试模式" not in text and "尚未开始" not in text
    assert first.org.name in text and "一键打分（各项按同一档位填入，可再逐项修改）" in text
    assert all(indicator.name in text for indicator in hall.indicators)
    assert "民主测评" in text and "提交测评" in text and "全部述职人" in text
    assert text.count("未评") == 2 and "正在述职" in text  # the second reporter is on stage
    form = re.search(r'<form method="post" action="([^"]+)"[^>]*><input type="hidden" name="csrfmiddlewaretoken" '
                     r'value="[^"]+">', html)
    assert form and form.group(1) == reverse("meetings:ballot_participant", args=[first.pk])
    assert " disabled" not in html[html.index('id="submit-ballot"'):][:40]
    # the reporter on stage is labelled so on their own page
    assert "正在述职" in _readable(_page(client, second)).split(second.org.name)[0]


def test_after_a_submission_the_page_confirms_it_and_the_list_shows_progress(client, tree):
    hall = build_hall(tree)
    open_card(client, hall.token())
    first, second = hall.participants
    response = _submit(client, hall, first)
    assert response.status_code == 302
    text = _readable(client.get(response["Location"]).content.decode())
    assert f"已提交对“{first.org.name}”的测评。" in text and "您已完成全部测评" not in text
    assert "已评 1/2" in text and "✓ 已评" in text and second.org.name in text
    back = _readable(_page(client, first))
    assert "✓ 已提交，可修改后重新提交" in back and "本机看不到此前的打分" not in back
    response = _submit(client, hall, second, value="4")
    text = _readable(client.get(response["Location"]).content.decode())
    assert "您已完成全部测评，感谢参与！" in text and "本机录入的总分（仅本机可见" in text
    assert "已评 2/2" in text and "本机未录入" not in text


def test_a_refused_submission_names_what_is_missing(client, tree):
    hall = build_hall(tree)
    open_card(client, hall.token())
    response = _submit(client, hall, hall.participants[0], democratic="")
    assert response.status_code == 400
    text = _readable(response.content.decode())
    assert "请选择民主测评等次" in text and "提交未成功" in text


@pytest.mark.parametrize("status, notice", [("test", "测试模式：本轮测评票仅用于演练，正式测评前会全部清除。"),
                                            ("preparing", "测评尚未开始，请等待主持人宣布开始。")])
def test_test_round_and_waiting_pages_say_so(client, tree, status, notice):
    hall = build_hall(tree, status=status)
    open_card(client, hall.token())
    html = _page(client, hall.participants[0])
    assert notice in _readable(html)
    disabled = ' disabled' in html[html.index('id="submit-ballot"'):][:40]
    assert disabled == (status == "preparing")


def test_named_group_and_plain_layout(client, tree):
    hall = build_hall(tree, named_group="CW")
    services.meeting_update(actor=None, meeting=hall.meeting, ballot_layout=BallotLayout.PLAIN)
    open_card(client, hall.token("CW"))
    text = _readable(_page(client, hall.participants[0]))
    assert "本组为实名测评：您的测评票与您的姓名一并记录。" in text and "CW评议人1" in text
    assert "一键打分" not in text and "本组为匿名测评" not in text

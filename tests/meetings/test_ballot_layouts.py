"""The phone ballot layouts (issue 13): quick bands that work without JavaScript, the one-page
民主测评-only ballot, the own-totals summary (only on the phone that typed them), the first red
item focused after a refused submit, and the meeting setting that chooses the layout."""

from decimal import Decimal

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from shuping.audit.models import AuditEntry
from shuping.campaigns.models import Ballot, BallotScore
from shuping.meetings import services
from shuping.meetings.models import BallotLayout, Meeting
from shuping.meetings.voting import band_score

from .conftest import open_card


def _text(response):
    return response.content.decode()


def test_bands_fill_scores_on_the_server_and_a_typed_number_wins(client, hall):
    open_card(client, hall.token())
    first, second, *rest = hall.indicators
    reporter = hall.participants[0]
    page = _text(client.get(reverse("meetings:ballot_participant", args=[reporter.pk])))
    assert 'name="b_all" value="良好"' in page and f'name="b_{first.pk}" value="满分"' in page
    data = {"b_all": "良好", f"b_{second.pk}": "较差", f"s_{first.pk}": "1.25", "democratic": "好"}
    response = client.post(reverse("meetings:ballot_participant", args=[reporter.pk]), data)
    assert response.status_code == 302
    scores = dict(BallotScore.objects.values_list("indicator_id", "score"))
    assert Decimal(scores[first.pk]) == Decimal("1.25")  # typed beats every band
    assert Decimal(scores[second.pk]) == band_score(second.max_score, "较差")  # the item's band beats b_all
    for indicator in rest:
        assert Decimal(scores[indicator.pk]) == band_score(indicator.max_score, "良好")
    assert band_score(Decimal("15"), "良好") == Decimal("12.75") and band_score(Decimal("3"), "较差") == Decimal("1.65")


def test_plain_layout_has_no_bands_and_ignores_them(client, hall):
    services.meeting_update(actor=None, meeting=hall.meeting, ballot_layout=BallotLayout.PLAIN)
    open_card(client, hall.token())
    reporter = hall.participants[0]
    assert "b_all" not in _text(client.get(reverse("meetings:ballot_participant", args=[reporter.pk])))
    response = client.post(reverse("meetings:ballot_participant", args=[reporter.pk]),
                           {"b_all": "满分", "democratic": "好"})
    assert response.status_code == 400 and "未打分" in _text(response)
    assert not Ballot.objects.exists()


def test_refused_submit_puts_autofocus_on_the_first_red_item(client, hall):
    open_card(client, hall.token())
    first, second = hall.indicators[:2]
    reporter = hall.participants[0]
    data = {f"s_{i.pk}": "1" for i in hall.indicators}
    data[f"s_{first.pk}"] = ""
    data[f"s_{second.pk}"] = "999"
    page = _text(client.post(reverse("meetings:ballot_participant", args=[reporter.pk]), {**data, "democratic": "好"}))
    assert page.count("autofocus") == 1
    assert f'id="s_{first.pk}" name="s_{first.pk}" value="" data-max=' in page
    assert page.index("autofocus") > page.index(f'id="s_{first.pk}"') and page.index("autofocus") < page.index(f'id="s_{second.pk}"')
    data[f"s_{first.pk}"] = "1"
    data[f"s_{second.pk}"] = "1"
    page = _text(client.post(reverse("meetings:ballot_participant", args=[reporter.pk]), data))
    assert page.count("autofocus") == 1 and 'name="democratic" value="好" autofocus' in page.replace("        ", "")


def _vote_all(client, hall):
    for n, reporter in enumerate(hall.participants):
        data = {f"s_{k}": v for k, v in hall.scores(str(4 + n)).items()}
        data["democratic"] = "较好"
        assert client.post(reverse("meetings:ballot_participant", args=[reporter.pk]), data).status_code == 302


def test_own_totals_show_only_on_the_phone_that_typed_them(client, hall):
    open_card(client, hall.token())
    _vote_all(client, hall)
    page = _text(client.get(reverse("meetings:ballot")))
    assert "本机录入的总分" in page and "本机未录入" not in page
    totals = [f"{Ballot.objects.get(participant=p).total:.2f}" for p in hall.participants]
    for total in totals:
        assert total in page
    thief = Client()
    open_card(thief, hall.token())  # the same card taken over by another phone
    stolen = _text(thief.get(reverse("meetings:ballot")))
    assert "本机录入的总分" in stolen and stolen.count("本机未录入") == len(hall.participants)
    for total in totals:
        assert total not in stolen


def test_democratic_only_ballot_is_one_page_one_submit_within_the_query_budget(client, hall):
    services.meeting_update(actor=None, meeting=hall.meeting, ballot_layout=BallotLayout.DEMOCRATIC)
    open_card(client, hall.token())
    page = _text(client.get(reverse("meetings:ballot")))
    for reporter in hall.participants:
        assert f'name="d_{reporter.pk}" value="差"' in page
    assert "score-input" not in page and "提交民主测评" in page
    first, second = hall.participants
    # a reporter left blank: refused, the choice made is kept, the blank row is red and focused
    response = client.post(reverse("meetings:ballot"), {f"d_{first.pk}": "较好"})
    assert response.status_code == 400 and "1 位述职人未选择" in _text(response)
    assert f'name="d_{first.pk}" value="较好" checked' in _text(response)
    assert f'name="d_{second.pk}" value="好"         autofocus' in _text(response)
    assert not Ballot.objects.exists()
    with CaptureQueriesContext(connection) as queries:
        response = client.post(reverse("meetings:ballot"), {f"d_{first.pk}": "较好", f"d_{second.pk}": "差"})
    assert response.status_code == 302
    assert len([q for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]) <= 6
    assert sorted(Ballot.objects.values_list("democratic", "total")) == [("差", None), ("较好", None)]
    # again, changed: replaced, never doubled
    client.post(reverse("meetings:ballot"), {f"d_{first.pk}": "好", f"d_{second.pk}": "差"})
    assert sorted(Ballot.objects.values_list("democratic", flat=True)) == ["好", "差"]
    again = _text(client.get(reverse("meetings:ballot")))
    assert f'name="d_{first.pk}" value="好" checked' in again and "已评 2/2" in again
    # the per-reporter pages and their POST lead back to the one page
    assert client.get(reverse("meetings:ballot_participant", args=[first.pk]))["Location"] == reverse("meetings:ballot")
    # another phone taking the card over sees that it voted, not what
    thief = Client()
    open_card(thief, hall.token())
    stolen = _text(thief.get(reverse("meetings:ballot")))
    assert "已评 2/2" in stolen and " checked" not in stolen


def test_democratic_only_page_size_does_not_depend_on_the_choices(client, hall):
    services.meeting_update(actor=None, meeting=hall.meeting, ballot_layout=BallotLayout.DEMOCRATIC)
    sizes = set()
    for index, choices in enumerate([("好", "好"), ("较好", "一般"), ("差", "较好")]):
        phone = Client()
        open_card(phone, hall.token("QZ", index))
        first, second = hall.participants
        phone.post(reverse("meetings:ballot"), {f"d_{first.pk}": choices[0], f"d_{second.pk}": choices[1]})
        page = phone.get(reverse("meetings:ballot") + "?saved=all").content
        sizes.add(len(page))
    assert len(sizes) == 1, sizes


def test_the_organiser_chooses_the_layout_on_the_meeting_settings_page(client, role_users, hall):
    client.force_login(role_users["admin"])
    form = _text(client.get(reverse("meetings:edit", args=[hall.meeting.pk])))
    assert "手机测评页面" in form and "只做民主测评" in form and "快捷档位" in form
    response = client.post(reverse("meetings:edit", args=[hall.meeting.pk]),
                           {"place": "会议室", "ballot_layout": "democratic", "rule_require_democratic": "on"})
    assert response.status_code == 302
    assert Meeting.objects.get(pk=hall.meeting.pk).ballot_layout == BallotLayout.DEMOCRATIC
    entry = AuditEntry.objects.filter(action="meeting.update").latest("pk")
    assert entry.after["ballot_layout"] == "democratic"
    response = client.post(reverse("meetings:edit", args=[hall.meeting.pk]), {"place": "会议室", "ballot_layout": "nonsense"})
    assert response.status_code == 200 and "选择一个有效的选项" in _text(response)
    assert Meeting.objects.get(pk=hall.meeting.pk).ballot_layout == BallotLayout.DEMOCRATIC

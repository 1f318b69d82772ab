"""The phone's pages /m/ skip the signed-in users' middleware (issue 18) but keep every protection:
CSRF, the security headers, no caching; and they neither read nor write a staff session."""

from django.test import Client
from django.urls import reverse

from shuping.campaigns.models import Ballot

from .conftest import build_hall, open_card


def _form(hall, value="5"):
    data = {f"s_{k}": v for k, v in hall.scores(value).items()}
    data["democratic"] = "好"
    return data


def test_a_ballot_without_its_csrf_token_is_refused(tree):
    hall = build_hall(tree)
    phone = Client(enforce_csrf_checks=True)
    open_card(phone, hall.token("QZ"))
    url = reverse("meetings:ballot_participant", args=[hall.participants[0].pk])
    assert phone.post(url, _form(hall)).status_code == 403
    assert not Ballot.objects.exists()
    page = phone.get(url)
    token = page.content.decode().split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]
    assert phone.post(url, {**_form(hall), "csrfmiddlewaretoken": token}).status_code == 302
    assert Ballot.objects.count() == 1


def test_ballot_pages_keep_the_security_headers(client, tree):
    hall = build_hall(tree)
    open_card(client, hall.token("QZ"))
    for response in (client.get(reverse("meetings:ballot")), client.get(reverse("meetings:start")),
                     client.get(reverse("meetings:card_open", args=["not-a-card"]))):
        assert "script-src 'self'" in response["Content-Security-Policy"]
        assert response["X-Frame-Options"] == "DENY"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_ballot_pages_neither_read_nor_write_a_staff_session(client, tree, role_users):
    """A clerk who also votes on the same browser: the ballot pages ignore the staff session (no
    session load, no `last_seen` write) and show no staff navigation; staff pages still see it."""
    hall = build_hall(tree)
    client.force_login(role_users["admin"])
    open_card(client, hall.token("QZ"))
    page = client.get(reverse("meetings:ballot_participant", args=[hall.participants[0].pk]))
    assert page.status_code == 200
    assert "sessionid" not in page.cookies and "Content-Language" not in page
    refused = client.get(reverse("meetings:card_open", args=["not-a-card"]))
    assert refused.status_code == 403 and "评议凭证无效" in refused.content.decode()
    assert "退出登录" not in refused.content.decode()  # the refusal page shows no signed-in chrome
    staff = client.get("/orgs/")
    assert staff.status_code == 200 and staff["Content-Language"] == "zh-hans"

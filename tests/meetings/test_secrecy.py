"""One test (or a few) per promise of issue 11; tests/meetings/test_insider.py plays the adversary."""

import contextlib
import logging
import subprocess
import time
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import Ballot, BallotScore, BallotSource
from shuping.meetings import pdf, secrecy, services, voting
from shuping.meetings.models import Credential, CredentialStatus, Meeting, NamedBallot

from .conftest import build_hall, open_card


def _post(hall, value="5", democratic="好"):
    data = {f"s_{k}": v for k, v in hall.scores(value).items()}
    data["democratic"] = democratic
    return data


def _vote(client, hall, participant, value="5", democratic="好"):
    response = client.post(reverse("meetings:ballot_participant", args=[participant.pk]), _post(hall, value, democratic))
    assert response.status_code == 302, response.content.decode()[:500]
    return response


# ---- the token travels once ------------------------------------------------------------------


def test_qr_link_is_exchanged_for_an_httponly_cookie_and_a_url_without_the_token(client, hall):
    token = hall.token()
    response = open_card(client, token)
    cookie = response.cookies[secrecy.DEVICE_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax" and cookie["path"] == "/m/"
    assert token not in cookie.value and token not in response["Location"]
    assert response["Referrer-Policy"] == "no-referrer"
    seen = [response]
    seen.append(client.get(reverse("meetings:ballot")))
    seen.append(_vote(client, hall, hall.participants[0]))
    seen.append(client.get(seen[-1]["Location"]))
    for item in seen:
        assert token not in item.content.decode() and token not in item.get("Location", "")
        assert hall.cards["QZ"][0].code not in item.content.decode()


def test_the_device_secret_is_stored_only_as_a_hash(client, hall):
    response = open_card(client, hall.token())
    device_secret, _revealed = secrecy.read_device_cookie(response.cookies[secrecy.DEVICE_COOKIE].value)
    row = Credential.objects.get(pk=hall.cards["QZ"][0].credential.pk)
    assert row.device_hash == secrecy.sha256_hex(device_secret) and device_secret not in str(row.__dict__)


def test_a_forged_or_foreign_cookie_opens_nothing(client, hall):
    client.cookies[secrecy.DEVICE_COOKIE] = "forged"
    assert client.get(reverse("meetings:ballot")).status_code == 403
    other_key = secrecy.device_cookie_value("x" * 43, set()).replace(":", ";", 1)
    client.cookies[secrecy.DEVICE_COOKIE] = other_key
    assert client.get(reverse("meetings:ballot")).status_code == 403


def test_logging_never_prints_a_token_even_in_django_request_warnings(client, hall, caplog):
    card = hall.cards["DB"][0]
    services.credential_reissue(actor=None, credential=card.credential)
    with caplog.at_level(logging.INFO):
        assert client.get(reverse("meetings:card_open", args=[card.token])).status_code == 403
        assert client.get(reverse("meetings:card_open", args=["made-up-token"])).status_code == 403
        logging.getLogger("django.server").info('"GET %s HTTP/1.1" 302 0', f"/m/k/{hall.token()}/")
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "Forbidden: /m/k/<redacted>" in text
    assert card.token not in text and hall.token() not in text and "made-up-token" not in text


def test_gunicorn_access_log_atoms_are_redacted():
    import datetime
    from types import SimpleNamespace

    from gunicorn.config import Config

    from shuping.meetings.logging import GunicornLogger, redact

    assert redact("/m/b/12/?saved=3") == "/m/b/12/?saved=3"
    path = "/m/k/abcDEF-123_x/"
    response = SimpleNamespace(status="302 Found", response_length=0, sent=0, headers=[])
    request = SimpleNamespace(method="GET", uri=path, path=path, query="", version=(1, 1), headers=[])
    environ = {"REMOTE_ADDR": "10.0.0.1", "RAW_URI": path, "SERVER_PROTOCOL": "HTTP/1.1", "REQUEST_METHOD": "GET",
               "PATH_INFO": path, "QUERY_STRING": ""}
    atoms = GunicornLogger(Config()).atoms(response, request, environ, datetime.timedelta(seconds=0.01))
    assert atoms["r"] == "GET /m/k/<redacted>/ HTTP/1.1"
    assert not any("abcDEF" in value for value in atoms.values() if isinstance(value, str))


@pytest.mark.skipif(not Path("/usr/sbin/nginx").exists(), reason="nginx 未安装")
def test_the_nginx_log_format_in_the_deployment_guide_redacts_the_card_path(tmp_path):
    import socket
    import urllib.request

    guide = (Path(__file__).resolve().parents[2] / "docs" / "deployment.md").read_text(encoding="utf-8")
    block = guide.split("```nginx\nmap $request_uri $shuping_uri", 1)[1].split("```", 1)[0]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = tmp_path / "access.log"
    temp = "; ".join(f"{kind}_temp_path {tmp_path}" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (tmp_path / "nginx.conf").write_text(
        f"daemon off; pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ map $request_uri $shuping_uri{block}\n{temp};\n"
        f"server {{ listen 127.0.0.1:{port}; access_log {log} shuping_redacted; location / {{ return 302 /m/b/; }} }} }}\n",
        encoding="utf-8")
    server = subprocess.Popen(["/usr/sbin/nginx", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
                              stderr=subprocess.PIPE)
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args, **kwargs):
                return None

        opener = urllib.request.build_opener(NoRedirect)
        for path in ("/m/k/SeCrEtToKeN-123/", "/m/b/7/?saved=3"):
            with contextlib.suppress(urllib.error.HTTPError):
                opener.open(f"http://127.0.0.1:{port}{path}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    text = log.read_text()
    assert "SeCrEtToKeN" not in text and '"GET /m/k/<redacted>/ HTTP/1.1" 302' in text
    assert "/m/b/7/?saved=3" in text


# ---- the key that finds a card's ballots is gone after close ---------------------------------


def test_close_erases_the_meeting_key_and_rewrites_every_ballot(tree):
    hall = build_hall(tree, named_group="CW")
    for index, card in enumerate(hall.cards["QZ"] + hall.cards["CW"]):
        for participant in hall.participants:
            services.ballot_cast(token=card.token, participant_id=participant.pk,
                                 raw_scores=hall.scores(str(2 + (index + participant.pk) % 5)), democratic="好")
    before = Ballot.objects.filter(campaign=hall.campaign)
    old_ids, old_slots = set(before.values_list("pk", flat=True)), set(before.values_list("slot", flat=True))
    content = sorted(before.values_list("participant", "group", "total", "democratic"))
    score_rows = sorted(BallotScore.objects.values_list("ballot__participant", "indicator", "score"))
    tally = campaign_services.results_payload(hall.campaign, campaign_services.campaign_tally(hall.campaign))
    named_before = sorted(NamedBallot.objects.values_list("credential", "ballot__participant", "ballot__total"))
    services.meeting_close(actor=None, meeting=hall.meeting)
    assert Meeting.objects.get(pk=hall.meeting.pk).ballot_key == ""
    after = Ballot.objects.filter(campaign=hall.campaign)
    assert not set(after.values_list("pk", flat=True)) & old_ids
    assert not set(after.values_list("slot", flat=True)) & old_slots
    assert sorted(after.values_list("participant", "group", "total", "democratic")) == content
    assert sorted(BallotScore.objects.values_list("ballot__participant", "indicator", "score")) == score_rows
    assert campaign_services.results_payload(hall.campaign, campaign_services.campaign_tally(hall.campaign)) == tally
    # named (实名) groups keep who voted what, through the rewrite
    assert sorted(NamedBallot.objects.values_list("credential", "ballot__participant", "ballot__total")) == named_before
    with pytest.raises(ValueError):
        secrecy.ballot_slot("", "c1", 1)


def test_excel_ballots_keep_their_slots_through_the_shuffle(hall):
    from tests.builders import cast_ballot

    cast_ballot(hall.campaign, hall.participants[0], "CW", {i.code: "1" for i in hall.indicators}, evaluator="E9")
    excel_slot = Ballot.objects.get(source=BallotSource.EXCEL).slot
    services.meeting_close(actor=None, meeting=hall.meeting)
    assert Ballot.objects.get(source=BallotSource.EXCEL).slot == excel_slot


def test_short_codes_use_a_selector_and_an_argon2_verifier_costing_years_offline(monkeypatch, hall):
    monkeypatch.setattr(secrecy, "ARGON2", secrecy.SHIPPED_ARGON2)
    card = services.credentials_issue(actor=None, meeting=hall.meeting,
                                      group=hall.campaign.evaluator_groups.get(code="QZ"), count=1)[0]
    stored = Credential.objects.get(pk=card.credential.pk)
    assert stored.code_selector == card.code[:4] and "$argon2id$v=19$m=19456,t=2,p=1$" in stored.code_verifier_hash
    assert card.code[4:] not in stored.code_verifier_hash
    assert secrecy.verifier_matches(stored.code_verifier_hash, card.code[4:])
    assert not secrecy.verifier_matches(stored.code_verifier_hash, "X" * secrecy.VERIFIER_LENGTH)
    # The cost comes from the parameters, not from this machine's speed: memory-hard Argon2id at
    # 19 MiB × 2 passes (OWASP's minimum) holds even a rig of a few GPUs to about 10⁴ guesses a second;
    # half the verifier space of one card then takes more than a year (one CPU core: centuries).
    assert secrecy.SHIPPED_ARGON2["memory_cost"] >= 19 * 1024 and secrecy.SHIPPED_ARGON2["time_cost"] >= 2
    verifiers = len(secrecy.CODE_ALPHABET) ** secrecy.VERIFIER_LENGTH
    years_for_half = verifiers / 2 / 10_000 / (365 * 24 * 3600)
    assert years_for_half > 1, years_for_half


# ---- what a card shows -----------------------------------------------------------------------


def test_after_close_a_card_shows_only_how_many_it_submitted(client, hall):
    open_card(client, hall.token())
    _vote(client, hall, hall.participants[0], "7")
    _vote(client, hall, hall.participants[1], "3")
    services.meeting_close(actor=None, meeting=hall.meeting)
    for response in (client.get(reverse("meetings:ballot")), client.get(reverse("meetings:card_open", args=[hall.token()]),
                                                                         follow=True)):
        body = response.content.decode()
        assert "已提交 2 位" in body and "会议已关闭" in body
        assert "7" not in body.split('id="closed-notice"')[1] and "甲一镇党委" not in body
        assert 'name="s_' not in body and "民主测评" not in body


def test_scores_are_shown_only_to_the_phone_that_typed_them(client, hall, django_user_model):
    from django.test import Client

    open_card(client, hall.token())
    _vote(client, hall, hall.participants[0], "7", "较好")
    page = client.get(reverse("meetings:ballot_participant", args=[hall.participants[0].pk])).content.decode()
    assert 'value="7.00"' in page and 'value="较好" checked' in page
    intruder = Client()
    open_card(intruder, hall.token())  # whoever holds the printed card takes the card over …
    page = intruder.get(reverse("meetings:ballot_participant", args=[hall.participants[0].pk])).content.decode()
    assert "已提交" in page and "本机看不到此前的打分" in page
    assert 'value="7.00"' not in page and " checked" not in page  # … but sees no earlier score
    refused = client.get(reverse("meetings:ballot"))  # and the first phone knows it was taken over
    assert refused.status_code == 403 and "另一部手机" in refused.content.decode()


def test_page_size_does_not_depend_on_the_scores(client, hall):
    from django.test import Client

    sizes = []
    for index, value in enumerate(["1", "10"]):
        phone = Client()
        open_card(phone, hall.token("LD", index))
        _vote(phone, hall, hall.participants[0], value, ["好", "差"][index])
        url = reverse("meetings:ballot_participant", args=[hall.participants[0].pk])
        body = phone.get(url).content
        csrf = body.split(b'name="csrfmiddlewaretoken" value="')[1][:64]
        sizes.append(len(body.replace(csrf, b"")))
    assert sizes[0] == sizes[1]


def test_named_group_is_labelled_on_the_ballot_page_and_anonymous_is_not(client, tree):
    hall = build_hall(tree, named_group="CW")
    open_card(client, hall.token("CW"))
    body = client.get(reverse("meetings:ballot")).content.decode()
    assert "本组为实名测评" in body and "CW评议人1" in body
    open_card(client, hall.token("QZ"))
    body = client.get(reverse("meetings:ballot")).content.decode()
    assert "本组为实名测评" not in body and "本组为匿名测评" in body


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "cards.pdf"
    path.write_bytes(content)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return "".join(text.split())  # lines wrap inside a card: compare without whitespace


def test_anonymous_cards_print_no_names_and_come_in_random_order(tree, tmp_path):
    hall = build_hall(tree, named_group="CW", per_group=2)
    group = hall.campaign.evaluator_groups.get(code="QZ")
    cards = services.credentials_issue(actor=None, meeting=hall.meeting, group=group, count=20)
    orders = set()
    for _ in range(3):
        orders.add(tuple(c.credential.number for c in pdf.card_sheet_order(cards)))
    assert len(orders) > 1
    text = _pdf_text(pdf.cards_pdf(hall.meeting, cards, "http://10.0.0.5:8000"), tmp_path)
    numbers = [n for n in (c.credential.number for c in cards) if n in text]
    assert len(numbers) == 20 and "随机分发" in text and "（匿名）" in text
    printed_order = sorted(numbers, key=text.index)
    assert printed_order != sorted(numbers)  # 1 in 20! of failing by chance
    named = _pdf_text(pdf.cards_pdf(hall.meeting, hall.cards["CW"], "http://10.0.0.5:8000"), tmp_path)
    assert "CW评议人1" in named and "本组为实名测评" in named and "随机分发" not in named
    assert "/m/k/" not in text and "10.0.0.5:8000/m/" in text  # the token is only in the QR code


# ---- lost cards: no double vote in any path --------------------------------------------------


def test_a_card_that_voted_is_never_reissued_and_the_refusal_offers_the_alternatives(hall):
    card = hall.cards["QZ"][0]
    services.ballot_cast(token=card.token, participant_id=hall.participants[0].pk, raw_scores=hall.scores(),
                         democratic="好")
    with pytest.raises(services.MeetingError) as caught:
        services.credential_reissue(actor=None, credential=card.credential)
    message = " ".join(caught.value.messages)
    assert "已提交 1 位" in message and "保留原卡有效" in message and "作废本组本轮测评" in message
    assert Credential.objects.get(pk=card.credential.pk).status == CredentialStatus.ACTIVE


def test_test_round_ballots_do_not_block_a_reissue(tree):
    hall = build_hall(tree, status="test")
    card = hall.cards["QZ"][0]
    services.ballot_cast(token=card.token, participant_id=hall.participants[0].pk, raw_scores=hall.scores(),
                         democratic="好")
    new = services.credential_reissue(actor=None, credential=card.credential)
    assert new.credential.replaces_id == card.credential.pk


def test_voiding_a_group_round_deletes_its_ballots_and_issues_new_cards(hall):
    group = hall.campaign.evaluator_groups.get(code="QZ")
    keep = hall.cards["LD"][0]
    for card in hall.cards["QZ"] + [keep]:
        services.ballot_cast(token=card.token, participant_id=hall.participants[0].pk, raw_scores=hall.scores(),
                             democratic="好")
    new = services.group_round_void(actor=None, meeting=hall.meeting, group=group)
    assert [c.credential.number for c in new] == [c.credential.number for c in hall.cards["QZ"]]
    assert list(Ballot.objects.values_list("group__code", flat=True)) == ["LD"]
    for card in hall.cards["QZ"]:
        with pytest.raises(services.BallotRejected, match="挂失作废"):
            services.ballot_cast(token=card.token, participant_id=hall.participants[0].pk,
                                 raw_scores=hall.scores(), democratic="好")
    for card in new:
        services.ballot_cast(token=card.token, participant_id=hall.participants[0].pk, raw_scores=hall.scores("4"),
                             democratic="好")
    assert Ballot.objects.filter(group=group).count() == len(hall.cards["QZ"])


def test_voiding_from_the_credentials_page_downloads_the_new_cards(client, role_users, hall):
    client.force_login(role_users["admin"])
    page = client.get(reverse("meetings:credentials", args=[hall.meeting.pk])).content.decode()
    assert "已经提交过测评的评议卡不能补发" in page and "作废“群众代表”本轮测评并重新发卡" in page
    group = hall.campaign.evaluator_groups.get(code="QZ")
    response = client.post(reverse("meetings:group_void", args=[hall.meeting.pk, group.pk]))
    assert response["Content-Type"] == "application/pdf"
    assert Credential.objects.filter(group=group, status=CredentialStatus.REVOKED).count() == 3


def test_the_phone_survives_a_takeover_without_a_second_ballot(client, hall):
    from django.test import Client

    open_card(client, hall.token())
    _vote(client, hall, hall.participants[0], "5")
    other = Client()
    open_card(other, hall.token())
    _vote(other, hall, hall.participants[0], "6")
    services.open_card_with_code(hall.cards["QZ"][0].code)
    assert Ballot.objects.count() == 1
    assert Ballot.objects.get().total == sum(min(Decimal(6), i.max_score) for i in hall.indicators)


# ---- restore into a new instance ---------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_restore_into_a_new_instance_keeps_an_open_meeting_working(tree, tmp_path, settings, client):
    from shuping.core.backup import create_backup, restore_backup

    settings.MEDIA_ROOT = tmp_path / "media"
    hall = build_hall(tree)
    card = hall.cards["QZ"][0]
    response = open_card(client, card.token)
    old_cookie = response.cookies[secrecy.DEVICE_COOKIE].value
    _vote(client, hall, hall.participants[0], "5")
    archive = tmp_path / "backup.zip"
    create_backup(archive)
    call_command("flush", interactive=False, verbosity=0)
    settings.SECRET_KEY = "another instance, another secret key " + "x" * 20
    restore_backup(archive)
    voting.forget_layouts()
    # the phone's cookie was signed by the old instance: it must open the card again …
    client.cookies[secrecy.DEVICE_COOKIE] = old_cookie
    assert client.get(reverse("meetings:ballot")).status_code == 403
    # … by code (Argon2 needs no key) or QR, and finds its progress, and cannot vote twice
    device_secret, voter = services.open_card_with_code(card.display_code)
    assert voter.credential_id == card.credential.pk
    client.cookies[secrecy.DEVICE_COOKIE] = secrecy.device_cookie_value(device_secret, set())
    page = client.get(reverse("meetings:ballot")).content.decode()
    assert "已评 1/2" in page
    _vote(client, hall, hall.participants[0], "6")
    assert Ballot.objects.filter(campaign=hall.campaign).count() == 1
    services.meeting_close(actor=None, meeting=Meeting.objects.get())
    assert Credential.objects.get(pk=card.credential.pk).cast_count == 1


@pytest.mark.django_db(transaction=True)
def test_meeting_scrub_rewrites_the_ballot_tables(tree, capsys):
    hall = build_hall(tree)
    services.ballot_cast(token=hall.token(), participant_id=hall.participants[0].pk, raw_scores=hall.scores(),
                         democratic="好")
    services.meeting_close(actor=None, meeting=hall.meeting)
    call_command("meeting_scrub")
    assert "已完成" in capsys.readouterr().out
    assert Ballot.objects.count() == 1


def test_a_refused_submission_echoes_numbers_at_one_width(client, hall):
    open_card(client, hall.token())
    url = reverse("meetings:ballot_participant", args=[hall.participants[0].pk])
    sizes = []
    for value in ("1", "7.5"):
        data = _post(hall, value)
        data[f"s_{hall.indicators[0].pk}"] = ""
        response = client.post(url, data)
        assert response.status_code == 400 and "还有 1 项未打分" in response.content.decode()
        body = response.content
        csrf = body.split(b'name="csrfmiddlewaretoken" value="')[1][:64]
        sizes.append(len(body.replace(csrf, b"")))
    assert sizes[0] == sizes[1]

import hashlib

import pytest

from shuping.audit.models import AuditEntry
from shuping.meetings import services
from shuping.meetings.models import Credential, CredentialStatus


def test_only_hashes_of_token_and_code_are_stored(hall):
    card = hall.cards["QZ"][0]
    row = Credential.objects.get(pk=card.credential.pk)
    assert row.token_hash == hashlib.sha256(card.token.encode()).hexdigest()
    assert row.code_hash == hashlib.sha256(card.code.encode()).hexdigest()
    stored = " ".join(str(v) for v in Credential.objects.values_list(flat=False).get(pk=row.pk))
    assert card.token not in stored and card.code not in stored


def test_short_code_leads_to_the_same_token_in_any_spelling(hall):
    card = hall.cards["QZ"][1]
    assert len(card.code) == 8 and not set(card.code) & set("01OIL")
    messy = f" {card.code[:4].lower()}-{card.code[4:]} "
    assert services.token_for_code(messy) == card.token


def test_wrong_code_is_refused_with_a_message(hall):
    with pytest.raises(services.BallotRejected, match="评议码不正确"):
        services.token_for_code("ABCD-EFGH" if hall.cards["QZ"][0].code != "ABCDEFGH" else "HGFE-DCBA")


def test_reissued_card_replaces_the_lost_one_and_the_old_is_refused(hall):
    lost = hall.cards["DB"][0]
    new = services.credential_reissue(actor=None, credential=lost.credential)
    assert new.credential.number == lost.credential.number
    assert Credential.objects.get(pk=lost.credential.pk).status == CredentialStatus.REVOKED
    with pytest.raises(services.BallotRejected, match="挂失作废"):
        services.credential_for_token(lost.token)
    with pytest.raises(services.BallotRejected, match="挂失作废"):
        services.token_for_code(lost.code)
    assert services.credential_for_token(new.token).pk == new.credential.pk
    assert AuditEntry.objects.filter(action="meeting.credential_reissue").count() == 1


def test_named_group_needs_names(tree):
    from .conftest import build_hall

    hall = build_hall(tree, named_group="CW", per_group=1)
    group = hall.campaign.evaluator_groups.get(code="CW")
    with pytest.raises(services.MeetingError, match="实名评议组"):
        services.credentials_issue(actor=None, meeting=hall.meeting, group=group, count=3)
    cards = services.credentials_issue(actor=None, meeting=hall.meeting, group=group, names=["张三", "", "李四"])
    assert [c.credential.name for c in cards] == ["张三", "李四"]
    assert [c.credential.number for c in cards] == ["CW-002", "CW-003"]


def test_meeting_cards_command_issues_cards_and_writes_a_pdf(hall, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "cards.pdf"
    names = tmp_path / "names.txt"
    names.write_text("王建国\n李秀英\n", encoding="utf-8")
    call_command("meeting_cards", str(hall.meeting.pk), "--group", "QZ", "--names", str(names),
                 "--base-url", "http://192.168.1.10:8000", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert set(Credential.objects.filter(group__code="QZ").exclude(name="").values_list("name", flat=True)) == {"王建国", "李秀英"}

import hashlib

import pytest

from shuping.audit.models import AuditEntry
from shuping.meetings import services
from shuping.meetings.models import Credential, CredentialStatus


def test_only_hashes_of_token_and_verifier_are_stored(hall):
    card = hall.cards["QZ"][0]
    row = Credential.objects.get(pk=card.credential.pk)
    assert row.token_hash == hashlib.sha256(card.token.encode()).hexdigest()
    assert row.code_selector == card.code[:4]
    assert row.code_verifier_hash.startswith("$argon2id$")
    stored = " ".join(str(v) for v in Credential.objects.values_list(flat=False).get(pk=row.pk))
    assert card.token not in stored and card.code not in stored and card.code[4:] not in stored


def test_short_code_opens_the_same_card_in_any_spelling(hall):
    card = hall.cards["QZ"][1]
    assert len(card.code) == 12 and not set(card.code) & set("01OIL")
    messy = f" {card.code[:4].lower()}-{card.code[4:8]} {card.code[8:]} "
    _device, voter = services.open_card_with_code(messy)
    assert voter.credential_id == card.credential.pk


def test_wrong_code_is_refused_with_a_message(hall):
    card = hall.cards["QZ"][0]
    wrong_verifier = card.code[:4] + ("A" * 8 if card.code[4:] != "A" * 8 else "B" * 8)
    for code in (wrong_verifier, "ABCD-EFGH", ""):
        with pytest.raises(services.BallotRejected, match="评议码不正确"):
            services.open_card_with_code(code)


def test_reissued_card_replaces_the_lost_one_and_the_old_is_refused(hall):
    lost = hall.cards["DB"][0]
    new = services.credential_reissue(actor=None, credential=lost.credential)
    assert new.credential.number == lost.credential.number
    assert Credential.objects.get(pk=lost.credential.pk).status == CredentialStatus.REVOKED
    with pytest.raises(services.BallotRejected, match="挂失作废"):
        services.open_card_with_token(lost.token)
    with pytest.raises(services.BallotRejected, match="挂失作废"):
        services.open_card_with_code(lost.code)
    assert services.open_card_with_token(new.token)[1].credential_id == new.credential.pk
    assert AuditEntry.objects.filter(action="meeting.credential_reissue").count() == 1


def test_named_group_needs_names(tree):
    from .conftest import build_hall

    hall = build_hall(tree, named_group="CW", per_group=1)
    group = hall.campaign.evaluator_groups.get(code="CW")
    with pytest.raises(services.MeetingError, match="实名评议组"):
        services.credentials_issue(actor=None, meeting=hall.meeting, group=group, count=3)
    cards = services.credentials_issue(actor=None, meeting=hall.meeting, group=group, names=["张三", "", "李四"])
    anonymous = hall.campaign.evaluator_groups.get(code="QZ")
    with pytest.raises(services.MeetingError, match="匿名评议组"):
        services.credentials_issue(actor=None, meeting=hall.meeting, group=anonymous, names=["王五"])
    assert [c.credential.name for c in cards] == ["张三", "李四"]
    assert [c.credential.number for c in cards] == ["CW-002", "CW-003"]


def test_meeting_cards_command_issues_cards_and_writes_a_pdf(hall, tmp_path):
    from django.core.management import call_command

    out = tmp_path / "cards.pdf"
    call_command("meeting_cards", str(hall.meeting.pk), "--group", "QZ", "--count", "2",
                 "--base-url", "http://192.168.1.10:8000", "--out", str(out))
    assert out.read_bytes().startswith(b"%PDF")
    assert Credential.objects.filter(group__code="QZ").count() == 5

"""Nothing may link an anonymous ballot to the credential that cast it."""

from django.apps import apps
from django.db import models

from shuping.audit.models import AuditEntry
from shuping.audit.services import snapshot
from shuping.campaigns.models import Ballot, BallotScore
from shuping.meetings import services
from shuping.meetings.models import Credential, NamedBallot

from .conftest import build_hall

MEETING_MODELS = set(apps.get_app_config("meetings").get_models())


def test_ballot_tables_have_no_column_pointing_at_meeting_tables_and_no_timestamp():
    for model in (Ballot, BallotScore):
        for field in model._meta.concrete_fields:
            assert not isinstance(field, models.DateTimeField | models.DateField | models.TimeField), field
            if field.is_relation:
                assert field.related_model not in MEETING_MODELS, field
        assert model._meta.pk.name == "id"
    assert isinstance(Ballot._meta.pk, models.UUIDField)


def test_only_named_groups_have_a_link_table_and_it_points_from_outside_the_ballot():
    links = [f for m in MEETING_MODELS for f in m._meta.concrete_fields if f.is_relation and f.related_model is Ballot]
    assert [f.model for f in links] == [NamedBallot]


def test_casting_changes_nothing_on_the_credential_and_writes_no_audit(tree):
    hall = build_hall(tree, named_group="CW")
    card = hall.cards["QZ"][0]
    before = snapshot(Credential.objects.get(pk=card.credential.pk))
    audit_before = AuditEntry.objects.count()
    for participant in hall.participants:
        services.ballot_cast(token=card.token, participant_id=participant.pk,
                             raw_scores=hall.scores(str(3 + participant.pk % 3)), democratic="好")
    assert snapshot(Credential.objects.get(pk=card.credential.pk)) == before
    assert AuditEntry.objects.count() == audit_before
    assert not NamedBallot.objects.exists()
    ballot_ids = {str(pk) for pk in Ballot.objects.values_list("pk", flat=True)}
    services.meeting_close(actor=None, meeting=hall.meeting)
    for entry in AuditEntry.objects.all():
        text = f"{entry.object_id} {entry.before} {entry.after}"
        assert not any(ballot_id in text for ballot_id in ballot_ids)
        assert card.credential.token_hash not in text


def test_named_group_ballots_record_the_evaluator(tree):
    hall = build_hall(tree, named_group="CW")
    card = hall.cards["CW"][0]
    ballot, _ = services.ballot_cast(token=card.token, participant_id=hall.participants[0].pk,
                                     raw_scores=hall.scores(), democratic="好")
    assert NamedBallot.objects.get(ballot_id=ballot.pk).credential_id == card.credential.pk

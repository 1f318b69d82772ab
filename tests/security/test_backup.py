import io
import json
import zipfile
from decimal import Decimal

import pytest
from django.core import serializers
from django.core.management import CommandError, call_command

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import CampaignState
from shuping.core.backup import BackupError, backed_up_models, create_backup, restore_backup, verify_backup

from ..builders import Tree, cast_ballot, make_campaign, make_user


def _signature():
    """Every backed-up row, serialised canonically."""
    rows = []
    for model in backed_up_models():
        data = json.loads(serializers.serialize("json", model._default_manager.order_by("pk"), use_natural_foreign_keys=True))
        rows.extend(json.dumps(item, sort_keys=True, ensure_ascii=False) for item in data)
    return sorted(rows)


def published_campaign(tree):
    """County A's campaign with two Excel-style ballots, taken through to published results."""
    campaign = make_campaign(tree)
    p1, p2 = campaign.participants.order_by("agenda_order")
    cast_ballot(campaign, p1, "CW", {"R1": "14.5", "R2": "13"}, democratic="好")
    cast_ballot(campaign, p2, "CW", {"R1": "10", "R2": "9"}, evaluator="E2", democratic="一般")
    for state in [CampaignState.WRITING, CampaignState.REVIEW, CampaignState.MEETING, CampaignState.SCORING]:
        campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=state)
    campaign_services.campaign_publish(actor=None, campaign=campaign)
    return campaign


def _populate(media_root):
    tree = Tree()
    make_user("admin1", "admin", tree.county_a)
    campaign = published_campaign(tree)
    (media_root / "evidence").mkdir(parents=True)
    (media_root / "evidence" / "a1b2.pdf").write_bytes(b"%PDF-1.4 evidence " + bytes(range(256)))
    return campaign


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_instance_round_trips(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _populate(settings.MEDIA_ROOT)
    before = _signature()
    archive = tmp_path / "backup.zip"
    manifest = create_backup(archive)
    assert manifest["counts"]["campaigns.ballot"] == 2 and len(manifest["files"]) == 1

    call_command("flush", interactive=False, verbosity=0)
    (settings.MEDIA_ROOT / "evidence" / "a1b2.pdf").unlink()
    restore_backup(archive)
    assert _signature() == before
    assert (settings.MEDIA_ROOT / "evidence" / "a1b2.pdf").read_bytes().startswith(b"%PDF-1.4 evidence")
    call_command("audit_verify")
    results = campaign_services.latest_version(
        __import__("shuping.campaigns.models", fromlist=["Campaign"]).Campaign.objects.get()
    )
    assert results.content_hash == campaign_services.payload_hash(results.data)
    assert Decimal(results.data[0]["composite"]) > 0


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_non_empty_instance(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _populate(settings.MEDIA_ROOT)
    archive = tmp_path / "backup.zip"
    create_backup(archive)
    with pytest.raises(BackupError, match="不是空的"):
        restore_backup(archive)
    with pytest.raises(CommandError):
        call_command("restore", str(archive))


def test_corrupted_archives_are_refused_before_anything_is_written(tmp_path):
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    with pytest.raises(BackupError, match="损坏"):
        verify_backup(bad)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("manifest.json", json.dumps({"format": "shuping-backup/1", "data_sha256": "0" * 64, "files": {}}))
        archive.writestr("data.json", "[]")
    tampered = tmp_path / "tampered.zip"
    tampered.write_bytes(buffer.getvalue())
    with pytest.raises(BackupError, match="未签名"):
        verify_backup(tampered)

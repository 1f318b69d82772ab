"""Issue 12 item 5: restore writes nothing outside MEDIA_ROOT, refuses unsigned or re-checksummed
archives, and a restored fresh instance works end to end (sign-in, second factor, audit, results)."""

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from freezegun import freeze_time

from shuping.accounts import security
from shuping.audit.services import verify_chain
from shuping.core.backup import BackupError, create_backup, restore_backup, sign_manifest, verify_backup
from shuping.orgs.models import Org

from ..builders import PASSWORD, Tree, make_user
from .test_backup import _populate


def _rewrite(archive_path, out_path, change, *, key=None, unsigned=False):
    """Copy an archive, letting `change(members)` edit the members; recompute every checksum
    as an attacker would; re-sign when given a key, drop the signature when `unsigned`."""
    with zipfile.ZipFile(archive_path) as source:
        members = {name: source.read(name) for name in source.namelist()}
    change(members)
    manifest = json.loads(members["manifest.json"])
    manifest["data_sha256"] = hashlib.sha256(members["data.json"]).hexdigest()
    manifest["files"] = {name: hashlib.sha256(members[name]).hexdigest()
                         for name in members if name.startswith("files/")}
    members["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    if unsigned:
        del members["manifest.sig"]
    if key is not None:
        members["manifest.sig"] = json.dumps(sign_manifest(members["manifest.json"], key)).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as target:
        for name, data in members.items():
            target.writestr(name, data)
    out_path.write_bytes(buffer.getvalue())
    return out_path


def _fresh_instance(settings, tmp_path):
    """Empty database, new media folder, new audit key: a new server."""
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "new-media"
    settings.SHUPING_AUDIT_KEY = "another-instance-audit-key"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_path_outside_media_root(tmp_path, settings, backup_key):
    settings.MEDIA_ROOT = tmp_path / "media"
    _populate(settings.MEDIA_ROOT)
    archive = tmp_path / "good.zip"
    create_backup(archive)

    def escape(members):
        members["files/../../escaped.txt"] = b"owned"

    # Even a correctly signed archive (an insider with the key) may not write outside MEDIA_ROOT.
    evil = _rewrite(archive, tmp_path / "evil.zip", escape, key=backup_key)
    _fresh_instance(settings, tmp_path)
    with pytest.raises(BackupError, match="路径不合法"):
        restore_backup(evil)
    assert not (tmp_path / "escaped.txt").exists()
    assert not (tmp_path.parent / "escaped.txt").exists()


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_changed_grade_with_recomputed_checksums(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    _populate(settings.MEDIA_ROOT)
    archive = tmp_path / "good.zip"
    create_backup(archive)

    def upgrade(members):
        members["data.json"] = members["data.json"].replace("一般".encode(), "好".encode())

    forged = _rewrite(archive, tmp_path / "forged.zip", upgrade)
    unsigned = _rewrite(archive, tmp_path / "unsigned.zip", upgrade, unsigned=True)
    _fresh_instance(settings, tmp_path)
    with pytest.raises(BackupError, match="签名不符"):
        restore_backup(forged)
    with pytest.raises(BackupError, match="未签名"):
        restore_backup(unsigned)
    resigned = _rewrite(archive, tmp_path / "resigned.zip", upgrade, key="a-guessed-wrong-key")
    with pytest.raises(BackupError, match="签名不符"):
        restore_backup(resigned)
    with pytest.raises(BackupError, match="签名不符"):
        verify_backup(archive, key="not-the-operators-key")
    with pytest.raises(CommandError, match="签名不符"):
        key_file = tmp_path / "wrong.key"
        key_file.write_text("not-the-operators-key")
        call_command("restore", str(archive), key_file=str(key_file))


@pytest.mark.django_db(transaction=True)
def test_backup_refuses_to_run_without_an_operator_key(tmp_path, settings):
    settings.SHUPING_BACKUP_KEY = ""
    settings.MEDIA_ROOT = tmp_path / "media"
    Tree()
    with pytest.raises(BackupError, match="未提供备份密钥"):
        create_backup(tmp_path / "b.zip")
    assert not (tmp_path / "b.zip").exists()


@pytest.mark.django_db(transaction=True)
def test_restored_fresh_instance_works_end_to_end(tmp_path, settings, client):
    settings.MEDIA_ROOT = tmp_path / "media"
    _populate(settings.MEDIA_ROOT)
    secret = security.totp_new_secret()
    with freeze_time("2026-11-01 09:00:00"):
        user = make_user("henry", "admin", Org.objects.get(code="A"))
        account = security.security_for(user)
        account.totp_secret, account.totp_enabled = secret, True
        account.save()
        client.post("/login/", {"username": "admin1", "password": PASSWORD})
        assert client.get("/orgs/").status_code == 200
    archive = tmp_path / "backup.zip"
    out = io.StringIO()
    call_command("backup", str(archive), stdout=out)
    assert "已签名" in out.getvalue()

    _fresh_instance(settings, tmp_path)
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "校验通过" in out.getvalue() and "重新签名" in out.getvalue()
    assert verify_chain()[1] == []
    # Sessions are not carried over: the old cookie is signed out, the password signs in again.
    assert client.get("/orgs/").status_code == 302
    with freeze_time("2026-11-01 10:00:00"):
        assert client.post("/login/", {"username": "admin1", "password": PASSWORD}).status_code == 302
        page = client.get("/orgs/")
        assert page.status_code == 200 and "甲县委" in page.content.decode()
        client.post("/logout/")
        assert client.post("/login/", {"username": "henry", "password": PASSWORD})["Location"] == "/login/totp/"
        assert client.post("/login/totp/", {"code": security.totp_code(secret)}).status_code == 302
        campaign_page = client.get("/campaigns/")
        assert campaign_page.status_code == 200 and "2026年度甲县" in campaign_page.content.decode()
    assert (settings.MEDIA_ROOT / "evidence" / "a1b2.pdf").read_bytes().startswith(b"%PDF-1.4 evidence")

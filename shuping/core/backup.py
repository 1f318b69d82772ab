"""Consistent backup and restore: the database as portable JSON plus uploaded files, with checksums.

Archive layout (a .zip):
  manifest.json   format version, time, source database, row counts, sha256 of every member
  manifest.sig    HMAC-SHA256 of manifest.json under a key derived (scrypt) from the backup key
                  or passphrase the operator supplies; restore refuses an archive without it
  data.json       Django's portable serialisation of every project table
  files/…         everything under MEDIA_ROOT (uploaded reports, evidence)

The checksums alone only catch accidents: anyone can edit data.json and recompute them.
The signature makes the manifest, and through its checksums every member, depend on a
secret that is not in the archive.
"""

import hashlib
import hmac
import json
import secrets
import shutil
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction

from shuping import __version__
from shuping.clock import now

FORMAT = "shuping-backup/1"
SIGNATURE_NAME = "manifest.sig"
SIGNATURE_ALG = "hmac-sha256/scrypt-n16384-r8-p1"
EXCLUDED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}


class BackupError(Exception):
    pass


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backup_key(key: str | None = None) -> str:
    """The operator's backup key or passphrase: given, or SHUPING_BACKUP_KEY(_FILE)."""
    key = key or getattr(settings, "SHUPING_BACKUP_KEY", "")
    if not key:
        raise BackupError(
            "未提供备份密钥：请设置环境变量 SHUPING_BACKUP_KEY_FILE（密钥文件）或在命令中输入备份口令；"
            "恢复时须提供同一密钥"
        )
    if len(key) < 12:
        raise BackupError("备份密钥或口令太短，至少 12 个字符")
    return key


def _signing_key(key: str, salt: bytes) -> bytes:
    # scrypt: a human passphrase is stretched so guessing it offline is slow.
    return hashlib.scrypt(key.encode("utf-8"), salt=salt, n=16384, r=8, p=1, dklen=32)


def sign_manifest(manifest_bytes: bytes, key: str) -> dict:
    salt = secrets.token_bytes(16)
    mac = hmac.new(_signing_key(key, salt), manifest_bytes, hashlib.sha256).hexdigest()
    return {"alg": SIGNATURE_ALG, "salt": salt.hex(), "mac": mac}


def _check_signature(archive: zipfile.ZipFile, manifest_bytes: bytes, key: str) -> None:
    try:
        signature = json.loads(archive.read(SIGNATURE_NAME))
        salt = bytes.fromhex(signature["salt"])
        mac = str(signature["mac"])
        alg = signature["alg"]
    except KeyError as exc:
        raise BackupError("备份未签名（缺少 manifest.sig），拒绝恢复：只恢复用备份密钥签名的备份") from exc
    except (ValueError, TypeError) as exc:
        raise BackupError("备份签名文件损坏，拒绝恢复") from exc
    if alg != SIGNATURE_ALG:
        raise BackupError(f"不支持的备份签名算法：{alg}")
    expected = hmac.new(_signing_key(key, salt), manifest_bytes, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, mac):
        raise BackupError("备份签名不符：备份密钥不对，或备份内容被改动，拒绝恢复")


def _member_target(media: Path, name: str) -> Path:
    """Where a files/… member goes; anything that would land outside MEDIA_ROOT is refused."""
    relative = name.removeprefix("files/") if isinstance(name, str) else ""
    root = media.resolve()
    target = (root / relative).resolve()
    if not name.startswith("files/") or not relative or "\\" in name or not target.is_relative_to(root) or target == root:
        raise BackupError(f"备份中的文件路径不合法：{name!r}（会写到上传目录之外），拒绝恢复")
    return target


def backed_up_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in EXCLUDED_MODELS and not model._meta.proxy and model._meta.managed
    ]


def create_backup(out: Path, progress: Callable[[str], None] = lambda _: None, *, key: str | None = None) -> dict:
    from shuping.audit.services import checkpoint_current, verify_chain

    key = backup_key(key)
    out = Path(out)
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as workdir:
        data_path = Path(workdir) / "data.json"
        counts = {}
        with transaction.atomic():
            if connection.vendor == "postgresql":
                # One snapshot for every table: rows written meanwhile are either all in or all out.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            # SQLite: the open transaction holds a read snapshot (WAL) for the same purpose.
            with data_path.open("w", encoding="utf-8") as handle:
                handle.write("[")
                first = True
                for model in backed_up_models():
                    queryset = model._base_manager.order_by("pk")  # every row, whatever the default manager hides
                    counts[model._meta.label_lower] = 0
                    progress(f"导出 {model._meta.verbose_name}")
                    for obj in queryset.iterator(chunk_size=5000):
                        text = serializers.serialize("json", [obj], use_natural_foreign_keys=True)[1:-1]
                        handle.write(("" if first else ",\n") + text)
                        first = False
                        counts[model._meta.label_lower] += 1
                handle.write("]")
            # Recorded so a restore under another audit key knows the chain it re-signs was intact.
            audit_checked, audit_problems = verify_chain()
            audit = {"entries": audit_checked, "checkpoint": str(checkpoint_current()), "intact": not audit_problems}
        files = {}
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.write(data_path, "data.json")
            if media.exists():
                for path in sorted(p for p in media.rglob("*") if p.is_file()):
                    name = "files/" + path.relative_to(media).as_posix()
                    files[name] = _sha256_file(path)
                    archive.write(path, name)
            progress(f"已打包 {len(files)} 个文件")
            manifest = {
                "format": FORMAT,
                "shuping_version": __version__,
                "created_at": now().isoformat(),
                "database": connection.vendor,
                "counts": counts,
                "data_sha256": _sha256_file(data_path),
                "files": files,
                "audit": audit,
            }
            manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
            archive.writestr("manifest.json", manifest_bytes)
            archive.writestr(SIGNATURE_NAME, json.dumps(sign_manifest(manifest_bytes, key)))
    return manifest


def _read_manifest(archive: zipfile.ZipFile, key: str) -> dict:
    try:
        manifest_bytes = archive.read("manifest.json")
    except KeyError as exc:
        raise BackupError("备份文件缺少 manifest.json，不是述评备份") from exc
    _check_signature(archive, manifest_bytes, key)
    try:
        manifest = json.loads(manifest_bytes)
    except ValueError as exc:
        raise BackupError("manifest.json 损坏") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')}")
    return manifest


def verify_backup(path: Path, *, key: str | None = None) -> dict:
    """Check the signature, every path and every checksum before anything is written."""
    key = backup_key(key)
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError("备份文件损坏或不是 zip 格式") from exc
    with archive:
        manifest = _read_manifest(archive, key)
        media = Path(settings.MEDIA_ROOT)
        for name in manifest["files"]:
            _member_target(media, name)
        with archive.open("data.json") as handle:
            digest = hashlib.sha256()
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        if digest.hexdigest() != manifest["data_sha256"]:
            raise BackupError("数据文件校验和不符，备份已损坏")
        for name, expected in manifest["files"].items():
            digest = hashlib.sha256()
            with archive.open(name) as handle:
                for chunk in iter(lambda: handle.read(1 << 20), b""):
                    digest.update(chunk)
            if digest.hexdigest() != expected:
                raise BackupError(f"文件 {name} 校验和不符，备份已损坏")
    return manifest


def instance_is_empty() -> bool:
    from django.contrib.auth import get_user_model

    from shuping.audit.models import AuditEntry
    from shuping.orgs.models import Org

    return not (Org.objects.exists() or get_user_model().objects.exists() or AuditEntry.objects.exists())


def restore_backup(path: Path, progress: Callable[[str], None] = lambda _: None, *, key: str | None = None) -> dict:
    from shuping.audit.services import checkpoint_current, head_resign, head_signature_valid

    manifest = verify_backup(path, key=key)
    progress("校验通过，初始化数据库结构")
    call_command("migrate", interactive=False, verbosity=0)
    if not instance_is_empty():
        raise BackupError("目标实例不是空的：恢复只能在全新的空实例上进行，以免覆盖现有数据")
    media = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as workdir, zipfile.ZipFile(path) as archive:
        archive.extract("data.json", workdir)
        progress("导入数据")
        with transaction.atomic():
            call_command("loaddata", str(Path(workdir) / "data.json"), verbosity=0)
            audit = manifest.get("audit") or {}
            if (not head_signature_valid() and audit.get("intact")
                    and audit.get("checkpoint") == str(checkpoint_current())):
                # A new instance has its own audit key: the signed manifest vouches for the
                # chain as it was at backup time, so the head is signed again under this key.
                head_resign()
                progress("审计日志链尾已用本实例的审计密钥重新签名")
        progress("恢复文件")
        for name, expected in manifest["files"].items():
            target = _member_target(media, name)
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(name) as source, target.open("wb") as handle:
                shutil.copyfileobj(source, handle)
            if _sha256_file(target) != expected:
                raise BackupError(f"恢复后文件 {name} 校验和不符")
    return manifest

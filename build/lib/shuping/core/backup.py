"""Consistent backup and restore: the database as portable JSON plus uploaded files, with checksums.

Archive layout (a .zip):
  manifest.json   format version, time, source database, row counts, sha256 of every member
  data.json       Django's portable serialisation of every project table
  files/…         everything under MEDIA_ROOT (uploaded reports, evidence)
"""

import hashlib
import json
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
EXCLUDED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session", "admin.logentry"}


class BackupError(Exception):
    pass


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def backed_up_models():
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in EXCLUDED_MODELS and not model._meta.proxy and model._meta.managed
    ]


def create_backup(out: Path, progress: Callable[[str], None] = lambda _: None) -> dict:
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
                    queryset = model._default_manager.order_by("pk")
                    counts[model._meta.label_lower] = 0
                    progress(f"导出 {model._meta.verbose_name}")
                    for obj in queryset.iterator(chunk_size=5000):
                        text = serializers.serialize("json", [obj], use_natural_foreign_keys=True)[1:-1]
                        handle.write(("" if first else ",\n") + text)
                        first = False
                        counts[model._meta.label_lower] += 1
                handle.write("]")
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
            }
            archive.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return manifest


def _read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError as exc:
        raise BackupError("备份文件缺少 manifest.json，不是述评备份") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不支持的备份格式：{manifest.get('format')}")
    return manifest


def verify_backup(path: Path) -> dict:
    """Check every checksum before anything is written."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise BackupError("备份文件损坏或不是 zip 格式") from exc
    with archive:
        manifest = _read_manifest(archive)
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


def restore_backup(path: Path, progress: Callable[[str], None] = lambda _: None) -> dict:
    manifest = verify_backup(path)
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
        progress("恢复文件")
        for name, expected in manifest["files"].items():
            target = media / name.removeprefix("files/")
            target.parent.mkdir(parents=True, exist_ok=True)
            with archive.open(name) as source, target.open("wb") as handle:
                shutil.copyfileobj(source, handle)
            if _sha256_file(target) != expected:
                raise BackupError(f"恢复后文件 {name} 校验和不符")
    return manifest

"""`shuping upgrade`: snapshot the database with the database's own tools, then migrate.

The portable backup (`shuping backup`) serialises through the models of the code that runs it; after the
new release is installed those models already expect the new schema, so it cannot read an old database.
The snapshot here copies the database as it is: SQLite through its online backup API, PostgreSQL with
pg_dump (custom format). Restoring it gives back the database exactly as before the upgrade.
"""

import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from shuping import __version__
from shuping.clock import now
from shuping.core.marks import VERSION_MARK, mark_get, mark_set


class UpgradeError(Exception):
    pass


def pending_migrations() -> list[str]:
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, backwards in plan if not backwards]


def installed_version() -> str:
    """The release this database was last upgraded to ("" before the first `shuping upgrade`)."""
    if "core_systemmark" not in connection.introspection.table_names():
        return ""
    mark = mark_get(VERSION_MARK)
    return mark.value if mark else ""


def snapshot_database(directory: Path) -> Path:
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime(now()).strftime("%Y%m%d-%H%M%S")
    db = settings.DATABASES["default"]
    if connection.vendor == "sqlite":
        target = directory / f"before-upgrade-{stamp}.sqlite3"
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)
        finally:
            destination.close()
    elif connection.vendor == "postgresql":
        target = directory / f"before-upgrade-{stamp}.pgdump"
        pg_dump = shutil.which("pg_dump")
        if pg_dump is None:
            raise UpgradeError("找不到 pg_dump：请安装与数据库服务器同版本的 postgresql-client")
        env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
        command = [pg_dump, "--format=custom", "--file", str(target), "--no-owner",
                   "--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432),
                   "--username", str(db.get("USER") or ""), str(db["NAME"])]
        result = subprocess.run(command, env=env, capture_output=True, text=True)
        if result.returncode != 0:
            target.unlink(missing_ok=True)
            raise UpgradeError(f"pg_dump 失败：{result.stderr.strip()[:300]}")
    else:
        raise UpgradeError(f"不支持的数据库：{connection.vendor}")
    if not target.exists() or target.stat().st_size == 0:
        raise UpgradeError(f"备份文件为空：{target}")
    target.chmod(0o600)
    return target


def upgrade(*, backup_dir: Path, progress: Callable[[str], None] = lambda _: None) -> dict:
    """Back up, then migrate. Refuses to migrate when the backup fails; records the version afterwards."""
    before = installed_version()
    pending = pending_migrations()
    snapshot = None
    if pending:
        progress(f"待执行的数据库迁移 {len(pending)} 个，先备份数据库……")
        try:
            snapshot = snapshot_database(backup_dir)
        except (OSError, sqlite3.Error, UpgradeError) as exc:
            raise UpgradeError(f"备份失败，未执行升级：{exc}") from exc
        progress(f"已备份到 {snapshot}（{snapshot.stat().st_size / 1024**2:.1f} MB）")
        progress("执行数据库迁移……")
        call_command("migrate", interactive=False, verbosity=0)
    mark_set(VERSION_MARK, __version__)
    return {"from": before, "to": __version__, "migrations": pending, "snapshot": snapshot}

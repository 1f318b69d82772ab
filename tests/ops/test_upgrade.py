"""Upgrade safety: a database made by the previous release survives `shuping upgrade` with nothing lost.

The previous release's code (from RELEASES, taken out of git history) builds the demo county — a published
campaign with ballots, a meeting with ballots, reports in review, problems, audit entries — on a database of
its own (SQLite, or PostgreSQL when the suite runs on PostgreSQL). The current code then upgrades it. Every
table's row count, every published result's stored data and hash are unchanged, each hash still matches its
data when recomputed by the new code, and the audit chain verifies.
"""

import json
import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

import shuping

REPO = Path(__file__).resolve().parents[2]
# Django's own bookkeeping: new migrations and models add rows here; none may disappear.
GROWING_BOOKKEEPING = {"django_migrations", "django_content_type", "auth_permission"}
# Reference data a release ships through data migrations (new rubric templates): may grow, never shrink.
GROWING_REFERENCE = {"campaigns_rubrictemplate", "campaigns_templateindicator"}
pytestmark = pytest.mark.upgrade


def previous_release() -> tuple[str, str]:
    rows = [
        line.split("\t")
        for line in (REPO / "RELEASES").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    older = [(version, commit) for version, commit, *_ in rows if version != shuping.__version__]
    assert older, "RELEASES lists no release before the current version"
    return older[-1]


def checkout(commit: str, target: Path) -> None:
    probe = subprocess.run(["git", "-C", str(REPO), "cat-file", "-e", f"{commit}^{{commit}}"], capture_output=True)
    assert probe.returncode == 0, f"the previous release {commit} is not in this clone's history"
    archive = subprocess.run(["git", "-C", str(REPO), "archive", "--format=tar", commit], capture_output=True, check=True)
    target.mkdir(parents=True)
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive.stdout, check=True)


def run_shuping(code: Path, env: dict, *args: str) -> subprocess.CompletedProcess:
    # PYTHONPATH first: the code under test wins over whatever `shuping` is installed in the venv.
    full_env = {**env, "PYTHONPATH": str(code)}
    return subprocess.run([sys.executable, "-m", "shuping.cli", *args], cwd=code, env=full_env,
                          capture_output=True, text=True, timeout=600)


class Database:
    """A throw-away database of the same kind as the suite's, reached without Django."""

    def __init__(self, tmp_path: Path):
        engine = settings.DATABASES["default"]["ENGINE"]
        self.postgres = engine.endswith("postgresql")
        if self.postgres:
            import psycopg

            base = settings.DATABASES["default"]
            self.name = f"shuping_upgrade_{uuid.uuid4().hex[:8]}"
            self.conninfo = {"host": base["HOST"] or "127.0.0.1", "port": base["PORT"] or 5432,
                                 "user": base["USER"], "password": base.get("PASSWORD") or None}
            with psycopg.connect(dbname="postgres", autocommit=True, **self.conninfo) as conn:
                conn.execute(f'CREATE DATABASE "{self.name}"')
            password = f":{self.conninfo['password']}" if self.conninfo["password"] else ""
            self.url = (f"postgresql://{self.conninfo['user']}{password}@{self.conninfo['host']}:"
                        f"{self.conninfo['port']}/{self.name}")
        else:
            self.path = tmp_path / "data" / "shuping.sqlite3"
            self.url = f"sqlite:///{self.path}"

    def query(self, sql: str) -> list[tuple]:
        if self.postgres:
            import psycopg

            with psycopg.connect(dbname=self.name, **self.conninfo) as conn:
                return conn.execute(sql).fetchall()
        with sqlite3.connect(self.path) as conn:
            return conn.execute(sql).fetchall()

    def tables(self) -> list[str]:
        if self.postgres:
            rows = self.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        else:
            rows = self.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        return sorted(name for (name,) in rows)

    def counts(self) -> dict[str, int]:
        return {table: self.query(f'SELECT COUNT(*) FROM "{table}"')[0][0] for table in self.tables()}

    def drop(self) -> None:
        if self.postgres:
            import psycopg

            with psycopg.connect(dbname="postgres", autocommit=True, **self.conninfo) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


@pytest.fixture
def upgrade_db(tmp_path):
    database = Database(tmp_path)
    yield database
    database.drop()


def published_results(database: Database) -> dict[int, tuple[str, str]]:
    rows = database.query("SELECT id, content_hash, data FROM campaigns_resultversion ORDER BY id")
    return {pk: (digest, data if isinstance(data, str) else json.dumps(data, sort_keys=True)) for pk, digest, data in rows}


RECOMPUTE = """
import django, json
django.setup()
from shuping.campaigns.models import ResultVersion
from shuping.campaigns.services import payload_hash
print(json.dumps({v.pk: payload_hash(v.data) == v.content_hash for v in ResultVersion.objects.all()}))
"""


def test_previous_release_database_upgrades_without_loss(tmp_path, upgrade_db):
    version, commit = previous_release()
    old_code = tmp_path / f"shuping-{version}"
    checkout(commit, old_code)
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(SHUPING_DATA_DIR=str(tmp_path / "data"), DATABASE_URL=upgrade_db.url, DJANGO_SETTINGS_MODULE="shuping.settings")

    built = run_shuping(old_code, env, "demo", "--no-serve")
    assert built.returncode == 0, built.stderr[-3000:]
    before = upgrade_db.counts()
    results_before = published_results(upgrade_db)
    assert before["campaigns_ballot"] > 0 and before["audit_auditentry"] > 0 and results_before, before
    assert before["rectification_problem"] > 0 and before["reports_report"] > 0

    upgraded = run_shuping(REPO, env, "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr[-3000:]
    assert "升级完成" in upgraded.stdout and "审计日志" in upgraded.stdout
    snapshots = list((tmp_path / "data" / "backups").iterdir())
    assert len(snapshots) == 1 and snapshots[0].stat().st_size > 0

    after = upgrade_db.counts()
    changed = {
        table: (count, after.get(table))
        for table, count in before.items()
        if not (after.get(table) == count or (table in GROWING_BOOKKEEPING | GROWING_REFERENCE and after[table] >= count))
    }
    assert not changed, f"row counts changed by the upgrade: {changed}"
    assert published_results(upgrade_db) == results_before

    recomputed = run_shuping(REPO, env, "shell", "-c", RECOMPUTE)
    assert recomputed.returncode == 0, recomputed.stderr[-3000:]
    assert all(json.loads(recomputed.stdout.strip().splitlines()[-1]).values())
    verified = run_shuping(REPO, env, "audit-verify")
    assert verified.returncode == 0, verified.stdout + verified.stderr
    again = run_shuping(REPO, env, "upgrade")
    assert again.returncode == 0 and "无需迁移" in again.stdout

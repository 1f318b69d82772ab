"""Migrations that rewrite data can be undone, or say why not (docs/release-checklist.md)."""

from django.db.migrations.loader import MigrationLoader
from django.db.migrations.operations import RunPython, RunSQL


def project_migrations() -> dict:
    loader = MigrationLoader(None, ignore_no_migrations=True)
    return {key: m for key, m in loader.disk_migrations.items() if m.__module__.startswith("shuping.")}


def data_operations_without_reverse(migrations: dict) -> list[str]:
    missing = []
    for (app, name), migration in sorted(migrations.items()):
        for operation in migration.operations:
            irreversible = (isinstance(operation, RunPython) and operation.reverse_code is None) or (
                isinstance(operation, RunSQL) and operation.reverse_sql is None
            )
            if irreversible and not getattr(migration, "irreversible_reason", ""):
                missing.append(f"{app}.{name}")
    return missing


def test_every_data_migration_is_reversible_or_explains_why():
    assert data_operations_without_reverse(project_migrations()) == []


def test_the_check_catches_a_one_way_data_migration(monkeypatch):
    migrations = project_migrations()
    migration = migrations[("campaigns", "0002_default_rubric_templates")]
    monkeypatch.setattr(migration.operations[0], "reverse_code", None)
    assert data_operations_without_reverse(migrations) == ["campaigns.0002_default_rubric_templates"]
    monkeypatch.setattr(migration, "irreversible_reason", "templates are reference data", raising=False)
    assert data_operations_without_reverse(migrations) == []

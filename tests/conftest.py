"""Shared fixtures; the builders live in tests/builders.py."""

import functools
from pathlib import Path

import pytest

from shuping.accounts.models import Role

from .builders import Tree, make_user


@pytest.fixture
def tree(db):
    from shuping.campaigns.models import RubricTemplate, TemplateIndicator
    from shuping.campaigns.rubric_defaults import install_default_templates

    # Transactional tests flush every table, data-migration rows included; put the shipped
    # rubric templates back so each test sees what a fresh install has.
    install_default_templates(RubricTemplate, TemplateIndicator)
    return Tree()


@pytest.fixture
def role_users(tree):
    """One user per role, each granted on county A; plus an outsider admin of county B."""
    users = {role.value: make_user(role.value, role, tree.county_a) for role in Role}
    users["outsider"] = make_user("outsider", Role.ADMIN, tree.county_b)
    users["nobody"] = make_user("nobody")
    return users


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that are about hashing opt back in.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def backup_key(settings):
    # Backups are signed with an operator-supplied key; tests act as that operator.
    settings.SHUPING_BACKUP_KEY = "test-backup-key-2026"
    return settings.SHUPING_BACKUP_KEY


_DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences", "django_db_serialized_rollback",
                      "live_server"}


@functools.cache
def _module_names_a_database(path: str) -> bool:
    """Tests that reach a database without Django's fixtures (subprocesses, upgrade databases) name it."""
    text = Path(path).read_text(encoding="utf-8")
    return any(word in text for word in ("DATABASE", "postgres", "connection"))


def _uses_the_database(item) -> bool:
    if item.get_closest_marker("django_db") or _DATABASE_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    module = getattr(item, "module", None)
    return bool(module and _module_names_a_database(module.__file__))


def pytest_collection_modifyitems(config, items):
    """The PostgreSQL pass (SHUPING_TEST_DATABASE_ONLY=1, set by scripts/test) runs only the tests that
    touch a database: the rest cannot behave differently there and already ran on SQLite."""
    import os

    if os.environ.get("SHUPING_TEST_DATABASE_ONLY") != "1":
        return
    kept, dropped = [], []
    for item in items:
        (kept if _uses_the_database(item) else dropped).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept

"""The running cluster (tests/deployment/cluster.py) for the deployment tests, on PostgreSQL only."""

import pytest
from django.db import connection

from shuping.accounts.security import password_set

from ..builders import make_user
from . import cluster as cluster_module

PASSWORD = "Node-test-2026"


@pytest.fixture
def cluster(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("两节点部署测试需要 PostgreSQL（DATABASE_URL）")
    reason = cluster_module.available()
    if reason:
        pytest.skip(reason)
    # The nodes verify passwords with the production hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    running = cluster_module.start(connection.settings_dict, tmp_path)
    yield running
    running.stop()


def node_user(name, role, org):
    """A user who signs in to the cluster through nginx with PASSWORD."""
    user = make_user(name, role, org)
    password_set(user=user, password=PASSWORD, validate=False)
    return user

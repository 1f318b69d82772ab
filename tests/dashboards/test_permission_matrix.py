"""Role × URL × method → status for the dashboards app (see tests/permissions.py)."""

import pytest

from ..builders import make_campaign
from ..permissions import check_case, expect, matrix_cases

# dashboard.view: admin, reviewer, leader (on county A); the outsider sees its own county B.
VIEWERS = expect(admin=200, reviewer=200, leader=200, outsider=200)
MANAGE_IN_A = expect(admin=200, outsider=404)
# Exports start a background job and redirect to its progress page.
EXPORTERS = expect(admin=302, reviewer=302, leader=302, outsider=302)

MATRIX = [
    ("dashboards:index", None, "GET", VIEWERS),
    ("dashboards:view", lambda t: {"key": "progress"}, "GET", VIEWERS),
    ("dashboards:view", lambda t: {"key": "tree"}, "GET", VIEWERS),
    ("dashboards:export", lambda t: {"key": "grades-unit"}, "POST", EXPORTERS),
    ("dashboards:subordinates", None, "GET", VIEWERS),
    ("dashboards:subordinates_export", None, "POST", EXPORTERS),
    ("dashboards:linkage", lambda t: {"pk": t.campaign.pk}, "GET", MANAGE_IN_A),
    ("dashboards:linkage_apply", lambda t: {"pk": t.campaign.pk}, "POST", expect(admin=302, outsider=404)),
]


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, crawl_fixtures(tree, role_users), role_users, url_name, kwargs, method, data, expected)


def crawl_fixtures(tree, role_users, monkeypatch=None, url_name=None):
    """The objects MATRIX rows read; the visible-text crawl (tests/outputs) builds them too."""
    tree.campaign = make_campaign(tree)
    return tree

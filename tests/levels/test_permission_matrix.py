"""Role × URL × method → status for the levels app (see tests/permissions.py).

Roles are granted on county A; the plan is the city's, so county A's users see the plan through
their own county's level campaign but not the city's own campaign. Delegation pages exist only
for the named delegate (a city user who holds none of these roles): everyone else gets 404.
"""

import pytest

from shuping.accounts.models import Role
from shuping.levels import services

from ..builders import make_user
from ..permissions import check_case, expect, matrix_cases
from .conftest import launch

SIGNED_IN = ["admin", "reviewer", "reporter", "evaluator", "leader", "inspector", "outsider", "nobody"]
VIEW_IN_A = expect(admin=200, reviewer=200, reporter=200, leader=200, inspector=200, outsider=404)
VIEW_ANY = expect(admin=200, reviewer=200, reporter=200, leader=200, inspector=200, outsider=200)
ABOVE_A = expect(admin=404, reviewer=404, reporter=404, leader=404, inspector=404, outsider=404)
NOT_DELEGATE = expect(anon=302, **dict.fromkeys(SIGNED_IN, 404))
CRITIQUE_IN_A = expect(admin=200, leader=200, outsider=404)

MATRIX = [
    ("levels:plans", None, "GET", VIEW_ANY),
    ("levels:plan_create", None, "GET", expect(admin=200, outsider=200)),
    ("levels:plan_create", None, "POST", expect(admin=200, outsider=200)),  # empty form: errors shown
    ("levels:plan", lambda t: {"pk": t.plan.pk}, "GET", VIEW_IN_A),
    ("levels:node", lambda t: {"pk": t.county_node.pk}, "GET", VIEW_IN_A),
    ("levels:node", lambda t: {"pk": t.root_node.pk}, "GET", ABOVE_A),
    ("levels:node_create", lambda t: {"pk": t.county_node.pk}, "POST", expect(admin=302, outsider=404)),
    ("levels:node_attach", lambda t: {"pk": t.county_node.pk}, "POST", expect(admin=404, outsider=404)),  # nothing
    ("levels:node_adjust", lambda t: {"pk": t.county_node.pk}, "POST", expect(admin=302, outsider=404)),
    ("levels:joint_apply", lambda t: {"pk": t.county_node.pk}, "POST", expect(admin=302, outsider=404)),
    # Sending a delegate is the superior's act: county A's own admin cannot.
    ("levels:delegation_appoint", lambda t: {"pk": t.county_node.pk}, "POST", expect(admin=404, outsider=404)),
    ("levels:speech", lambda t: {"pk": t.county_node.campaign.pk}, "GET", CRITIQUE_IN_A),
    ("levels:speech", lambda t: {"pk": t.county_node.campaign.pk}, "POST", expect(admin=302, leader=302,
                                                                                  outsider=404)),
    ("levels:speech_docx", lambda t: {"pk": t.county_node.campaign.pk}, "GET", CRITIQUE_IN_A),
    ("levels:delegation", lambda t: {"pk": t.delegation.pk}, "GET", NOT_DELEGATE),
    ("levels:delegation_card", lambda t: {"pk": t.delegation.pk}, "POST", NOT_DELEGATE),
    ("levels:delegation_board", lambda t: {"pk": t.delegation.pk}, "GET", NOT_DELEGATE),
    ("levels:delegation_board_live", lambda t: {"pk": t.delegation.pk}, "GET", NOT_DELEGATE),
    ("levels:delegation_level", lambda t: {"pk": t.delegation.pk}, "GET", NOT_DELEGATE),
    ("levels:delegation_critique", lambda t: {"pk": t.delegation.pk,
                                              "participant_pk": t.county_node.campaign.participants.first().pk},
     "GET", NOT_DELEGATE),
    ("levels:delegation_docx", lambda t: {"pk": t.delegation.pk}, "GET", NOT_DELEGATE),
]


def crawl_fixtures(tree, role_users, monkeypatch=None):
    """The objects MATRIX rows read; the visible-text crawl (tests/outputs) builds them too."""
    tree.plan = launch(tree)
    tree.root_node = tree.plan.nodes.get()
    tree.county_node = services.node_create(actor=None, parent=tree.root_node, organiser=tree.county_a)
    city_leader = make_user("city-leader", Role.LEADER, tree.city)
    tree.delegation = services.delegation_appoint(actor=None, campaign=tree.county_node.campaign,
                                                  delegate=city_leader, sent_by=tree.city)
    return tree


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, crawl_fixtures(tree, role_users), role_users, url_name, kwargs, method, data, expected)

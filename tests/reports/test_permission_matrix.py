"""Reports rows of the role × URL × method → status matrix (see tests/permissions.py)."""

import sys
import types

import pytest

from shuping.reports import services
from shuping.reports.documents import parse_editor_text

from ..builders import make_campaign
from ..permissions import check_case, expect, matrix_cases
from .conftest import REPORT_V1

VIEW_ANY = expect(admin=200, reviewer=200, reporter=200, leader=200, outsider=200)
VIEW_IN_A = expect(admin=200, reviewer=200, reporter=200, leader=200, outsider=404)
MANAGE_IN_A = expect(admin=200, outsider=404)
WRITE = expect(reporter=200)
REVIEW_IN_A = expect(admin=200, reviewer=200, outsider=404)

CHAIN_POST = {
    "level-TOTAL_FORMS": 2, "level-INITIAL_FORMS": 0, "level-MIN_NUM_FORMS": 0, "level-MAX_NUM_FORMS": 8,
    "level-0-name": "党建办主任", "level-0-deadline_days": 2, "level-1-name": "组织部长", "level-1-deadline_days": 3,
    "submission_deadline": "", "resubmit_from": "first",
}

MATRIX = [
    ("reports:list", None, "GET", VIEW_ANY),
    ("reports:campaign", lambda f: {"pk": f.campaign.pk}, "GET", VIEW_IN_A),
    ("reports:chain", lambda f: {"pk": f.campaign.pk}, "GET", MANAGE_IN_A),
    # A report is already in review, so the chain is refused with a message (200); see test_views for a save.
    ("reports:chain", lambda f: {"pk": f.campaign.pk}, "POST", expect(admin=200, outsider=404), CHAIN_POST),
    # No report is approved yet: the export explains that and goes back to the campaign page.
    ("reports:export_docx", lambda f: {"pk": f.campaign.pk}, "POST", expect(admin=302, outsider=404)),
    ("reports:export_pdf", lambda f: {"pk": f.campaign.pk}, "POST", expect(admin=302, outsider=404)),
    ("reports:detail", lambda f: {"pk": f.submitted.pk}, "GET", VIEW_IN_A),
    ("reports:edit", lambda f: {"pk": f.draft.pk}, "GET", WRITE),
    ("reports:edit", lambda f: {"pk": f.draft.pk}, "POST", expect(reporter=302), {"content": REPORT_V1 + "补充。"}),
    ("reports:upload", lambda f: {"pk": f.draft.pk}, "GET", WRITE),
    ("reports:submit", lambda f: {"pk": f.draft.pk}, "POST", expect(reporter=302)),
    ("reports:review", lambda f: {"pk": f.submitted.pk}, "GET", REVIEW_IN_A),
    ("reports:review", lambda f: {"pk": f.submitted.pk}, "POST", expect(admin=302, reviewer=302, outsider=404),
     {"level": 1, "decision": "approve", "comment": "同意"}),
    ("reports:version", lambda f: {"pk": f.submitted.pk, "number": 1}, "GET", VIEW_IN_A),
    ("reports:diff", lambda f: {"pk": f.submitted.pk}, "GET", VIEW_IN_A),
]


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, monkeypatch, url_name, kwargs, method, data, expected):
    fixtures = crawl_fixtures(tree, role_users, monkeypatch)
    check_case(client, fixtures, role_users, url_name, kwargs, method, data, expected)


def crawl_fixtures(tree, role_users, monkeypatch=None, url_name=None):
    """The objects MATRIX rows read; the visible-text crawl (tests/outputs) builds them too."""
    monkeypatch.setitem(sys.modules, "shuping.rectification.selectors",
                        types.SimpleNamespace(prior_problems_for=lambda participant: []))
    from shuping.campaigns import services as campaign_services

    campaign = make_campaign(tree)
    campaign_services.campaign_transition(actor=None, campaign=campaign, to_state="writing")
    fixtures = types.SimpleNamespace(campaign=campaign)
    fixtures.submitted = campaign.participants.get(org=tree.town_a1)
    fixtures.draft = campaign.participants.get(org=tree.town_a2)
    for participant in (fixtures.submitted, fixtures.draft):
        services.report_save(actor=role_users["reporter"], participant=participant,
                             blocks=parse_editor_text(REPORT_V1), source="editor")
    services.report_submit(actor=role_users["reporter"], participant=fixtures.submitted)
    return fixtures

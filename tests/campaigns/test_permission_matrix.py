"""Campaign rows of the role × URL × method → status matrix (see tests/permissions.py).

campaign.view: admin, reviewer, reporter, leader, inspector; campaign.manage: admin. The campaign
belongs to county A, so the outsider (admin of county B) gets 404 for it."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shuping.campaigns.excel import ballot_template

from ..builders import make_campaign
from ..permissions import check_case, expect, matrix_cases

VIEWERS = {"admin": 200, "reviewer": 200, "reporter": 200, "leader": 200, "inspector": 200}
VIEW_ANY = expect(**VIEWERS, outsider=200)
VIEW_IN_A = expect(**VIEWERS, outsider=404)
MANAGE_IN_A = expect(admin=200, outsider=404)
MANAGE_POST = expect(admin=302, outsider=404)
# Exports and imports start a background job and redirect to its page (the job checks the scope again).
START_IN_A = expect(**dict.fromkeys(VIEWERS, 302), outsider=404)


def upload(t):
    return {"file": SimpleUploadedFile("导入.xlsx", ballot_template(t.campaign))}


def c(t):
    return {"pk": t.campaign.pk}


def ci(t):
    return {"pk": t.campaign.pk, "indicator_pk": t.indicator.pk}


MATRIX = [
    ("campaigns:list", None, "GET", VIEW_ANY),
    ("campaigns:create", None, "GET", expect(admin=200, outsider=200)),
    ("campaigns:detail", c, "GET", VIEW_IN_A),
    ("campaigns:transition", c, "POST", MANAGE_POST, {"to_state": "writing"}),
    ("campaigns:participants", c, "GET", MANAGE_IN_A),
    ("campaigns:participant_remove", lambda t: {"pk": t.campaign.pk, "participant_pk": t.participant.pk}, "POST",
     MANAGE_POST),
    ("campaigns:config", c, "GET", MANAGE_IN_A),
    ("campaigns:rubric", c, "GET", VIEW_IN_A),
    ("campaigns:indicator_new", c, "GET", MANAGE_IN_A),
    ("campaigns:indicator_row", ci, "GET", VIEW_IN_A),
    ("campaigns:indicator_edit", ci, "GET", MANAGE_IN_A),
    ("campaigns:indicator_delete", ci, "POST", MANAGE_POST),
    ("campaigns:rubric_template", c, "POST", MANAGE_POST, lambda t: {"template": t.template.pk}),
    ("campaigns:rubric_import", c, "GET", MANAGE_IN_A),
    ("campaigns:rubric_import", c, "POST", MANAGE_POST, upload),
    ("campaigns:rubric_export", c, "POST", START_IN_A),
    ("campaigns:groups", c, "GET", MANAGE_IN_A),
    ("campaigns:scores", c, "GET", MANAGE_IN_A),
    ("campaigns:ballots_import", c, "GET", MANAGE_IN_A),
    ("campaigns:ballots_import", c, "POST", MANAGE_POST, upload),
    ("campaigns:ballots_template", c, "GET", MANAGE_IN_A),
    ("campaigns:ballot_batch_revoke", lambda t: {"pk": t.campaign.pk, "batch_pk": t.batch.pk}, "POST", MANAGE_POST),
    ("campaigns:results", c, "GET", VIEW_IN_A),
    ("campaigns:results_export", c, "POST", START_IN_A),
    ("campaigns:publish", c, "POST", MANAGE_POST),
    ("campaigns:correct", c, "GET", expect(admin=302, outsider=404)),  # not published: back to results
    ("campaigns:result_visibility", c, "POST", MANAGE_POST, {"result_visibility": "full"}),
]


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, crawl_fixtures(tree, role_users), role_users, url_name, kwargs, method, data, expected)


def crawl_fixtures(tree, role_users, monkeypatch=None, url_name=None):
    """The objects MATRIX rows read; the visible-text crawl (tests/outputs) builds them too."""
    from shuping.campaigns.models import RubricTemplate

    tree.campaign = make_campaign(tree)
    tree.participant = tree.campaign.participants.first()
    tree.indicator = tree.campaign.indicators.get(code="R1")
    tree.template = RubricTemplate.objects.get(sector="rural")
    tree.batch = tree.campaign.ballot_batches.create(sha256="0" * 64, file_name="测评票.xlsx", imported_at=timezone.now())
    return tree

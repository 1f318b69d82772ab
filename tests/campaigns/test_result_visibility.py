"""Per campaign, the organiser chooses what reporters see of the published results."""

import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shuping.accounts.models import Role
from shuping.audit.models import AuditEntry
from shuping.campaigns import services
from shuping.campaigns.models import ResultVisibility

from ..builders import make_user
from ..jobs.worker import job_result
from .test_campaign_views import _scored

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def result_rows(response) -> list[str]:
    """The rows of the results table as a reader sees them (rank … org …)."""
    html = response.content.decode()
    body = html.split('results-table">', 1)[1].split("</table>", 1)[0] if 'results-table">' in html else ""
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("<tr>")[2:]]


def xlsx_orgs(client, campaign) -> list[str]:
    """The 述职单位 column of the results export, started as a job and downloaded as its starter would."""
    import io

    _page, content = job_result(client, reverse("campaigns:results_export", args=[campaign.pk]))
    sheet = load_workbook(io.BytesIO(content)).active
    return [row[2] for row in sheet.iter_rows(min_row=2, values_only=True) if row[2]]


@pytest.fixture
def published(tree, campaign):
    campaign = _scored(campaign)
    services.campaign_publish(actor=None, campaign=campaign)
    return campaign


@pytest.fixture
def town_reporter(client, tree):
    client.force_login(make_user("town_reporter", Role.REPORTER, tree.town_a2))
    return client


def _show(campaign, visibility):
    return services.campaign_set_result_visibility(actor=None, campaign=campaign, visibility=visibility)


def test_default_is_own_result_and_rank(published, town_reporter):
    assert published.result_visibility == ResultVisibility.OWN_RANK
    rows = result_rows(town_reporter.get(reverse("campaigns:results", args=[published.pk])))
    assert len(rows) == 1 and rows[0].startswith("2 / 2 甲二镇党委")
    assert xlsx_orgs(town_reporter, published) == ["甲二镇党委"]


def test_own_result_only_hides_the_rank(published, town_reporter):
    _show(published, ResultVisibility.OWN)
    rows = result_rows(town_reporter.get(reverse("campaigns:results", args=[published.pk])))
    assert len(rows) == 1 and rows[0].startswith("— 甲二镇党委") and "72.00" in rows[0]
    assert "甲一镇党委" not in text(town_reporter.get(reverse("campaigns:results", args=[published.pk])))


def test_full_table_when_the_organiser_chooses_it(published, town_reporter):
    _show(published, ResultVisibility.FULL)
    rows = result_rows(town_reporter.get(reverse("campaigns:results", args=[published.pk])))
    assert [r.split()[1] for r in rows] == ["甲一镇党委", "甲二镇党委"]
    assert xlsx_orgs(town_reporter, published) == ["甲一镇党委", "甲二镇党委"]


def test_organiser_always_sees_everything_and_sets_the_choice(published, client, role_users):
    client.force_login(role_users["admin"])
    url = reverse("campaigns:results", args=[published.pk])
    assert len(result_rows(client.get(url))) == 2
    assert "述职人可见的结果" in text(client.get(url))
    client.post(reverse("campaigns:result_visibility", args=[published.pk]), {"result_visibility": "own"})
    published.refresh_from_db()
    assert published.result_visibility == "own"
    assert AuditEntry.objects.filter(action="campaign.result_visibility").count() == 1
    assert len(result_rows(client.get(url))) == 2


def test_a_reporter_cannot_change_the_choice(published, town_reporter):
    response = town_reporter.post(reverse("campaigns:result_visibility", args=[published.pk]),
                                  {"result_visibility": "full"})
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.result_visibility == ResultVisibility.OWN_RANK


def test_evaluators_see_nothing_of_the_results(published, client, role_users):
    client.force_login(role_users["evaluator"])
    assert client.get(reverse("campaigns:results", args=[published.pk])).status_code == 403
    assert client.post(reverse("campaigns:results_export", args=[published.pk])).status_code == 403

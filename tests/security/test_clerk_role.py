"""Issue 12 item 11: the 录入员 (clerk) role enters paper ballots and does nothing else."""

import pytest
from django.urls import reverse

from shuping.accounts.models import Role
from shuping.meetings import services

from ..builders import make_user
from ..meetings.conftest import build_hall

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper(tree):
    hall = build_hall(tree)
    group = hall.meeting.campaign.evaluator_groups.first()
    form = services.paper_forms_issue(actor=None, meeting=hall.meeting, group=group, count=1)[0]
    return hall, form


def test_clerk_can_enter_paper_ballots_and_nothing_else(client, tree, paper):
    hall, form = paper
    clerk = make_user("clerk-a", Role.CLERK, tree.county_a)
    client.force_login(clerk)
    meeting = hall.meeting.pk
    assert client.get(reverse("meetings:paper", kwargs={"pk": meeting})).status_code == 200
    enter = client.get(reverse("meetings:paper_enter", kwargs={"pk": meeting, "form_id": form.form_id}))
    assert enter.status_code == 200 and form.form_id in enter.content.decode()
    # Resolving a mismatch, issuing or printing forms and running the meeting are not a clerk's.
    for name in ("paper_resolve",):
        url = reverse(f"meetings:{name}", kwargs={"pk": meeting, "form_id": form.form_id})
        assert client.get(url).status_code == 403
    for name in ("detail", "board", "credentials"):
        assert client.get(reverse(f"meetings:{name}", kwargs={"pk": meeting})).status_code == 403
    assert client.post(reverse("meetings:paper_print", kwargs={"pk": meeting})).status_code == 403
    for url in ("/orgs/", "/campaigns/", "/problems/", "/audit/", reverse("accounts:users")):
        assert client.get(url).status_code in (403, 404), url


def test_clerk_of_another_county_sees_no_forms(client, tree, paper):
    hall, form = paper
    client.force_login(make_user("clerk-b", Role.CLERK, tree.county_b))
    assert client.get(reverse("meetings:paper", kwargs={"pk": hall.meeting.pk})).status_code == 404


def test_clerk_role_carries_only_ballot_entry():
    from shuping.accounts.permissions import ROLE_PERMISSIONS

    assert ROLE_PERMISSIONS[Role.CLERK] == frozenset({"ballot.enter"})

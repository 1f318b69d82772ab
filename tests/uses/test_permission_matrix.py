"""Role × URL × method → status for result-use rules (see tests/permissions.py)."""

import pytest

from shuping.campaigns.models import Campaign, CampaignState
from shuping.routine.models import UseKind
from shuping.uses import services
from shuping.uses.models import UseProposal

from ..builders import make_campaign
from ..permissions import check_case, expect, matrix_cases

VIEW_ANY = expect(admin=200, reporter=200, leader=200, inspector=200, outsider=200)
MANAGE_IN_A = expect(admin=200, outsider=404)

MATRIX = [
    ("uses:rules", None, "GET", VIEW_ANY),
    ("uses:rules", None, "POST", expect(admin=200, reporter=302, leader=302, inspector=302, outsider=200)),
    ("uses:rule_toggle", lambda t: {"pk": t.rule.pk}, "POST", expect(admin=302, outsider=404)),
    ("uses:campaign", lambda t: {"pk": t.campaign.pk}, "GET", MANAGE_IN_A),
    ("uses:campaign", lambda t: {"pk": t.campaign.pk}, "POST", expect(admin=302, outsider=404)),
    ("uses:export", lambda t: {"pk": t.campaign.pk}, "GET", MANAGE_IN_A),
    ("uses:decide", lambda t: {"pk": t.proposal.pk}, "POST", expect(admin=302, outsider=404),
     {"decision": "reject", "reason": "不适用"}),
]


def crawl_fixtures(tree, role_users, monkeypatch=None):
    """The objects MATRIX rows read; the visible-text crawl (tests/outputs) builds them too."""
    from shuping.campaigns.models import ParticipantResult, ResultVersion
    from shuping.clock import now

    tree.campaign = make_campaign(tree, participants=[tree.village_a1.parent])
    Campaign.objects.filter(pk=tree.campaign.pk).update(state=CampaignState.PUBLISHED)
    version = ResultVersion.objects.create(campaign=tree.campaign, number=1, data=[], content_hash="x" * 64,
                                           created_at=now())
    participant = tree.campaign.participants.get()
    participant.secretary = tree.person_a
    participant.save()
    row = ParticipantResult.objects.create(version=version, participant=participant, grade="差")
    tree.rule = services.rule_create(actor=None, organiser=tree.county_a, condition="grade", grade="差",
                                     use_kind=UseKind.TALK, measure="约谈")
    tree.proposal = UseProposal.objects.create(rule=tree.rule, result=row, person=tree.person_a, created_at=now())
    return tree


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, crawl_fixtures(tree, role_users), role_users, url_name, kwargs, method, data, expected)

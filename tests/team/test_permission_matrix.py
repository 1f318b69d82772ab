"""Role × URL × method → status for the team app (see tests/permissions.py)."""

import pytest

from shuping.rectification import services as rect_services
from shuping.rectification.models import Source
from shuping.team import services
from shuping.team.models import Post

from ..builders import make_campaign, make_person
from ..permissions import check_case, expect, matrix_cases

MATRIX = [
    ("team:member_save", lambda t: {"pk": t.town_a1.pk}, "POST", expect(admin=404, outsider=404)),  # no person
    ("team:member_remove", lambda t: {"pk": t.member.pk}, "POST", expect(admin=302, outsider=404)),
    ("team:problem", lambda t: {"pk": t.problem.pk}, "GET", expect(admin=200, outsider=404)),
    ("team:written", lambda t: {"pk": t.team_campaign.pk}, "GET", expect(admin=200, outsider=404)),
    ("team:written", lambda t: {"pk": t.team_campaign.pk}, "POST", expect(admin=302, outsider=404)),
    ("team:critique", lambda t: {"pk": t.team_critique.participant_id}, "GET",
     expect(admin=200, leader=200, outsider=404)),
    ("team:critique", lambda t: {"pk": t.team_critique.participant_id}, "POST",
     expect(admin=302, leader=302, outsider=404), lambda t: {"member": t.team_deputy.pk, "note": "分管领域"}),
]


def crawl_fixtures(tree, role_users, monkeypatch=None):
    """The objects MATRIX rows read; the visible-text crawl (tests/outputs) builds them too."""
    tree.member = services.member_save(actor=None, org=tree.village_a1, person=tree.person_a, post=Post.SECRETARY)
    tree.problem = rect_services.problem_create(actor=None, org=tree.town_a1, description="问题",
                                                source=Source.INSPECTION)
    # A campaign in which town A1's deputy writes a 书面述职.
    tree.team_campaign = make_campaign(tree, title="2026年度甲县班子成员书面述职")
    deputy = services.member_save(actor=None, org=tree.town_a1, post=Post.DEPUTY,
                                  person=make_person("TEAM-DEP", [tree.town_a1], name="王副书记"))
    services.written_reporters_set(actor=None, campaign=tree.team_campaign, members=[deputy])
    tree.team_deputy = deputy
    tree.team_critique, _ = rect_services.critique_save(
        actor=None, participant=tree.team_campaign.participants.get(org=tree.town_a1), strengths="亮点",
        problems="问题", suggestions="建议", create_problems=False)
    return tree


@pytest.mark.parametrize(("url_name", "kwargs", "method", "data", "expected"), matrix_cases(MATRIX))
def test_permission_matrix(client, tree, role_users, url_name, kwargs, method, data, expected):
    check_case(client, crawl_fixtures(tree, role_users), role_users, url_name, kwargs, method, data, expected)

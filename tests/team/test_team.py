"""Collective responsibility: 班子成员 with 一岗双责 items, named for problems; 组织部长 as 直接责任人."""

import pytest
from django.urls import reverse

from shuping.levels import drafting
from shuping.rectification import services as rect_services
from shuping.rectification.models import Source
from shuping.team import services
from shuping.team.models import Post

from ..builders import make_campaign, make_person

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(tree):
    deputy = make_person("DEP", [tree.town_a1], name="王副书记")
    minister = make_person("MIN", [tree.county_a], name="赵部长")
    return {
        "deputy": services.member_save(actor=None, org=tree.town_a1, person=deputy, post=Post.DEPUTY,
                                       duties="分管党建办，每季度专题研究党建工作1次\n联系软弱涣散村整顿"),
        "minister": services.member_save(actor=None, org=tree.county_a, person=minister, post=Post.ORG_MINISTER),
    }


def test_members_must_belong_to_the_unit_and_the_minister_sits_at_county_level(tree, team):
    outsider = make_person("OUT", [tree.town_b1], name="外单位")
    with pytest.raises(services.TeamError, match="不是甲一镇党委的人员"):
        services.member_save(actor=None, org=tree.town_a1, person=outsider, post=Post.MEMBER)
    with pytest.raises(services.TeamError, match="县级及以上"):
        services.member_save(actor=None, org=tree.town_a1, person=team["deputy"].person, post=Post.ORG_MINISTER)
    assert team["deputy"].duty_lines() == ["分管党建办，每季度专题研究党建工作1次", "联系软弱涣散村整顿"]


def test_a_problem_names_a_member_of_the_unit_or_a_superior_but_not_a_stranger(tree, team):
    problem = rect_services.problem_create(actor=None, org=tree.town_a1, description="软弱涣散村整顿进度慢",
                                           source=Source.INSPECTION)
    services.problem_name_member(actor=None, problem=problem, member=team["deputy"])
    services.problem_name_member(actor=None, problem=problem, member=team["minister"], note="直接责任")
    other = rect_services.problem_create(actor=None, org=tree.town_b1, description="台账不全", source=Source.INSPECTION)
    with pytest.raises(services.TeamError, match="不是乙一镇党委或其上级单位的班子成员"):
        services.problem_name_member(actor=None, problem=other, member=team["deputy"])
    assert {link.member.person.name for link in problem.responsible_members.all()} == {"王副书记", "赵部长"}


def test_org_page_shows_the_team_and_the_problem_page_names_members(tree, team, client, role_users):
    problem = rect_services.problem_create(actor=None, org=tree.town_a1, description="软弱涣散村整顿进度慢",
                                           source=Source.INSPECTION)
    client.force_login(role_users["admin"])
    page = client.get(reverse("orgs:detail", args=[tree.town_a1.pk])).content.decode()
    assert "班子成员与一岗双责" in page and "王副书记" in page and "联系软弱涣散村整顿" in page
    url = reverse("team:problem", args=[problem.pk])
    assert "赵部长" in client.get(url).content.decode()
    client.post(url, {"member": team["minister"].pk, "note": "组织部长直接责任"})
    assert "赵部长（甲县委组织部长（直接责任人））：组织部长直接责任" in client.get(url).content.decode()
    county = client.get(reverse("orgs:detail", args=[tree.county_a.pk])).content.decode()
    assert "组织部长赵部长是直接责任人" in county


def test_the_level_speech_names_the_organisers_minister(tree, team):
    campaign = make_campaign(tree)
    assert "组织部长赵部长同志履行直接责任" in drafting.build_speech(campaign).requirements[-1]


"""班子成员书面述职: chosen by the organiser, written and reviewed like a report, kept out of the
meeting, the ballots and the results, shown on the person page."""

import pytest
from django.urls import reverse

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import CampaignState, Participant, ParticipantKind
from shuping.reports.models import Report, ReportState
from shuping.team import services
from shuping.team.models import Post

from ..builders import make_campaign, make_person
from ..reports.conftest import level_reviewer

pytestmark = pytest.mark.django_db

TEXT = """甲一镇党委副书记落实一岗双责书面述职
一、履职情况
分管党建办，全年专题研究党建工作4次，联系软弱涣散村2个，整顿销号1个。
二、存在问题
一是督促分管领域党建工作不够经常。
"""


@pytest.fixture
def members(tree):
    deputy = make_person("DEP", [tree.town_a1], name="王副书记")
    organising = make_person("ORG", [tree.town_a1], name="李委员")
    other = make_person("OTH", [tree.town_b1], name="外县委员")
    return {
        "deputy": services.member_save(actor=None, org=tree.town_a1, person=deputy, post=Post.DEPUTY,
                                       duties="分管党建办\n联系软弱涣散村整顿"),
        "organising": services.member_save(actor=None, org=tree.town_a1, person=organising, post=Post.ORGANISING),
        "secretary": services.member_save(actor=None, org=tree.town_a1, post=Post.SECRETARY,
                                          person=make_person("SEC", [tree.town_a1], name="张书记")),
        "stranger": services.member_save(actor=None, org=tree.town_b1, person=other, post=Post.MEMBER),
    }


@pytest.fixture
def campaign(tree):
    campaign = make_campaign(tree)
    return campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.WRITING)


def test_organiser_chooses_members_who_write_submit_and_pass_the_same_review_chain(
        client, tree, campaign, members, role_users):
    client.force_login(role_users["admin"])
    url = reverse("team:written", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert "王副书记" in page and "李委员" in page and "分管党建办" in page and "外县委员" not in page
    response = client.post(url, {"member": [members["deputy"].pk]}, follow=True)
    assert "已保存：1 名班子成员书面述职（新增 1 名，取消 0 名）" in response.content.decode()
    written = Participant.every.get(campaign=campaign, kind=ParticipantKind.MEMBER)
    assert (written.org, written.secretary.name, written.member_post) == (tree.town_a1, "王副书记", "副书记")
    assert campaign.participants.count() == 2  # the meeting's reporters are still the two towns

    # The unit's writer finds it under 我的述职报告 and writes it in the ordinary editor.
    client.force_login(role_users["reporter"])
    mine = client.get(reverse("reports:list")).content.decode()
    assert "甲一镇党委 · 副书记王副书记书面述职" in mine
    assert client.post(reverse("reports:edit", args=[written.pk]), {"content": TEXT}).status_code == 302
    detail = client.get(reverse("reports:detail", args=[written.pk])).content.decode()
    assert "甲一镇党委副书记王副书记落实“一岗双责”书面述职" in detail and "不上会、不参加测评" in detail
    assert client.post(reverse("reports:submit", args=[written.pk])).status_code == 302

    # 待我审核 lists it; each level of the campaign's chain acts on it.
    reviewer = role_users["reviewer"]
    client.force_login(reviewer)
    queue = client.get(reverse("reports:list")).content.decode()
    assert "待我审核（1）" in queue and "王副书记（副书记书面述职）" in queue
    levels = campaign.review_levels.count()
    for level in range(1, levels + 1):
        client.force_login(level_reviewer(reviewer, level))
        assert client.post(reverse("reports:review", args=[written.pk]),
                           {"level": level, "decision": "approve", "comment": "同意"}).status_code == 302
    assert Report.objects.get(participant=written).state == ReportState.APPROVED

    # The campaign's report page lists it apart from the units' reports.
    client.force_login(role_users["admin"])
    overview = client.get(reverse("reports:campaign", args=[campaign.pk])).content.decode()
    assert "班子成员书面述职（不上会、不参加测评）" in overview and "副书记 王副书记" in overview
    # The person page shows it with the review state.
    person = client.get(reverse("orgs:person", args=[written.secretary.pk])).content.decode()
    assert "班子成员书面述职" in person and "甲一镇党委副书记" in person and "已通过" in person


def test_written_reports_stay_out_of_the_meeting_ballots_and_results(tree, campaign, members, client, role_users):
    from shuping.meetings import services as meeting_services
    from shuping.reports import services as report_services
    from shuping.reports.documents import parse_editor_text

    services.written_reporters_set(actor=None, campaign=campaign, members=[members["deputy"]])
    written = services.written_reporters(campaign).get()
    report_services.report_save(actor=role_users["reporter"], participant=written, blocks=parse_editor_text(TEXT),
                                source="editor")
    report_services.report_submit(actor=role_users["reporter"], participant=written)
    # A written report still in review does not hold the meeting up (it is not heard there).
    campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.REVIEW)
    campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.MEETING)
    meeting = meeting_services.meeting_create(actor=None, campaign=campaign, place="甲县委常委会议室")
    client.force_login(role_users["admin"])
    agenda = client.get(reverse("meetings:detail", args=[meeting.pk])).content.decode()
    assert "甲一镇党委" in agenda and "王副书记" not in agenda
    tally = campaign_services.campaign_tally(campaign)
    assert {row.participant for row in tally} == set(campaign.participants.values_list("pk", flat=True))
    assert written.pk not in {row.participant for row in tally}
    listing = client.get(reverse("campaigns:list")).content.decode()
    assert "王副书记" not in listing


def test_the_list_refuses_secretaries_and_outsiders_and_keeps_what_was_written(tree, campaign, members, role_users):
    from shuping.reports import services as report_services
    from shuping.reports.documents import parse_editor_text

    with pytest.raises(services.TeamError, match="是书记"):
        services.written_reporters_set(actor=None, campaign=campaign, members=[members["secretary"]])
    with pytest.raises(services.TeamError, match="不是本次考核的述职单位"):
        services.written_reporters_set(actor=None, campaign=campaign, members=[members["stranger"]])
    counts = services.written_reporters_set(actor=None, campaign=campaign,
                                            members=[members["deputy"], members["organising"]])
    assert counts == {"added": 2, "removed": 0, "total": 2}
    deputy = services.written_reporters(campaign).get(secretary=members["deputy"].person)
    report_services.report_save(actor=role_users["reporter"], participant=deputy, blocks=parse_editor_text(TEXT),
                                source="editor")
    with pytest.raises(services.TeamError, match="已开始撰写书面述职"):
        services.written_reporters_set(actor=None, campaign=campaign, members=[members["organising"]])
    assert services.written_reporters_set(actor=None, campaign=campaign, members=[members["deputy"]]) == {
        "added": 0, "removed": 1, "total": 1}
    campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.REVIEW)
    campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.MEETING)
    with pytest.raises(services.TeamError, match="评议会开始后"):
        services.written_reporters_set(actor=None, campaign=campaign, members=[])


def test_a_per_reporter_critique_names_a_member_and_the_letter_says_so(tree, client, role_users):
    import io

    import docx

    from shuping.rectification import services as rect_services

    deputy = services.member_save(actor=None, org=tree.town_a1, post=Post.DEPUTY,
                                  person=make_person("DEP2", [tree.town_a1], name="王副书记"))
    minister = services.member_save(actor=None, org=tree.county_a, post=Post.ORG_MINISTER,
                                    person=make_person("MIN2", [tree.county_a], name="赵部长"))
    stranger = services.member_save(actor=None, org=tree.town_b1, post=Post.MEMBER,
                                    person=make_person("STR2", [tree.town_b1], name="外镇委员"))
    campaign = make_campaign(tree)
    a1 = campaign.participants.get(org=tree.town_a1)
    critique, _ = rect_services.critique_save(actor=None, participant=a1, strengths="推行红色代办",
                                              problems="软弱涣散村整顿进度慢", suggestions="压实分管责任",
                                              create_problems=False)
    with pytest.raises(services.TeamError, match="不是甲一镇党委或其上级单位的班子成员"):
        services.critique_name_member(actor=None, critique=critique, member=stranger)

    client.force_login(role_users["admin"])
    url = reverse("team:critique", args=[a1.pk])
    page = client.get(url).content.decode()
    assert "王副书记" in page and "赵部长" in page and "外镇委员" not in page
    assert client.post(url, {"member": deputy.pk, "note": "软弱涣散村整顿"}).status_code == 302
    assert client.post(url, {"member": minister.pk}).status_code == 302
    assert client.post(url, {"member": stranger.pk}).status_code == 404  # not among the candidates
    critique_page = client.get(reverse("rectification:critique", args=[a1.pk])).content.decode()
    assert "王副书记（甲一镇党委副书记）：软弱涣散村整顿" in critique_page
    letter = client.get(reverse("rectification:critique_docx", args=[a1.pk]))
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(letter.content)).paragraphs)
    assert "四、班子成员责任" in text
    assert "王副书记同志（甲一镇党委副书记）落实“一岗双责”，对软弱涣散村整顿负责。" in text
    assert "赵部长同志（甲县委组织部长（直接责任人））落实“一岗双责”负有相应责任。" in text
    link = critique.responsible_members.get(member=minister)
    assert client.post(url, {"remove": link.pk}).status_code == 302
    assert list(critique.responsible_members.values_list("member__person__name", flat=True)) == ["王副书记"]


def test_demo_registers_the_team_and_a_written_report_waiting_for_review(tree, role_users):
    import types

    from shuping.accounts.scope import UserScope
    from shuping.reports.selectors import review_queue
    from shuping.team.demo import build_team_demo

    from ..builders import make_org

    town = make_org("QH-T01", tree.county_a, name="城关镇党委")
    campaign = make_campaign(tree, title="2026年度清河县抓基层党建述职评议考核", participants=[town, tree.town_a1])
    campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.WRITING)
    context = types.SimpleNamespace(county=tree.county_a, users={"reporter": ("reporter", "")}, links=[])
    build_team_demo(context)
    build_team_demo(context)  # idempotent
    assert {p.secretary.name for p in services.written_reporters(campaign)} == {"陈立新", "刘晓梅"}
    assert services.accountability(tree.county_a)["minister"].person.name == "周明远"
    reviewer = role_users["reviewer"]
    queue = review_queue(UserScope(reviewer), reviewer)
    assert [r.participant.secretary.name for r in queue] == ["陈立新"]
    assert "落实“一岗双责”书面述职" in queue[0].participant.report_title


def test_removing_a_unit_takes_its_unwritten_member_reports_along_but_not_written_ones(tree, campaign, members,
                                                                                       role_users):
    from shuping.reports import services as report_services
    from shuping.reports.documents import parse_editor_text

    services.written_reporters_set(actor=None, campaign=campaign, members=[members["deputy"], members["organising"]])
    unit = campaign.participants.get(org=tree.town_a1)
    deputy = services.written_reporters(campaign).get(secretary=members["deputy"].person)
    report_services.report_save(actor=role_users["reporter"], participant=deputy, blocks=parse_editor_text(TEXT),
                                source="editor")
    with pytest.raises(campaign_services.CampaignError, match="已撰写书面述职"):
        campaign_services.participant_remove(actor=None, participant=unit)
    Participant.every.filter(pk=deputy.pk).delete()
    campaign_services.participant_remove(actor=None, participant=unit)
    assert not services.written_reporters(campaign).exists()
    assert list(campaign.participants.values_list("org", flat=True)) == [tree.town_a2.pk]

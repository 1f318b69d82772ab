"""Result-use rules (细则): proposals after publication, confirm/reject, person page, cadre export."""

import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import Campaign, CampaignState
from shuping.orgs import services as org_services
from shuping.routine.models import ResultUse, UseKind
from shuping.uses import services
from shuping.uses.models import Condition, ProposalStatus, UseProposal

from ..builders import make_campaign, make_person

pytestmark = pytest.mark.django_db


def publish(campaign, grades: dict, vetoed=()):
    """Publish through the real service, with routine scores that give the wanted grades."""
    scores = {"好": "95", "较好": "85", "一般": "70", "差": "40"}
    campaign_services.campaign_configure(actor=None, campaign=campaign, quota_good=None)
    for participant in campaign.participants.select_related("org"):
        org = participant.org
        campaign_services.participant_update(actor=None, participant=participant,
                                             routine_score=Decimal(scores[grades[org]]),
                                             vetoed=org in vetoed, veto_reason="严重违纪" if org in vetoed else "")
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.SCORING)
    campaign.refresh_from_db()
    return campaign_services.campaign_publish(actor=None, campaign=campaign)


@pytest.fixture
def secretaries(tree):
    people = []
    for code, org, name in (("S1", tree.town_a1, "张一"), ("S2", tree.town_a2, "李二")):
        person = make_person(code, [org], name=name, position=f"{org.name}书记")
        org_services.org_update(actor=None, org=org, secretary=person)
        people.append(person)
    return people


@pytest.fixture
def rules(tree):
    return [
        services.rule_create(actor=None, organiser=tree.county_a, condition=Condition.GRADE, grade="差",
                             use_kind=UseKind.TALK, measure="约谈，当年不得评先评优", basis="《结果运用实施细则》第五条"),
        services.rule_create(actor=None, organiser=tree.city, condition=Condition.CONSECUTIVE, grade="好", years=2,
                             use_kind=UseKind.HONOUR, measure="优先推荐评先", basis="市《细则》第三条"),
        services.rule_create(actor=None, organiser=tree.county_a, condition=Condition.VETO, use_kind=UseKind.ADMONISH,
                             measure="诫勉"),
    ]


def test_publication_proposes_uses_by_the_rules_of_the_organiser_and_above(tree, secretaries, rules):
    last_year = make_campaign(tree, title="2025年度考核", year=2025)
    publish(last_year, {tree.town_a1: "好", tree.town_a2: "好"})
    assert {(p.person.name, p.rule.measure) for p in UseProposal.objects.all()} == set()  # 好 once is not twice
    campaign = make_campaign(tree, previous=last_year)
    publish(campaign, {tree.town_a1: "好", tree.town_a2: "差"})
    proposals = {(p.person.name, p.rule.measure) for p in UseProposal.objects.filter(
        result__version__campaign=campaign)}
    assert proposals == {("张一", "优先推荐评先"), ("李二", "约谈，当年不得评先评优")}


def test_a_veto_proposes_admonishment(tree, secretaries, rules):
    campaign = make_campaign(tree)
    publish(campaign, {tree.town_a1: "较好", tree.town_a2: "较好"}, vetoed=[tree.town_a2])
    # the veto caps the grade at 差, so the 差 rule applies as well
    assert {(p.person.name, p.rule.measure) for p in UseProposal.objects.all()} == {
        ("李二", "诫勉"), ("李二", "约谈，当年不得评先评优")}


def test_no_proposals_before_publication(tree, rules):
    with pytest.raises(services.UseError, match="结果发布后"):
        services.proposals_generate(actor=None, campaign=make_campaign(tree))


def test_confirm_records_a_use_and_reject_needs_a_reason(tree, secretaries, rules, role_users):
    campaign = make_campaign(tree)
    publish(campaign, {tree.town_a1: "差", tree.town_a2: "差"})
    first, second = UseProposal.objects.order_by("person__code")
    with pytest.raises(services.UseError, match="必须说明理由"):
        services.proposal_decide(actor=None, proposal=second, confirm=False)
    services.proposal_decide(actor=role_users["admin"], proposal=first, confirm=True, document="甲组干〔2027〕1号")
    services.proposal_decide(actor=role_users["admin"], proposal=second, confirm=False, reason="已调离，不再适用")
    use = ResultUse.objects.get()
    assert (use.person.name, use.kind, use.document) == ("张一", UseKind.TALK, "甲组干〔2027〕1号")
    assert "约谈，当年不得评先评优" in use.note and "第五条" in use.note
    with pytest.raises(services.UseError, match="已处理"):
        services.proposal_decide(actor=None, proposal=first, confirm=True)
    second.refresh_from_db()
    assert (second.status, second.reason) == (ProposalStatus.REJECTED, "已调离，不再适用")


def test_a_correction_lapses_undecided_proposals_and_proposes_anew(tree, secretaries, rules):
    campaign = make_campaign(tree)
    publish(campaign, {tree.town_a1: "差", tree.town_a2: "较好"})
    participant = campaign.participants.get(org=tree.town_a1)
    campaign.refresh_from_db()
    campaign_services.campaign_correct(actor=None, campaign=campaign, reason="日常考核分录入有误", changes=lambda: (
        campaign_services.participant_update(actor=None, participant=participant, routine_score=Decimal("85"))))
    statuses = sorted((p.result.version.number, p.status) for p in UseProposal.objects.all())
    assert statuses == [(1, ProposalStatus.REJECTED)]  # no longer 差: nothing new to propose


def test_pages_confirm_and_export_in_the_cadre_office_layout(tree, secretaries, rules, client, role_users):
    campaign = make_campaign(tree)
    publish(campaign, {tree.town_a1: "差", tree.town_a2: "较好"})
    client.force_login(role_users["admin"])
    page = client.get(reverse("uses:campaign", args=[campaign.pk])).content.decode()
    assert "张一" in page and "约谈，当年不得评先评优" in page and "待确认" in page
    proposal = UseProposal.objects.get()
    client.post(reverse("uses:decide", args=[proposal.pk]), {"decision": "reject", "reason": ""})
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.PROPOSED
    client.post(reverse("uses:decide", args=[proposal.pk]), {"decision": "confirm", "document": "甲组干〔2027〕1号"})
    sheet = openpyxl.load_workbook(io.BytesIO(client.get(reverse("uses:export", args=[campaign.pk])).content)).active
    rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == ["姓名", "职务", "年度", "等次", "运用方式", "依据"]
    assert rows[1][:5] == ["张一", "甲一镇党委书记", 2026, "差", "约谈：约谈，当年不得评先评优"]
    assert "2026年度" in rows[1][5] and "等次为“差”" in rows[1][5] and "第五条" in rows[1][5]
    person_page = client.get(reverse("orgs:person", args=[secretaries[0].pk])).content.decode()
    assert "约谈" in person_page and "甲组干〔2027〕1号" in person_page


def test_rules_page_creates_a_rule_with_chinese_errors(tree, client, role_users):
    client.force_login(role_users["admin"])
    response = client.post(reverse("uses:rules"), {"organiser": tree.county_a.pk, "condition": "grade", "grade": "",
                                                   "years": 2, "use_kind": "talk", "measure": "约谈"})
    assert "请选择等次" in response.content.decode()
    client.post(reverse("uses:rules"), {"organiser": tree.county_a.pk, "condition": "grade", "grade": "差",
                                        "years": 2, "use_kind": "talk", "measure": "约谈"})
    assert "等次为“差”" in client.get(reverse("uses:rules")).content.decode()



import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from shuping.audit.models import AuditEntry
from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import Campaign, CampaignState, ParticipantResult
from shuping.orgs import services as org_services
from shuping.routine import services
from shuping.routine.models import ResultUse, UseKind

from ..builders import make_campaign, make_person


@pytest.fixture
def published(routine):
    """A published 2025 campaign in which 甲一镇's secretary ranked first (较好: the 好 quota leaves no place)."""
    secretary = make_person("S-A1", [routine.town_a1], name="王建国")
    org_services.org_update(actor=None, org=routine.town_a1, secretary=secretary)
    campaign = make_campaign(routine, title="2025年度述职评议考核", year=2025)
    p1, p2 = campaign.participants.order_by("agenda_order")
    campaign_services.participant_update(actor=None, participant=p1, routine_score=Decimal(95))
    campaign_services.participant_update(actor=None, participant=p2, routine_score=Decimal(75))
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.SCORING)
    campaign.refresh_from_db()
    version = campaign_services.campaign_publish(actor=None, campaign=campaign)
    routine.secretary = secretary
    routine.result = ParticipantResult.objects.get(version=version, participant=p1)
    return routine


def test_person_page_shows_results_over_the_years_and_their_uses(published, client, role_users):
    services.result_use_create(actor=None, person=published.secretary, org=published.county_a, kind=UseKind.HONOUR,
                               decided_on=datetime.date(2026, 3, 15), document="甲组发〔2026〕5号",
                               note="评为优秀党组织书记", result=published.result)
    client.force_login(role_users["admin"])
    body = client.get(reverse("orgs:person", args=[published.secretary.pk])).content.decode()
    assert "历年考核结果与运用" in body and "2025年度述职评议考核" in body
    assert "95.00" in body and "较好" in body  # 好 quota 30 % of 2 = 0 places
    assert "评优评先" in body and "甲组发〔2026〕5号" in body
    assert reverse("routine:use_add", args=[published.secretary.pk]) in body
    # The leader reads, but cannot add.
    client.force_login(role_users["leader"])
    body = client.get(reverse("orgs:person", args=[published.secretary.pk])).content.decode()
    assert "评优评先" in body and reverse("routine:use_add", args=[published.secretary.pk]) not in body


def test_use_form_records_an_audited_use(published, client, role_users):
    client.force_login(role_users["admin"])
    url = reverse("routine:use_add", args=[published.secretary.pk])
    assert "2025年 2025年度述职评议考核：较好，乡镇组第1名" in client.get(url).content.decode()
    response = client.post(url, {"kind": "promotion", "decided_on": "2026-05-01", "document": "甲组干〔2026〕8号",
                                 "note": "提拔使用", "result": published.result.pk})
    assert response.status_code == 302
    use = ResultUse.objects.get()
    assert use.kind == UseKind.PROMOTION and use.result == published.result and use.org == published.county_a
    assert AuditEntry.objects.filter(action="routine.result_use").count() == 1
    assert "干部选拔任用" in client.get(reverse("routine:uses")).content.decode()


def test_a_result_of_someone_else_is_refused(published):
    other = make_person("S-X", [published.town_a2], name="李立新")
    with pytest.raises(services.RoutineError, match="不是该人员的"):
        services.result_use_create(actor=None, person=other, org=published.county_a, kind=UseKind.TALK,
                                   decided_on=datetime.date(2026, 3, 1), result=published.result)

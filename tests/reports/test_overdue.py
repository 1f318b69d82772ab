import datetime

import pytest
from django.urls import reverse
from freezegun import freeze_time

from shuping.reports import selectors, services
from shuping.reports.documents import parse_editor_text
from shuping.reports.models import Report, ReviewPlan

from .conftest import REPORT_V1, approve

pytestmark = pytest.mark.django_db


def test_participants_not_submitted_by_the_deadline_are_overdue(campaign, tree, role_users):
    ReviewPlan.objects.create(campaign=campaign, submission_deadline=datetime.date(2026, 12, 10))
    a1 = campaign.participants.get(org=tree.town_a1)
    a2 = campaign.participants.get(org=tree.town_a2)
    with freeze_time("2026-12-05 09:00"):
        services.report_save(actor=role_users["reporter"], participant=a1, source="editor",
                             blocks=parse_editor_text(REPORT_V1))
        services.report_submit(actor=role_users["reporter"], participant=a1)
        assert selectors.overdue_submissions(campaign) == []
    with freeze_time("2026-12-10 15:30"):  # 23:30 in Beijing: the deadline day itself is still in time
        assert selectors.overdue_submissions(campaign) == []
    with freeze_time("2026-12-11 08:00"):
        assert selectors.overdue_submissions(campaign) == [a2]
        # Written but never submitted is still overdue.
        services.report_save(actor=role_users["reporter"], participant=a2, source="editor",
                             blocks=parse_editor_text(REPORT_V1))
        assert selectors.overdue_submissions(campaign) == [a2]


def test_reviews_pending_past_their_level_deadline_are_overdue(client, submitted, campaign, role_users):
    # The default first level allows 3 days; the report was submitted "now" in the fixture.
    report = Report.objects.get(participant=submitted)
    start = report.level_started_at
    with freeze_time(start + datetime.timedelta(days=2, hours=23)):
        assert selectors.overdue_reviews(campaign) == []
    with freeze_time(start + datetime.timedelta(days=4)):
        overdue = selectors.overdue_reviews(campaign)
        assert [r.participant for r in overdue] == [submitted]
        assert overdue[0].level.order == 1 and overdue[0].overdue_days == 1
        client.force_login(role_users["admin"])
        html = client.get(reverse("reports:campaign", kwargs={"pk": campaign.pk})).content.decode()
        assert "第1级 党建科室负责人，超时 1 天" in html
        approve(submitted, role_users["reviewer"], 1)  # level 2 starts now, with its own 3 days
        assert selectors.overdue_reviews(campaign) == []

import datetime
from decimal import Decimal

import pytest

from shuping.campaigns.models import Campaign, CampaignState, ParticipantResult, ResultVersion, RubricTemplate
from shuping.levels import services

D = datetime.date


def launch(tree, template="general", **fields):
    """The city's 2026 plan: its own campaign with counties A and B reporting."""
    defaults = {"writing_from": D(2026, 11, 1), "review_until": D(2026, 12, 10), "meeting_from": D(2026, 12, 15),
                    "meeting_until": D(2027, 1, 20), "publish_until": D(2027, 1, 31)}
    defaults.update(fields)
    return services.plan_create(actor=None, organiser=tree.city, year=2026, title="2026年度联述联评联考方案",
                                template=RubricTemplate.objects.get(sector="") if template == "general" else template,
                                **defaults)


def publish_grades(campaign: Campaign, grades: dict, *, number: int = 1) -> ResultVersion:
    """Freeze hand-made grades (per org) without a meeting: the tree only reads results."""
    Campaign.objects.filter(pk=campaign.pk).update(state=CampaignState.PUBLISHED)
    version = ResultVersion.objects.create(campaign=campaign, number=number, data=[], content_hash="x" * 64,
                                           created_at=datetime.datetime(2027, 1, 5, tzinfo=datetime.UTC))
    for participant in campaign.participants.select_related("org"):
        if participant.org in grades:
            ParticipantResult.objects.create(version=version, participant=participant, grade=grades[participant.org],
                                             composite=Decimal("85"))
    return version


@pytest.fixture
def plan(tree):
    return launch(tree)


@pytest.fixture
def county_node(plan, tree):
    root = plan.nodes.get(parent__isnull=True)
    return services.node_create(actor=None, parent=root, organiser=tree.county_a, meeting_date=D(2027, 1, 5))


@pytest.fixture
def town_node(county_node, tree):
    return services.node_create(actor=None, parent=county_node, organiser=tree.town_a1, meeting_date=D(2026, 12, 20))

import datetime

import pytest

from shuping.campaigns.models import RubricTemplate
from shuping.levels import services

from ..dashboards.conftest import publish as publish_grades  # noqa: F401  (hand-made published grades)
from ..meetings.conftest import advance

D = datetime.date


def launch(tree, template="general", **fields):
    """The city's 2026 plan: its own campaign with counties A and B reporting."""
    defaults = {"writing_from": D(2026, 11, 1), "review_until": D(2026, 12, 10), "meeting_from": D(2026, 12, 15),
                    "meeting_until": D(2027, 1, 20), "publish_until": D(2027, 1, 31)}
    defaults.update(fields)
    return services.plan_create(actor=None, organiser=tree.city, year=2026, title="2026年度联述联评联考方案",
                                template=RubricTemplate.objects.get(sector="") if template == "general" else template,
                                **defaults)




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


def send_and_meet(town_node, delegate, sender):
    """`sender` sends `delegate` (scoring) to the town's campaign, which then opens its meeting."""
    from shuping.meetings import services as meeting_services

    delegation = services.delegation_appoint(actor=None, campaign=town_node.campaign, delegate=delegate,
                                             sent_by=sender)
    campaign = advance(town_node.campaign)
    meeting = meeting_services.meeting_create(actor=None, campaign=campaign, place="甲一镇会议室")
    meeting_services.credentials_issue(actor=None, meeting=meeting, group=campaign.evaluator_groups.get(code="QZ"),
                                       count=2)
    meeting_services.meeting_open(actor=None, meeting=meeting)
    return delegation

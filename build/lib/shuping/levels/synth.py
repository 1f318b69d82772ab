"""Campaign trees over the synthetic province (benchmarks): each year's top-level campaigns become
plans, every campaign below them a node under its nearest superior campaign."""

import datetime
from collections import defaultdict

from django.db import transaction

from shuping.campaigns.models import Campaign
from shuping.clock import now

from .models import Node, Plan


@transaction.atomic
def add_trees() -> int:
    """Idempotent: campaigns already in a plan are left alone. Returns the number of nodes created."""
    by_year: dict[int, list[Campaign]] = defaultdict(list)
    for campaign in (Campaign.objects.filter(level_node__isnull=True).select_related("organiser")
                     .order_by("year", "organiser__depth", "pk")):
        by_year[campaign.year].append(campaign)
    created = 0
    for year, campaigns in by_year.items():
        node_of_org: dict[int, Node] = {}
        for campaign in campaigns:  # superiors first (ordered by depth)
            ancestors = campaign.organiser.ancestor_ids()[:-1]
            parent = next((node_of_org[a] for a in reversed(ancestors) if a in node_of_org), None)
            if parent is None:
                day = datetime.date(year, 12, 1)
                plan = Plan.objects.create(
                    organiser=campaign.organiser, year=year, title=f"{year}年度{campaign.organiser.name}三级联述联评联考方案",
                    writing_from=day, review_until=day, meeting_from=day, meeting_until=datetime.date(year, 12, 31),
                    publish_until=datetime.date(year, 12, 31), created_at=now())
            else:
                plan = parent.plan
            node_of_org[campaign.organiser_id] = Node.objects.create(
                plan=plan, campaign=campaign, parent=parent, meeting_date=datetime.date(year, 12, 20), created_at=now())
            created += 1
    return created

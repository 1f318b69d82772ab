"""Writes of the dashboards app: applying the subordinate-results indicator (联考) to a campaign."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q

from shuping.audit.services import log_action
from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import Campaign, Participant, ParticipantResult
from shuping.clock import now

from .models import LinkageComponent
from .selectors import PUBLISHED, latest_versions

TWO = Decimal("0.01")
GOOD_GRADES = ("好", "较好")
DEFAULT_CAP = Decimal("2")


@dataclass
class LinkageRow:
    participant: Participant
    source_campaign: Campaign | None
    graded: int
    good: int
    good_share: Decimal | None
    points: Decimal
    applied: LinkageComponent | None


def linkage_rows(campaign: Campaign, cap: Decimal = DEFAULT_CAP) -> list[LinkageRow]:
    """For each participant: its own published campaign of the same year and kind (annual, or a mid-year
    专项述职 for a special campaign) and the 好/较好 share."""
    participants = list(campaign.participants.select_related("org", "linkage").order_by("agenda_order", "pk"))
    org_ids = [p.org_id for p in participants]
    sources = {}
    for c in Campaign.objects.filter(organiser_id__in=org_ids, year=campaign.year, kind=campaign.kind,
                                     state__in=PUBLISHED).order_by("created_at"):
        sources[c.organiser_id] = c  # the latest-created one wins if an org ran two
    counts = {
        row["version__campaign_id"]: row
        for row in ParticipantResult.objects.filter(
            version__in=latest_versions(campaign.year, campaign.kind),
            version__campaign_id__in=[c.pk for c in sources.values()]).exclude(grade="")
        .values("version__campaign_id")
        .annotate(graded=Count("pk"), good=Count("pk", filter=Q(grade__in=GOOD_GRADES))).order_by()
    }
    rows = []
    for p in participants:
        source = sources.get(p.org_id)
        c = counts.get(source.pk) if source else None
        graded, good = (c["graded"], c["good"]) if c else (0, 0)
        share = (Decimal(good) * 100 / graded).quantize(TWO, ROUND_HALF_UP) if graded else None
        points = (share / 100 * cap).quantize(TWO, ROUND_HALF_UP) if share is not None else Decimal("0.00")
        rows.append(LinkageRow(p, source, graded, good, share, points, getattr(p, "linkage", None)))
    return rows


@transaction.atomic
def linkage_apply(*, actor, campaign: Campaign, cap: Decimal = DEFAULT_CAP) -> list[LinkageRow]:
    """计入下级考核结果: add share × cap to each participant's bonus, replacing an earlier application.

    The bonus keeps whatever else the organiser entered: bonus = (bonus − previous points) + new points.
    participant_update locks the campaign and refuses once results are published; it audits each bonus.
    """
    if cap < 0 or cap > 100:
        raise ValidationError("满分应在 0 到 100 之间")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    rows = linkage_rows(campaign, cap)
    summary = []
    for row in rows:
        previous = row.applied.points if row.applied else Decimal("0")
        bonus = max(Decimal("0"), row.participant.bonus - previous) + row.points
        campaign_services.participant_update(actor=actor, participant=row.participant, bonus=bonus)
        LinkageComponent.objects.update_or_create(participant=row.participant, defaults={
            "source_campaign": row.source_campaign, "graded": row.graded, "good": row.good,
            "good_share": row.good_share, "cap": cap, "points": row.points, "applied_at": now(),
            "applied_by": actor if getattr(actor, "pk", None) else None,
        })
        summary.append({"org": row.participant.org.name, "share": row.good_share, "points": row.points,
                        "previous": previous})
    log_action("linkage.apply", actor=actor, obj=campaign, org=campaign.organiser,
               after={"cap": cap, "participants": summary})
    return linkage_rows(campaign, cap)

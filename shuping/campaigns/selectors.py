"""Reads of campaigns, always starting from the user's scope (anything outside answers 404)."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from shuping.orgs.models import Org

from .models import Campaign, Participant, ResultVisibility


def _within_any(prefix: str, paths: list[str]) -> Q:
    condition = Q(pk__in=[])
    for path in paths:
        condition |= Q(**{f"{prefix}path__gte": path, f"{prefix}path__lt": path[:-1] + "0"})
    return condition


def visible_campaigns(scope, permission: str = "campaign.view"):
    """Campaigns organised within the scope, or in which an org within the scope reports."""
    paths = scope.paths(permission)
    if not paths:
        return Campaign.objects.none()
    participating = Participant.objects.filter(_within_any("org__", paths)).values("campaign_id")
    return Campaign.objects.filter(_within_any("organiser__", paths) | Q(pk__in=participating)).select_related(
        "organiser"
    )


def managed_campaigns(scope):
    """Writes need campaign.manage on the organiser, not just a participating org."""
    return Campaign.objects.filter(_within_any("organiser__", scope.paths("campaign.manage"))).select_related(
        "organiser"
    )


def campaign_for(scope, pk: int, perm: str = "campaign.view") -> Campaign:
    queryset = managed_campaigns(scope) if perm == "campaign.manage" else visible_campaigns(scope, perm)
    return get_object_or_404(queryset, pk=pk)


def sees_everything(scope, campaign: Campaign) -> bool:
    """Viewers of the organiser see live previews; participants only see published results."""
    return scope.covers(campaign.organiser, "campaign.view")


def result_version_for(campaign: Campaign, number: str, sees_everything: bool):
    """The result version a page or export shows: the one asked for (`?version=`), else the latest
    published one; None means the live preview, which only the organiser's side may see."""
    from . import services

    if number.isdigit():
        return get_object_or_404(campaign.result_versions, number=int(number))
    if campaign.is_frozen or not sees_everything:
        return services.latest_version(campaign)
    return None


def participant_rows(scope, campaign: Campaign, rows: list[dict]) -> list[dict]:
    """What a participant (someone who does not see the organiser's side) may see of a result table.

    The organiser's choice per campaign: own rows only (rank hidden), own rows with rank and the
    size of the ranking group, or the full table.
    """
    if campaign.result_visibility == ResultVisibility.FULL:
        return rows
    own = set(Participant.objects.filter(campaign=campaign, org__in=scope.orgs("campaign.view").values("pk"))
              .values_list("pk", flat=True))
    sizes: dict[str, int] = {}
    for row in rows:
        sizes[row["ranking_group"]] = sizes.get(row["ranking_group"], 0) + 1
    kept = []
    for row in rows:
        if row["participant"] not in own:
            continue
        row = dict(row)
        if campaign.result_visibility == ResultVisibility.OWN:
            row["rank"] = None
        else:
            row["group_size"] = sizes[row["ranking_group"]]
        kept.append(row)
    return kept


def organiser_choices(scope):
    """Orgs in the manage scope that have subordinates (a campaign needs someone to report)."""
    return scope.orgs("campaign.manage").filter(children__isnull=False).distinct().order_by("path")


def participant_candidates(campaign: Campaign):
    """Direct children of the organiser that do not report yet."""
    taken = campaign.participants.values("org_id")
    return Org.objects.filter(parent=campaign.organiser).exclude(pk__in=taken).order_by("sort_order", "code")

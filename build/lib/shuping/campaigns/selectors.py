"""Reads of campaigns, always starting from the user's scope (anything outside answers 404)."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from shuping.orgs.models import Org

from .models import Campaign, Participant


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


def organiser_choices(scope):
    """Orgs in the manage scope that have subordinates (a campaign needs someone to report)."""
    return scope.orgs("campaign.manage").filter(children__isnull=False).distinct().order_by("path")


def participant_candidates(campaign: Campaign):
    """Direct children of the organiser that do not report yet."""
    taken = campaign.participants.values("org_id")
    return Org.objects.filter(parent=campaign.organiser).exclude(pk__in=taken).order_by("sort_order", "code")

"""Reads for result-use rules and proposals, from the user's scope."""

from django.shortcuts import get_object_or_404

from .models import ProposalStatus, UseProposal, UseRule

PERM = "routine.manage"


def visible_rules(scope, permission: str = "routine.view"):
    return UseRule.objects.filter(organiser__in=scope.orgs(permission)).select_related("organiser")


def rule_for(scope, pk: int) -> UseRule:
    return get_object_or_404(visible_rules(scope, PERM), pk=pk)


def proposal_for(scope, pk: int) -> UseProposal:
    queryset = UseProposal.objects.filter(result__version__campaign__organiser__in=scope.orgs(PERM))
    return get_object_or_404(queryset.select_related("rule", "person", "result__version__campaign"), pk=pk)


def campaign_proposals(campaign):
    return (UseProposal.objects.filter(result__version__campaign=campaign)
            .select_related("rule", "person", "result__participant__org", "result__version__campaign", "use")
            .order_by("status", "result__participant__agenda_order", "pk"))


def confirmed(campaign):
    return campaign_proposals(campaign).filter(status=ProposalStatus.CONFIRMED).order_by(
        "result__participant__agenda_order", "pk")

"""The filtered 整改清单: one function for the problem list page and for its exports, which run
as background jobs and re-apply the same filters under the starter's scope."""

from django.db.models import Q
from django.shortcuts import get_object_or_404

from shuping.campaigns.models import Campaign
from shuping.core.http import int_param

from . import selectors
from .forms import FilterForm
from .models import OPEN_STATUSES


def org_choices(scope, permission: str):
    # Not sliced: a ModelChoiceField must be able to filter its queryset when validating.
    return scope.orgs(permission).order_by("path")


def filtered_rectifications(scope, data):
    """(form, queryset, campaign) for the query parameters `data`; a campaign outside the scope is a 404."""
    form = FilterForm(data or None, orgs=org_choices(scope, "problem.view"))
    queryset = selectors.visible_rectifications(scope)
    campaign = None
    if form.is_valid():
        data = form.cleaned_data
        queryset = selectors.within(queryset, data["org"])
        if data["status"] == "open":
            queryset = queryset.filter(status__in=OPEN_STATUSES)
        elif data["status"]:
            queryset = queryset.filter(status=data["status"])
        if data["source"]:
            queryset = queryset.filter(problem__source=data["source"])
        if data["category"]:
            queryset = queryset.filter(Q(problem__category=data["category"]) | Q(common__category=data["category"]))
        if data["campaign"]:
            campaign = get_object_or_404(Campaign.objects.filter(organiser__in=scope.orgs("campaign.view")),
                                         pk=data["campaign"])
            queryset = queryset.filter(Q(problem__campaign=campaign) | Q(problem__carry_overs__campaign=campaign)).distinct()
        if data["q"]:
            queryset = queryset.filter(Q(problem__description__icontains=data["q"]) | Q(common__title__icontains=data["q"]))
    return form, queryset, campaign


def scope_org(scope, data, permission: str = "problem.view"):
    pk = int_param(data.get("org"))
    return None if pk is None else get_object_or_404(scope.orgs(permission), pk=pk)


def export_title(scope, data, campaign) -> str:
    # The org named in the file goes through the scope like every other object: an org
    # outside it answers 404 instead of lending its name to the download.
    org = scope_org(scope, data)
    if campaign is not None:
        return f"{campaign.title}问题整改清单"
    return f"{org.name if org else ''}问题整改清单"

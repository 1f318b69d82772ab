"""Reads for problems and rectification, always starting from the user's scope (outside → 404)."""

import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404

from shuping.clock import today
from shuping.orgs.models import Org

from .models import (
    OPEN_STATUSES,
    CommonProblem,
    Critique,
    Evidence,
    Problem,
    Rectification,
    Reminder,
    SpotCheck,
    Status,
)


def _org_ids(scope, permission: str):
    return Org.objects.within_any(scope.paths(permission)).values("pk")


def visible_problems(scope, permission: str = "problem.view"):
    return Problem.objects.filter(org__in=_org_ids(scope, permission))


def problem_for(scope, pk: int, permission: str = "problem.view") -> Problem:
    queryset = visible_problems(scope, permission).select_related("org", "campaign", "participant", "common", "rectification")
    return get_object_or_404(queryset, pk=pk)


def visible_rectifications(scope, permission: str = "problem.view"):
    return Rectification.objects.filter(org__in=_org_ids(scope, permission))


def rectification_for(scope, pk: int, permission: str = "problem.view") -> Rectification:
    queryset = visible_rectifications(scope, permission).select_related("org", "owner", "problem", "common")
    return get_object_or_404(queryset, pk=pk)


def common_problems(scope, permission: str = "problem.view"):
    return CommonProblem.objects.filter(organiser__in=_org_ids(scope, permission))


def common_problem_for(scope, pk: int, permission: str = "problem.view") -> CommonProblem:
    return get_object_or_404(common_problems(scope, permission).select_related("organiser"), pk=pk)


def evidence_for(scope, pk: int) -> Evidence:
    """Evidence of an org outside the user's problem.view scope does not exist for him."""
    queryset = Evidence.objects.filter(progress__rectification__org__in=_org_ids(scope, "problem.view"))
    return get_object_or_404(queryset.select_related("progress__rectification"), pk=pk)


def spot_checks(scope):
    return SpotCheck.objects.filter(org__in=_org_ids(scope, "rectification.verify"))


def spot_check_for(scope, pk: int) -> SpotCheck:
    return get_object_or_404(spot_checks(scope).select_related("org"), pk=pk)


def within(queryset, org: Org | None, field: str = "org"):
    if org is None:
        return queryset
    return queryset.filter(**{f"{field}__path__gte": org.path, f"{field}__path__lt": org.path[:-1] + "0"})


def overdue(scope, org: Org | None = None):
    return within(visible_rectifications(scope), org).filter(status=Status.OVERDUE).select_related(
        "org", "owner", "problem", "common").order_by("deadline", "pk")


def due_soon(scope, org: Org | None = None, days: int = 7, day: datetime.date | None = None):
    day = day or today()
    return within(visible_rectifications(scope), org).filter(
        status__in=[Status.NOT_STARTED, Status.IN_PROGRESS], deadline__gte=day,
        deadline__lte=day + datetime.timedelta(days=days),
    ).select_related("org", "owner", "problem", "common").order_by("deadline", "pk")


def reminders(scope, org: Org | None = None, day: datetime.date | None = None):
    queryset = within(Reminder.objects.filter(org__in=_org_ids(scope, "problem.view")), org)
    if day is not None:
        queryset = queryset.filter(day=day)
    return queryset.select_related("rectification", "org", "person").order_by("-day", "org__path", "pk")


def reminders_for_user(user, day: datetime.date | None = None):
    """Reminders addressed to the signed-in person as owner, for their own page."""
    person = getattr(user, "person", None)
    if person is None:
        return Reminder.objects.none()
    queryset = Reminder.objects.filter(person=person)
    if day is not None:
        queryset = queryset.filter(day=day)
    return queryset.select_related("rectification", "org").order_by("-day", "pk")


def prior_problems_for(participant) -> list[Problem]:
    """What the participant's next report must answer: the org's problems from the previous
    campaign (open and closed) plus every still-open problem of the org from earlier, excluding
    problems found in this campaign itself."""
    campaign = participant.campaign
    condition = Q(rectification__status__in=OPEN_STATUSES)
    if campaign.previous_id:
        condition |= Q(campaign_id=campaign.previous_id)
    queryset = (
        Problem.objects.filter(org_id=participant.org_id).filter(condition)
        .exclude(campaign_id=campaign.pk).select_related("rectification", "campaign")
        .order_by("found_on", "pk")
    )
    return list(queryset)


def prior_problem_texts_by_participant(campaign, participants) -> dict[int, list[str]]:
    """prior_problem_texts for many participants of one campaign in one query (same rule)."""
    condition = Q(rectification__status__in=OPEN_STATUSES)
    if campaign.previous_id:
        condition |= Q(campaign_id=campaign.previous_id)
    by_org: dict[int, list[str]] = {}
    for org_id, description in (Problem.objects.filter(org_id__in={p.org_id for p in participants}).filter(condition)
                                .exclude(campaign_id=campaign.pk).order_by("found_on", "pk")
                                .values_list("org_id", "description")):
        by_org.setdefault(org_id, []).append(description)
    return {p.pk: [d for d in by_org.get(p.org_id, []) if d] for p in participants}


def prior_problem_texts(participant) -> list[str]:
    """The plain texts for textcheck.analyze(prior_problems=...)."""
    return [problem.description for problem in prior_problems_for(participant)]


def critique_for_participant(participant) -> Critique | None:
    return Critique.objects.filter(participant=participant).first()


def ledger(queryset):
    """Rectifications in ledger order with what the exports need."""
    return queryset.select_related("org", "owner", "problem", "common").prefetch_related("progress").order_by(
        "org__path", "pk")

from shuping.rectification.models import OPEN_STATUSES, Problem

from .models import Post
from .services import accountability


def org_team(request, org):
    """Context for the org page: the team with its 一岗双责 items and the problems each is named for."""
    if not request.scope.covers(org, "org.view"):
        return None
    data = accountability(org)
    can_manage = request.scope.covers(org, "org.manage")
    members = list(org.team_members.select_related("person").prefetch_related("problems__problem"))
    if not members and not can_manage:
        return None
    open_problems = Problem.objects.filter(org=org, rectification__status__in=OPEN_STATUSES).order_by("-found_on")[:20] \
        if request.scope.covers(org, "problem.manage") else []
    return {**data, "team": members, "can_manage": can_manage, "posts": Post.choices,
            "people": org.people.order_by("name") if can_manage else [], "open_problems": open_problems}


def person_written(request, person):
    """Context for the person page: the written 述职 this 班子成员 was asked for, with the review state."""
    from shuping.campaigns.models import Participant, ParticipantKind

    rows = [p for p in Participant.every.filter(kind=ParticipantKind.MEMBER, secretary=person)
            .select_related("campaign__organiser", "org", "report").order_by("-campaign__year", "-pk")
            if request.scope.covers(p.org, "report.view") or request.scope.covers(p.campaign.organiser, "report.view")]
    return {"rows": rows} if rows else None

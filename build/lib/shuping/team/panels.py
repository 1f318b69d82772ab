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

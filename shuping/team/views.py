from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from shuping.accounts.decorators import requires
from shuping.campaigns.models import Campaign, Participant
from shuping.core.http import error_text, int_param
from shuping.orgs.models import Org, Person
from shuping.rectification.models import Critique
from shuping.rectification.selectors import problem_for

from . import services
from .models import Post, TeamMember


def _org(request, pk, permission):
    org = get_object_or_404(Org, pk=pk)
    request.scope.require(org, permission)
    return org


@requires("org.manage")
@require_POST
def member_save(request, pk):
    org = _org(request, pk, "org.manage")
    person = get_object_or_404(Person.objects.filter(memberships__org=org), pk=int_param(request.POST.get("person")) or 0)
    try:
        services.member_save(actor=request.user, org=org, person=person, post=request.POST.get("post", Post.MEMBER),
                             duties=request.POST.get("duties", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已保存{person.name}的一岗双责事项。")
    return redirect("orgs:detail", org.pk)


@requires("org.manage")
@require_POST
def member_remove(request, pk):
    member = get_object_or_404(TeamMember.objects.select_related("org"), pk=pk)
    request.scope.require(member.org, "org.manage")
    services.member_remove(actor=request.user, member=member)
    return redirect("orgs:detail", member.org_id)


def _members_above(org):
    """The 班子成员 who may be named for something of `org`: its own team's and its superiors'."""
    return TeamMember.objects.filter(org_id__in=org.ancestor_ids()).select_related("person", "org") \
        .order_by("-org__depth", "order")


def _name_member(request, candidates, name, success: str) -> bool:
    """POST member + note → `name(member, note)`; True when named (a message says so), else an error message."""
    member = get_object_or_404(candidates, pk=int_param(request.POST.get("member")) or 0)
    try:
        name(member, request.POST.get("note", ""))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return False
    messages.success(request, success.format(name=member.person.name))
    return True


@requires("problem.manage")
def problem_members(request, pk):
    """Name a 班子成员 (of the unit or a superior) as responsible for a problem."""
    problem = problem_for(request.scope, pk, "problem.manage")
    candidates = _members_above(problem.org)
    if request.method == "POST" and _name_member(
            request, candidates, lambda member, note: services.problem_name_member(
                actor=request.user, problem=problem, member=member, note=note),
            "已将{name}列为该问题的责任人。"):
        return redirect("team:problem", problem.pk)
    return render(request, "team/problem.html", {
        "problem": problem, "candidates": candidates,
        "named": problem.responsible_members.select_related("member__person", "member__org"),
    })


@requires("campaign.manage")
def written(request, pk):
    """The organiser chooses which 班子成员 submit a written 述职 in a campaign."""
    campaign = get_object_or_404(Campaign.objects.select_related("organiser"), pk=pk)
    request.scope.require(campaign.organiser, "campaign.manage")
    candidates = services.written_candidates(campaign)
    if request.method == "POST":
        ids = {int_param(v) for v in request.POST.getlist("member")} - {None}
        allowed = {m.pk: m for _unit, members in candidates for m in members}
        chosen = [allowed[i] for i in ids if i in allowed]
        try:
            counts = services.written_reporters_set(actor=request.user, campaign=campaign, members=chosen)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已保存：{counts['total']} 名班子成员书面述职"
                                      f"（新增 {counts['added']} 名，取消 {counts['removed']} 名）。")
            return redirect("team:written", campaign.pk)
    chosen = {(p.org_id, p.secretary_id): p for p in
              services.written_reporters(campaign).select_related("report")}
    rows = [(unit, [(m, chosen.get((m.org_id, m.person_id))) for m in members]) for unit, members in candidates]
    return render(request, "team/written.html", {
        "campaign": campaign, "rows": rows, "editable": campaign.config_editable, "count": len(chosen),
        "can_manage": True, "tab": "written",
    })


@requires("critique.write")
def critique_members(request, pk):
    """Name 班子成员 (of the reporting unit or a superior) as answering for a per-reporter 点评."""
    participant = get_object_or_404(Participant.objects.select_related("campaign__organiser", "org", "secretary"), pk=pk)
    request.scope.require(participant.campaign.organiser, "critique.write")
    critique = get_object_or_404(Critique, participant=participant)
    candidates = _members_above(participant.org)
    named = critique.responsible_members.select_related("member__person", "member__org")
    if request.method == "POST" and request.POST.get("remove"):
        link = get_object_or_404(named, pk=int_param(request.POST["remove"]) or 0)
        services.critique_unname_member(actor=request.user, link=link)
        messages.success(request, f"已撤销{link.member.person.name}的点评责任。")
        return redirect("team:critique", participant.pk)
    if request.method == "POST" and _name_member(
            request, candidates, lambda member, note: services.critique_name_member(
                actor=request.user, critique=critique, member=member, note=note),
            "已在点评中将{name}列为责任人。"):
        return redirect("team:critique", participant.pk)
    return render(request, "team/critique.html", {
        "participant": participant, "campaign": participant.campaign, "critique": critique,
        "candidates": candidates, "named": named,
    })

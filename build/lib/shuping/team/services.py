"""Writes for 班子成员 and the problems they are named responsible for."""

from django.core.exceptions import ValidationError
from django.db import transaction

from shuping.audit.services import log_action, snapshot

from .models import Post, ProblemResponsibility, TeamMember


class TeamError(ValidationError):
    pass


@transaction.atomic
def member_save(*, actor, org, person, post: str, duties: str = "", order: int = 0) -> TeamMember:
    if not person.memberships.filter(org=org).exists():
        raise TeamError(f"{person.name}不是{org.name}的人员，请先在人员信息中加入该单位")
    if post == Post.ORG_MINISTER and org.unit_type not in ("county", "prefecture", "province"):
        raise TeamError("组织部长（直接责任人）只设在县级及以上党委")
    member, created = TeamMember.objects.update_or_create(org=org, person=person, defaults={
        "post": post, "duties": duties.strip(), "order": order})
    log_action("team.member_save", actor=actor, obj=member, org=org, after=snapshot(member))
    return member


@transaction.atomic
def member_remove(*, actor, member: TeamMember) -> None:
    before = snapshot(member)
    org = member.org
    member.delete()
    log_action("team.member_remove", actor=actor, object_type="team.teammember", object_id=before["id"],
               org=org, before=before)


@transaction.atomic
def problem_name_member(*, actor, problem, member: TeamMember, note: str = "") -> ProblemResponsibility:
    """A member of the unit's own team, or of a superior's (e.g. the 组织部长 as 直接责任人)."""
    if not problem.org.is_within(member.org):
        raise TeamError(f"{member.person.name}不是{problem.org.name}或其上级单位的班子成员")
    link, _created = ProblemResponsibility.objects.get_or_create(problem=problem, member=member,
                                                                 defaults={"note": note.strip()})
    log_action("team.problem_name", actor=actor, obj=problem, org=problem.org,
               after={"member": member.person.name, "post": member.get_post_display(), "note": note})
    return link


def accountability(org) -> dict:
    """Who answers for an org's party building: the committee, its secretary, its 组织部长."""
    members = list(TeamMember.objects.filter(org=org).select_related("person"))
    return {
        "org": org,
        "secretary": next((m for m in members if m.post == Post.SECRETARY), None) or org.secretary,
        "minister": next((m for m in members if m.post == Post.ORG_MINISTER), None),
        "members": [m for m in members if m.post not in (Post.SECRETARY, Post.ORG_MINISTER)],
    }

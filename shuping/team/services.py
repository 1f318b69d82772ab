"""Writes for 班子成员 and the problems they are named responsible for."""

from django.core.exceptions import ValidationError
from django.db import transaction

from shuping.audit.services import log_action, snapshot

from .models import CritiqueResponsibility, Post, ProblemResponsibility, TeamMember


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


@transaction.atomic
def critique_name_member(*, actor, critique, member: TeamMember, note: str = "") -> CritiqueResponsibility:
    """Name a member of the reporting unit's team (or of a superior's) in a per-reporter 点评."""
    org = critique.participant.org
    if not org.is_within(member.org):
        raise TeamError(f"{member.person.name}不是{org.name}或其上级单位的班子成员")
    link, created = CritiqueResponsibility.objects.update_or_create(critique=critique, member=member,
                                                                    defaults={"note": note.strip()})
    log_action("team.critique_name", actor=actor, obj=critique, org=org,
               after={"member": member.person.name, "post": member.get_post_display(), "note": note.strip()})
    return link


@transaction.atomic
def critique_unname_member(*, actor, link: CritiqueResponsibility) -> None:
    critique, name = link.critique, link.member.person.name
    link.delete()
    log_action("team.critique_unname", actor=actor, obj=critique, org=critique.participant.org,
               before={"member": name})


def accountability(org) -> dict:
    """Who answers for an org's party building: the committee, its secretary, its 组织部长."""
    members = list(TeamMember.objects.filter(org=org).select_related("person"))
    secretary = next((m.person for m in members if m.post == Post.SECRETARY), None) or org.secretary
    return {
        "org": org,
        "secretary": secretary,  # a Person: the registered 书记 member, else the org's secretary
        "minister": next((m for m in members if m.post == Post.ORG_MINISTER), None),
        "members": [m for m in members if m.post not in (Post.SECRETARY, Post.ORG_MINISTER)],
    }


# --- 班子成员书面述职 ---------------------------------------------------------------------------


def post_short(post: str) -> str:
    """「组织部长（直接责任人）」 → 「组织部长」: the post as a title beside a name."""
    return Post(post).label.split("（")[0] if post in Post.values else post


def written_candidates(campaign) -> list[tuple]:
    """(unit participant, [its 班子成员 other than the secretary]) for every unit reporting in the campaign."""
    from shuping.campaigns.models import Participant

    units = list(Participant.objects.filter(campaign=campaign).select_related("org", "secretary")
                 .order_by("agenda_order", "pk"))
    members: dict[int, list[TeamMember]] = {}
    for member in (TeamMember.objects.filter(org_id__in=[u.org_id for u in units]).exclude(post=Post.SECRETARY)
                   .select_related("person")):
        members.setdefault(member.org_id, []).append(member)
    return [(unit, members.get(unit.org_id, [])) for unit in units]


def written_reporters(campaign):
    """The 班子成员 asked for a written 述职 in this campaign (Participant rows of kind MEMBER)."""
    from shuping.campaigns.models import Participant, ParticipantKind

    return Participant.every.filter(campaign=campaign, kind=ParticipantKind.MEMBER)


@transaction.atomic
def written_reporters_set(*, actor, campaign, members: list[TeamMember]) -> dict[str, int]:
    """Ask exactly these 班子成员 for a written 述职 (no meeting, no ballot) that goes through the
    campaign's report review chain. Members no longer chosen are withdrawn unless they have written."""
    from shuping.campaigns.models import Participant, ParticipantKind, Presentation

    if not campaign.config_editable:
        raise TeamError("述职评议会开始后不能再调整班子成员书面述职名单")
    units = {p.org_id: p for p in Participant.objects.filter(campaign=campaign)}
    wanted = {}
    for member in members:
        unit = units.get(member.org_id)
        if unit is None:
            raise TeamError(f"{member.org.name}不是本次考核的述职单位，其班子成员不能参加书面述职")
        if member.post == Post.SECRETARY:
            raise TeamError(f"{member.person.name}是书记，已作为述职人述职")
        wanted[(member.org_id, member.person_id)] = (member, unit)
    existing = {(p.org_id, p.secretary_id): p for p in written_reporters(campaign).select_related("secretary")}
    removed = 0
    for key, participant in existing.items():
        if key in wanted:
            continue
        if participant.report_versions_exist():
            raise TeamError(f"{participant.secretary.name}已开始撰写书面述职，不能从名单中取消")
        participant.delete()
        removed += 1
    added = 0
    for key, (member, unit) in wanted.items():
        post = post_short(member.post)
        participant = existing.get(key)
        if participant is None:
            Participant.every.create(
                campaign=campaign, kind=ParticipantKind.MEMBER, org=member.org, secretary=member.person,
                member_post=post, ranking_group=unit.ranking_group, agenda_order=unit.agenda_order,
                presentation=Presentation.WRITTEN)
            added += 1
        elif participant.member_post != post:
            Participant.every.filter(pk=participant.pk).update(member_post=post)
    if added or removed:
        log_action("team.written_set", actor=actor, obj=campaign, org=campaign.organiser,
                   after={"added": added, "removed": removed, "total": len(wanted)})
    return {"added": added, "removed": removed, "total": len(wanted)}

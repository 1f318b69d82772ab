"""Reads of 三级联述联评联考: plans and nodes the user may see, and the superior's progress view
of every level with published results flowing up the tree."""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, OuterRef, Q, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404

from shuping.campaigns.models import (
    Campaign,
    CampaignState,
    Grade,
    Participant,
    ParticipantResult,
    ResultVersion,
)

from .models import Delegation, Node, Plan, Speech

GRADES = [g.value for g in Grade]
PUBLISHED = (CampaignState.PUBLISHED, CampaignState.ARCHIVED)
TWO = Decimal("0.01")


def visible_plans(scope, permission: str = "campaign.view"):
    """Plans whose organiser, or one of whose level campaigns, lies in the user's scope."""
    orgs = scope.orgs(permission).values("pk")
    nodes = Node.objects.filter(campaign__organiser__in=orgs).values("plan_id")
    return Plan.objects.filter(Q(organiser__in=orgs) | Q(pk__in=nodes)).select_related("organiser").distinct()


def plan_for(scope, pk: int, permission: str = "campaign.view") -> Plan:
    return get_object_or_404(visible_plans(scope, permission), pk=pk)


def node_for(scope, pk: int, permission: str = "campaign.view") -> Node:
    """A level campaign the user covers (a superior covers every level below it)."""
    node = get_object_or_404(Node.objects.select_related("plan", "parent__campaign", "campaign__organiser"), pk=pk)
    scope.require(node.campaign.organiser, permission)
    return node


def node_of(campaign: Campaign) -> Node | None:
    return Node.objects.filter(campaign=campaign).select_related("plan", "parent__campaign").first()


@dataclass
class LevelRow:
    node: Node
    depth: int
    participants: int = 0
    submitted: int = 0
    approved: int = 0
    held_at: object = None
    version: int | None = None
    grades: dict = field(default_factory=dict)  # this campaign's own published grades
    flowed: dict = field(default_factory=dict)  # own + every level below, as published
    violations: list = field(default_factory=list)

    @property
    def published(self) -> bool:
        return self.node.campaign.state in PUBLISHED

    @property
    def grade_list(self) -> list[int]:
        return [self.grades.get(g, 0) for g in GRADES]

    @property
    def flowed_list(self) -> list[int]:
        return [self.flowed.get(g, 0) for g in GRADES]

    @property
    def flowed_good_share(self) -> Decimal | None:
        total = sum(self.flowed_list)
        good = self.flowed.get("好", 0) + self.flowed.get("较好", 0)
        return (Decimal(good) * 100 / total).quantize(TWO, ROUND_HALF_UP) if total else None


def newest_versions(campaign_ids):
    """The newest version of each published campaign (a correction supersedes the earlier one)."""
    newest = ResultVersion.objects.filter(campaign=OuterRef("campaign")).order_by("-number").values("pk")[:1]
    return ResultVersion.objects.filter(campaign_id__in=campaign_ids, campaign__state__in=PUBLISHED,
                                        pk=Subquery(newest))


def progress_rows(plan: Plan, scope=None, *, check_limits: bool = True) -> list[LevelRow]:
    """Every level campaign of the plan (those within `scope` when given), in tree order.

    A fixed number of aggregate queries whatever the tree's size: counts per campaign, then the
    flow-up sums in Python over the nodes (a few hundred at most, never per village).
    """
    from shuping.meetings.models import Meeting
    from shuping.reports.models import Report, ReportState

    nodes = list(plan.nodes.select_related("campaign__organiser", "parent", "plan").order_by(
        "campaign__organiser__path"))
    ids = [n.campaign_id for n in nodes]
    participants = dict(Participant.objects.filter(campaign_id__in=ids).values("campaign_id")
                        .annotate(n=Count("pk")).values_list("campaign_id", "n").order_by())
    reports = {r["participant__campaign_id"]: r for r in Report.objects.filter(participant__campaign_id__in=ids, participant__kind="unit")
               .values("participant__campaign_id")
               .annotate(submitted=Count("pk", filter=Q(first_submitted_at__isnull=False)),
                         approved=Count("pk", filter=Q(state=ReportState.APPROVED))).order_by()}
    held = dict(Meeting.objects.filter(campaign_id__in=ids).values_list("campaign_id", "held_at"))
    versions = dict(newest_versions(ids).values_list("campaign_id", "number"))
    grades: dict[int, dict[str, int]] = {}
    for row in (ParticipantResult.objects.filter(version__in=newest_versions(ids)).exclude(grade="")
                .values("version__campaign_id", "grade").annotate(n=Count("pk")).order_by()):
        grades.setdefault(row["version__campaign_id"], {})[row["grade"]] = row["n"]
    depth0 = nodes[0].campaign.organiser.depth if nodes else 0
    rows = {}
    for n in nodes:
        r = reports.get(n.campaign_id, {})
        rows[n.pk] = LevelRow(
            node=n, depth=n.campaign.organiser.depth - depth0, participants=participants.get(n.campaign_id, 0),
            submitted=r.get("submitted", 0), approved=r.get("approved", 0), held_at=held.get(n.campaign_id),
            version=versions.get(n.campaign_id), grades=grades.get(n.campaign_id, {}),
        )
    # Results flow up: each level adds its own grades to itself and to every superior level.
    by_pk = {n.pk: n for n in nodes}
    for n in nodes:
        cursor = n
        while cursor is not None:
            target = rows[cursor.pk].flowed
            for grade, count in rows[n.pk].grades.items():
                target[grade] = target.get(grade, 0) + count
            cursor = by_pk.get(cursor.parent_id)
    result = [rows[n.pk] for n in nodes if scope is None or scope.covers(n.campaign.organiser, "campaign.view")]
    if check_limits:
        from .services import limit_violations

        for row in result:
            if not row.node.campaign.is_frozen:
                row.violations = limit_violations(row.node)
    return result


def delegation_for(user, pk: int) -> Delegation:
    """Only the delegate named in it may act on a delegation; to everyone else it does not exist."""
    delegation = Delegation.objects.select_related("campaign__organiser", "group", "sent_by").filter(pk=pk).first()
    if delegation is None or delegation.delegate_id != user.pk:
        raise Http404
    return delegation


def delegations_of(user):
    return Delegation.objects.filter(delegate=user).select_related("campaign__organiser", "sent_by").order_by(
        "-appointed_at")


def delegate_speeches(campaign: Campaign):
    """上级点评 for a campaign's results page: per delegation, the level text and per-reporter texts."""
    speeches = (Speech.objects.filter(campaign=campaign, delegation__isnull=False)
                .select_related("delegation__delegate", "delegation__sent_by", "participant__org",
                                "participant__secretary").order_by("delegation_id", "participant__agenda_order"))
    grouped: dict[int, dict] = {}
    for s in speeches:
        entry = grouped.setdefault(s.delegation_id, {"delegation": s.delegation, "level": None, "reporters": []})
        if s.participant_id is None:
            entry["level"] = s
        else:
            entry["reporters"].append(s)
    return list(grouped.values())


def own_speech(campaign: Campaign) -> Speech | None:
    return Speech.objects.filter(campaign=campaign, delegation__isnull=True, participant__isnull=True).first()


def attachable(parent: Node):
    """Subordinates' campaigns of the same year and kind that are in no plan yet."""
    organiser = parent.campaign.organiser
    return (Campaign.objects.filter(year=parent.campaign.year, kind=parent.campaign.kind, level_node__isnull=True)
            .filter(organiser__path__gt=organiser.path, organiser__path__lt=organiser.path[:-1] + "0")
            .select_related("organiser").order_by("organiser__path"))

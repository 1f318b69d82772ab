"""Writes of 三级联述联评联考: launching a plan, creating subordinate campaigns within the superior's
limits, applying subordinate results (联考), sending delegates (联评) and saving 点评 texts."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from shuping.audit.services import log_action, snapshot
from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import (
    Campaign,
    CampaignState,
    Participant,
    RubricTemplate,
)
from shuping.clock import document_date, now
from shuping.orgs.models import Org, UnitType

from .models import Delegation, Node, Plan, RubricPolicy, Speech

WEIGHTS = ("weight_meeting", "weight_democratic", "weight_routine")
# Scoring rules a subordinate campaign inherits from its superior's campaign.
INHERITED = (*WEIGHTS, "trim_min", "threshold_good", "threshold_fair", "threshold_average", "quota_good",
             "quota_fair", "veto_grade", "bonus_cap", "value_good", "value_fair", "value_average", "value_poor", "kind",
             "default_presentation")
INDICATOR_FIELDS = ("code", "name", "guidance", "max_score", "kind", "topic", "order")
SUPERIOR_GROUP_CODE = "SJ"
SUPERIOR_GROUP_NAME = "上级评议组"


class LevelError(ValidationError):
    pass


# ---- limits ----------------------------------------------------------------------------------


def limit_violations(node: Node) -> list[str]:
    """Why a subordinate campaign is outside what its plan and its superior allow (Chinese reasons)."""
    if node.parent_id is None:
        return []
    plan, campaign, superior = node.plan, node.campaign, node.parent.campaign
    reasons = []
    if node.meeting_date:
        if not plan.meeting_from <= node.meeting_date <= plan.meeting_until:
            reasons.append(f"述职评议会日期应在{document_date(plan.meeting_from)}至{document_date(plan.meeting_until)}之间")
        if node.parent.meeting_date and node.meeting_date > node.parent.meeting_date:
            reasons.append(f"述职评议会应在上级（{document_date(node.parent.meeting_date)}）之前召开，以便结果逐级汇总")
    for name in WEIGHTS:
        gap = abs(getattr(campaign, name) - getattr(superior, name))
        if gap > plan.weight_tolerance:
            label = Campaign._meta.get_field(name).verbose_name
            reasons.append(f"{label}与上级相差 {gap} 个百分点，超过方案允许的 {plan.weight_tolerance} 个百分点")
    if plan.rubric_policy != RubricPolicy.FREE:
        mine = {i.code: i for i in campaign.indicators.all()}
        for item in superior.indicators.all():
            own = mine.get(item.code)
            if own is None:
                reasons.append(f"缺少上级指标“{item.code} {item.name}”")
            elif (own.name, own.max_score, own.kind) != (item.name, item.max_score, item.kind):
                reasons.append(f"上级指标“{item.code} {item.name}”被改动（方案不允许）")
        if plan.rubric_policy == RubricPolicy.LOCKED:
            extra = set(mine) - set(superior.indicators.values_list("code", flat=True))
            if extra:
                reasons.append(f"方案要求沿用上级指标，不得增加指标（{'、'.join(sorted(extra))}）")
    return reasons


def _guard_within_limits(campaign: Campaign) -> list[str]:
    node = Node.objects.filter(campaign=campaign).select_related("plan", "parent__campaign").first()
    return limit_violations(node) if node else []


def register_guards() -> None:
    """Starting the writing stage or the meeting needs the campaign inside the superior's limits."""
    S = CampaignState
    for key in ((S.DRAFT, S.WRITING), (S.REVIEW, S.MEETING)):
        guards = campaign_services.TRANSITION_GUARDS.setdefault(key, [])
        if _guard_within_limits not in guards:
            guards.append(_guard_within_limits)


# ---- plan and tree ---------------------------------------------------------------------------

GROUP_NAMES = {
    UnitType.PREFECTURE: "县市区组", UnitType.COUNTY: "县市区组", UnitType.TOWNSHIP: "乡镇（街道）组",
    UnitType.STREET: "乡镇（街道）组", UnitType.PARK: "园区组", UnitType.DEPARTMENT: "部门组",
    UnitType.VILLAGE: "村（社区）组", UnitType.COMMUNITY: "村（社区）组",
}


def ranking_group_for(org: Org) -> str:
    return GROUP_NAMES.get(org.unit_type, "其他单位组")


# The default "县委常委" group named for the level that meets (a township has no 常委).
COMMITTEE_GROUP = {UnitType.PROVINCE: "省委常委", UnitType.PREFECTURE: "市（州）委常委", UnitType.COUNTY: "县委常委",
                   UnitType.TOWNSHIP: "乡镇党委班子成员", UnitType.STREET: "街道党工委班子成员",
                   UnitType.PARK: "园区党工委班子成员"}


def _name_committee_group(actor, campaign: Campaign) -> None:
    group = campaign.evaluator_groups.filter(code="CW").first()
    name = COMMITTEE_GROUP.get(campaign.organiser.unit_type, "党组织班子成员")
    if group is not None and group.name != name:
        campaign_services.evaluator_group_save(actor=actor, campaign=campaign, group=group, name=name)


def _add_children(actor, campaign: Campaign) -> int:
    children = Org.objects.filter(parent=campaign.organiser).order_by("sort_order", "code")
    for org in children:
        campaign_services.participant_add(actor=actor, campaign=campaign, org=org,
                                          ranking_group_name=ranking_group_for(org))
    return len(children)


def _validate_dates(plan: Plan) -> None:
    order = [plan.writing_from, plan.review_until, plan.meeting_from, plan.meeting_until, plan.publish_until]
    if order != sorted(order):
        raise LevelError("方案日程应依次为：报告撰写开始 ≤ 审核截止 ≤ 述职评议会最早日期 ≤ 最晚日期 ≤ 结果发布截止")


@transaction.atomic
def plan_create(*, actor, organiser: Org, year: int, title: str, writing_from, review_until, meeting_from,
                meeting_until, publish_until, template: RubricTemplate | None = None, meeting_date=None,
                **fields) -> Plan:
    """Launch the year: the plan and the organiser's own campaign at the top of the tree."""
    plan = Plan(organiser=organiser, year=year, title=title, writing_from=writing_from, review_until=review_until,
                meeting_from=meeting_from, meeting_until=meeting_until, publish_until=publish_until,
                created_at=now(), created_by=actor if getattr(actor, "pk", None) else None, **fields)
    plan.full_clean()
    _validate_dates(plan)
    plan.save()
    campaign = campaign_services.campaign_create(
        actor=actor, organiser=organiser, title=f"{year}年度{organiser.name}{plan.get_kind_display()}", year=year,
        template=template, kind=plan.kind,
    )
    _name_committee_group(actor, campaign)
    _add_children(actor, campaign)
    node = Node.objects.create(plan=plan, campaign=campaign, meeting_date=meeting_date or meeting_until,
                               created_at=now())
    problems = limit_violations(node)
    if problems:
        raise LevelError("；".join(problems))
    log_action("level.plan_create", actor=actor, obj=plan, org=organiser, after=snapshot(plan))
    return plan


@transaction.atomic
def node_create(*, actor, parent: Node, organiser: Org, meeting_date=None, title: str = "",
                **overrides) -> Node:
    """Create a subordinate level's campaign under `parent`, inheriting rubric, rules and dates."""
    plan = Plan.objects.select_for_update().get(pk=parent.plan_id)
    superior = parent.campaign
    if organiser.pk == superior.organiser_id or not organiser.is_within(superior.organiser):
        raise LevelError(f"“{organiser.name}”不是{superior.organiser.name}的下级单位")
    if not Org.objects.filter(parent=organiser).exists():
        raise LevelError(f"“{organiser.name}”没有下级组织，无需组织本级述职评议考核")
    if Node.objects.filter(plan=plan, campaign__organiser=organiser).exists():
        raise LevelError(f"“{organiser.name}”在本方案中已有考核")
    nearest = _nearest_node(plan, organiser)
    if nearest is not None and nearest.pk != parent.pk:
        raise LevelError(f"“{organiser.name}”的上级考核应为“{nearest.campaign.title}”")
    unknown = set(overrides) - set(WEIGHTS)
    if unknown:
        raise ValueError(f"not adjustable here: {unknown}")
    fields = {name: getattr(superior, name) for name in INHERITED}
    fields.update(overrides)
    campaign = campaign_services.campaign_create(
        actor=actor, organiser=organiser, year=superior.year, previous=_previous_campaign(organiser, superior),
        title=title or f"{superior.year}年度{organiser.name}{plan.get_kind_display()}", special_rubric=False, **fields,
    )
    for item in superior.indicators.all():
        campaign_services.indicator_save(actor=actor, campaign=campaign,
                                         **{f: getattr(item, f) for f in INDICATOR_FIELDS})
    _name_committee_group(actor, campaign)
    _add_children(actor, campaign)
    node = Node.objects.create(plan=plan, campaign=campaign, parent=parent,
                               meeting_date=meeting_date or parent.meeting_date, created_at=now())
    problems = limit_violations(node)
    if problems:
        raise LevelError("；".join(problems))
    log_action("level.node_create", actor=actor, obj=campaign, org=organiser,
               after={"plan": plan.pk, "parent_campaign": superior.pk, "meeting_date": str(node.meeting_date),
                      **{k: str(v) for k, v in overrides.items()}})
    return node


@transaction.atomic
def node_attach(*, actor, parent: Node, campaign: Campaign, meeting_date=None) -> Node:
    """Place a subordinate's existing campaign (e.g. launched before the plan) under `parent`."""
    plan = Plan.objects.select_for_update().get(pk=parent.plan_id)
    superior = parent.campaign
    organiser = campaign.organiser
    if organiser.pk == superior.organiser_id or not organiser.is_within(superior.organiser):
        raise LevelError(f"“{organiser.name}”不是{superior.organiser.name}的下级单位")
    if (campaign.year, campaign.kind) != (superior.year, superior.kind):
        raise LevelError("只能纳入同一年度、同一类型的考核")
    if Node.objects.filter(campaign=campaign).exists() or Node.objects.filter(
            plan=plan, campaign__organiser=organiser).exists():
        raise LevelError(f"“{organiser.name}”在方案中已有考核")
    nearest = _nearest_node(plan, organiser)
    if nearest is not None and nearest.pk != parent.pk:
        raise LevelError(f"“{organiser.name}”的上级考核应为“{nearest.campaign.title}”")
    node = Node.objects.create(plan=plan, campaign=campaign, parent=parent,
                               meeting_date=meeting_date or parent.meeting_date, created_at=now())
    problems = [] if campaign.is_frozen else limit_violations(node)
    if problems:
        raise LevelError("；".join(problems))
    log_action("level.node_attach", actor=actor, obj=campaign, org=organiser,
               after={"plan": plan.pk, "parent_campaign": superior.pk})
    return node


def _nearest_node(plan: Plan, organiser: Org) -> Node | None:
    """The plan's node whose organiser is the closest ancestor of `organiser`."""
    ancestors = organiser.ancestor_ids()[:-1]
    nodes = {n.campaign.organiser_id: n for n in plan.nodes.select_related("campaign").filter(
        campaign__organiser_id__in=ancestors)}
    for org_id in reversed(ancestors):
        if org_id in nodes:
            return nodes[org_id]
    return None


def _previous_campaign(organiser: Org, superior: Campaign) -> Campaign | None:
    return (Campaign.objects.filter(organiser=organiser, year=superior.year - 1, kind=superior.kind)
            .order_by("-created_at").first())


@transaction.atomic
def node_adjust(*, actor, node: Node, meeting_date=None, **weights) -> Node:
    """Adapt dates and weights; refused when the result would leave the superior's limits."""
    node = Node.objects.select_for_update(of=("self",)).select_related("plan", "parent", "campaign").get(pk=node.pk)
    before = {"meeting_date": str(node.meeting_date), **{k: str(getattr(node.campaign, k)) for k in weights}}
    if meeting_date is not None:
        node.meeting_date = meeting_date
    for name, value in weights.items():
        if name not in WEIGHTS:
            raise ValueError(name)
        setattr(node.campaign, name, value)
    problems = limit_violations(node)
    if problems:
        raise LevelError("；".join(problems))
    node.save(update_fields=["meeting_date"])
    if weights:
        campaign_services.campaign_configure(actor=actor, campaign=node.campaign, **weights)
    log_action("level.node_adjust", actor=actor, obj=node.campaign, org=node.campaign.organiser, before=before,
               after={"meeting_date": str(node.meeting_date), **{k: str(v) for k, v in weights.items()}})
    return node


def joint_apply(*, actor, node: Node):
    """联考: the plan's configured share of subordinate results goes into this campaign's bonus."""
    from shuping.dashboards.services import linkage_apply

    return linkage_apply(actor=actor, campaign=node.campaign, cap=node.plan.joint_cap)


# ---- delegates (联评) ---------------------------------------------------------------------------


@transaction.atomic
def delegation_appoint(*, actor, campaign: Campaign, delegate, sent_by: Org, scores: bool = True,
                       weight: Decimal = Decimal("20")) -> Delegation:
    """Name a delegate for a subordinate campaign; with `scores`, add the 上级评议组 (named, own weight)."""
    if campaign.organiser_id == sent_by.pk or not campaign.organiser.is_within(sent_by):
        raise LevelError(f"“{campaign.organiser.name}”不是{sent_by.name}的下级单位，不能派员")
    if campaign.is_frozen:
        raise LevelError("该考核结果已发布，不能再派员")
    if Delegation.objects.filter(campaign=campaign, delegate=delegate).exists():
        raise LevelError(f"已派{delegate.get_full_name() or delegate.username}参加该考核")
    group = None
    if scores:
        group = campaign.evaluator_groups.filter(code=SUPERIOR_GROUP_CODE).first()
        if group is None:
            if not campaign.config_editable:
                raise LevelError("述职评议会开始后不能再增加上级评议组；可取消“作为上级评议组打分”，只派员点评")
            group = campaign_services.evaluator_group_save(
                actor=actor, campaign=campaign, code=SUPERIOR_GROUP_CODE, name=SUPERIOR_GROUP_NAME, weight=weight,
                anonymous=False, order=campaign.evaluator_groups.count(),
            )
    delegation = Delegation.objects.create(
        campaign=campaign, delegate=delegate, sent_by=sent_by, scores=scores, group=group, appointed_at=now(),
        appointed_by=actor if getattr(actor, "pk", None) else None,
    )
    log_action("level.delegate_appoint", actor=actor, obj=campaign, org=campaign.organiser,
               after={"delegate": delegate.username, "sent_by": sent_by.name, "scores": scores,
                      "group": group.name if group else ""})
    return delegation


def delegate_name(user) -> str:
    person = getattr(user, "person", None)
    return (person.name if person else "") or user.get_full_name() or user.username


@transaction.atomic
def delegation_claim_card(*, delegation: Delegation) -> str:
    """Open the delegate's own named card in the delegate's browser; returns the device secret
    for the card cookie.

    The first claim issues the card; later claims (another computer, a lost cookie) rebind the
    same card, so ballots already cast stay and are replaced, never doubled. Only the meetings
    app's public services are used, and the card's token never leaves them.
    """
    from shuping.meetings import services as meeting_services
    from shuping.meetings.models import Credential, CredentialStatus, Meeting, MeetingStatus

    delegation = Delegation.objects.select_for_update(of=("self",)).select_related("campaign", "group").get(pk=delegation.pk)
    if not delegation.scores or delegation.group is None:
        raise LevelError("本次派员只点评，不打分")
    meeting = Meeting.objects.filter(campaign=delegation.campaign).first()
    if meeting is None:
        raise LevelError("该考核尚未安排述职评议会")
    if meeting.status == MeetingStatus.CLOSED:
        raise LevelError("会议已关闭，测评已结束")
    current = None
    if delegation.credential_id:
        current = Credential.objects.filter(pk=delegation.credential_id, status=CredentialStatus.ACTIVE).first()
    if current is None:
        current = meeting_services.credentials_issue(actor=delegation.delegate, meeting=meeting, group=delegation.group,
                                                     names=[delegate_name(delegation.delegate)])[0].credential
        delegation.credential = current
        delegation.save(update_fields=["credential"])
    device_secret, _voter = meeting_services.open_card_for_credential(current.pk)
    return device_secret


# ---- 点评 texts ---------------------------------------------------------------------------------


@transaction.atomic
def speech_save(*, actor, campaign: Campaign, achievements: str, problems: str, requirements: str,
                delegation: Delegation | None = None, participant: Participant | None = None) -> Speech:
    if participant is not None and participant.campaign_id != campaign.pk:
        raise LevelError("述职人不属于本次考核")
    speech = Speech.objects.select_for_update().filter(
        campaign=campaign, delegation=delegation, participant=participant).first()
    before = snapshot(speech, ["achievements", "problems", "requirements"]) if speech else None
    speech = speech or Speech(campaign=campaign, delegation=delegation, participant=participant)
    speech.achievements, speech.problems, speech.requirements = achievements, problems, requirements
    speech.author = actor if getattr(actor, "pk", None) else None
    speech.updated_at = now()
    speech.save()
    log_action("level.speech_save", actor=actor, obj=speech, org=campaign.organiser, before=before,
               after=snapshot(speech, ["achievements", "problems", "requirements"]))
    return speech

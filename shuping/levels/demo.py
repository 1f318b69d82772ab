"""Demo: 云川市委's 2025 plan over 清河县 (its published campaign) and 城关镇's village campaign, run
and published, with a county delegate's 上级点评, the county's level speech and the city's own
campaign drawing on the county's results (联考)."""

import datetime
import uuid
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from shuping.accounts.models import Role
from shuping.accounts.services import role_grant, user_create
from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import Campaign, CampaignState, RubricTemplate
from shuping.core.demo import DEMO_PASSWORD
from shuping.orgs.models import Org

from . import drafting, services
from .models import Plan
from .selectors import own_speech

S = CampaignState
ACTOR = "演示数据"
YEAR = 2025
D = datetime.date


def _user(username: str, full_name: str, role: str, org: Org):
    User = get_user_model()
    user = User.objects.filter(username=username).first() or user_create(
        actor=ACTOR, username=username, full_name=full_name, password=DEMO_PASSWORD, validate=False)
    role_grant(actor=ACTOR, user=user, role=role, org=org)
    return user


def _run_and_publish(campaign: Campaign, rng, *, strength=None) -> None:
    """Advance to the meeting, store every group's ballots, enter routine scores, publish."""
    for target in (S.WRITING, S.REVIEW, S.MEETING):
        campaign = campaign_services.campaign_transition(actor=ACTOR, campaign=campaign, to_state=target)
    indicators = [i for i in campaign.indicators.order_by("order") if i.is_scored_at_meeting]
    participants = list(campaign.participants.order_by("agenda_order"))
    level = {p.pk: (strength or {}).get(p.pk, rng.uniform(0.7, 0.97)) for p in participants}
    scores, votes = [], []
    for group in campaign.evaluator_groups.all():
        for _n in range(1 if group.code == services.SUPERIOR_GROUP_CODE else 5):
            for p in participants:
                values = {i.pk: min(i.max_score, (i.max_score * Decimal(str(round(level[p.pk] + rng.uniform(-0.05, 0.05), 2))))
                                    .quantize(Decimal("0.1"))) for i in indicators}
                scores.append((uuid.uuid4().hex, p.pk, group.pk, sum(values.values()), values))
                roll = level[p.pk] + rng.uniform(-0.1, 0.1)
                votes.append((p.pk, group.pk, "好" if roll > 0.88 else "较好" if roll > 0.76 else "一般"))
    campaign_services.ballots_store(actor=ACTOR, campaign=campaign, score_ballots=scores, democratic_votes=votes,
                                    source="paper", note="演示：纸质测评表录入")
    for p in participants:
        campaign_services.participant_update(actor=ACTOR, participant=p,
                                             routine_score=Decimal(rng.randint(7600, 9800)) / 100)
    campaign = campaign_services.campaign_transition(actor=ACTOR, campaign=campaign, to_state=S.SCORING)
    campaign_services.campaign_publish(actor=ACTOR, campaign=campaign, reason="演示：审定后公布")


def _send_evaluator(context, city) -> None:
    """The city sends the demo 评议人 to the county's open campaign to sit in and 点评: the 评议人's
    工作台 then shows the meeting (time, place) and the 上级点评 to write."""
    account = context.users.get(Role.EVALUATOR)
    evaluator = get_user_model().objects.filter(username=account[0]).first() if account else None
    open_campaign = (Campaign.objects.filter(organiser=context.county, kind="annual")
                     .exclude(state__in=("published", "archived")).order_by("-year").first())
    if evaluator is None or open_campaign is None or open_campaign.delegations.filter(delegate=evaluator).exists():
        return
    services.delegation_appoint(actor=ACTOR, campaign=open_campaign, delegate=evaluator, sent_by=city, scores=False)


@transaction.atomic
def build_levels_demo(context) -> None:
    county = context.county
    city, town = county.parent, Org.objects.get(code="QH-T01")
    city_admin = _user("city", "云川市委组织部管理员（演示）", Role.ADMIN, city)
    delegate = get_user_model().objects.get(username=context.users[Role.LEADER][0])
    plan = Plan.objects.filter(organiser=city, year=YEAR).first()
    if plan is None:
        plan = services.plan_create(
            actor=city_admin, organiser=city, year=YEAR, title=f"{YEAR}年度云川市抓基层党建工作三级联述联评联考方案",
            writing_from=D(2025, 11, 1), review_until=D(2025, 12, 15), meeting_from=D(2025, 12, 20),
            meeting_until=D(2026, 1, 25), publish_until=D(2026, 1, 31), meeting_date=D(2026, 1, 20),
            template=RubricTemplate.objects.get(sector=""))
    root = plan.nodes.get(parent__isnull=True)
    county_campaign = Campaign.objects.filter(organiser=county, year=YEAR, kind="annual").order_by("created_at").first()
    county_node = getattr(county_campaign, "level_node", None) if county_campaign else None
    if county_campaign is not None and county_node is None:
        county_node = services.node_attach(actor=city_admin, parent=root, campaign=county_campaign,
                                           meeting_date=D(2026, 1, 10))
    if county_node is None:
        return
    town_node = plan.nodes.filter(campaign__organiser=town).first()
    if town_node is None:
        town_node = services.node_create(actor=ACTOR, parent=county_node, organiser=town, meeting_date=D(2025, 12, 28))
        delegation = services.delegation_appoint(actor=ACTOR, campaign=town_node.campaign, delegate=delegate,
                                                 sent_by=county)
        _run_and_publish(town_node.campaign, context.rng)
        from shuping.rectification.drafting import build_draft

        for participant in town_node.campaign.participants.select_related("org").order_by("agenda_order")[:3]:
            draft = build_draft(participant)
            services.speech_save(actor=delegate, campaign=town_node.campaign, delegation=delegation,
                                 participant=participant, achievements="\n".join(draft.strengths),
                                 problems="\n".join(draft.problems), requirements="\n".join(draft.suggestions))
        speech = drafting.build_speech(town_node.campaign).as_text()
        services.speech_save(actor=delegate, campaign=town_node.campaign, delegation=delegation, **speech)
    if county_campaign.is_frozen and not own_speech(county_campaign):
        services.speech_save(actor=ACTOR, campaign=county_campaign, **drafting.build_speech(county_campaign).as_text())
    if not root.campaign.is_frozen:
        services.joint_apply(actor=city_admin, node=root)
        _run_and_publish(root.campaign, context.rng)
    _send_evaluator(context, city)
    context.links.append((f"三级联述联评联考（云川市委组织部账号 city / {DEMO_PASSWORD}）", f"/levels/{plan.pk}/"))
    context.links.append(("城关镇村级考核结果与县委派员的上级点评", f"/campaigns/{town_node.campaign.pk}/results/"))
    context.links.append(("清河县2025年度点评讲话", f"/levels/speech/{county_campaign.pk}/"))

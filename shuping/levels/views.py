"""三级联述联评联考 pages: plans, the level tree, read-only level campaigns, 点评讲话, delegates."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from shuping.accounts.decorators import requires
from shuping.campaigns.models import Participant, ParticipantResult
from shuping.campaigns.selectors import campaign_for, organiser_choices
from shuping.clock import today
from shuping.core.http import error_text, file_response, form_error_text
from shuping.meetings.views import card_opened
from shuping.orgs.models import Org
from shuping.team.services import accountability

from . import drafting, exports, selectors, services
from .forms import DelegationForm, NodeAdjustForm, NodeCreateForm, PlanForm, SpeechForm
from .models import Node, Speech

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@requires("campaign.view")
def plan_list(request):
    plans = selectors.visible_plans(request.scope).order_by("-year", "organiser__path")
    return render(request, "levels/plan_list.html", {
        "plans": plans, "can_create": request.scope.has("campaign.manage"),
        "delegations": selectors.delegations_of(request.user),
    })


@requires("campaign.manage")
def plan_create(request):
    organisers = organiser_choices(request.scope)
    year = today().year
    form = PlanForm(request.POST or None, organisers=organisers,
                    initial={"year": year, "title": f"{year}年度抓基层党建工作述职评议考核（三级联述联评联考）方案"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            plan = services.plan_create(actor=request.user, **data)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已发起“{plan.title}”，本级考核已建立。")
            return redirect("levels:plan", plan.pk)
    return render(request, "levels/plan_form.html", {"form": form})


@requires("campaign.view")
def plan_detail(request, pk):
    plan = selectors.plan_for(request.scope, pk)
    rows = selectors.progress_rows(plan, request.scope)
    return render(request, "levels/plan_detail.html", {"plan": plan, "rows": rows, "grades": selectors.GRADES})


def _can_manage(request, org) -> bool:
    return request.scope.covers(org, "campaign.manage")


def _delegate_candidates(node: Node):
    """Users holding a role on the superior level (not only inside the subordinate campaign's subtree)."""
    superior = node.parent.campaign.organiser if node.parent_id else None
    if superior is None:
        return get_user_model().objects.none()
    inside = Org.objects.within_path(node.campaign.organiser.path).values("pk")
    return (get_user_model().objects.filter(role_grants__org__in=superior.subtree().values("pk"), is_active=True)
            .exclude(role_grants__org__in=inside).distinct().order_by("username"))


def _node_context(request, node: Node) -> dict:
    campaign = node.campaign
    version = campaign.result_versions.order_by("-number").first() if campaign.is_frozen else None
    rows = (ParticipantResult.objects.filter(version=version).select_related("participant__org",
                                                                               "participant__secretary")
            .order_by("rank", "pk") if version else [])
    manage_here = _can_manage(request, campaign.organiser)
    children = list(node.children.select_related("campaign__organiser"))
    child_form = None
    if manage_here and not campaign.is_frozen:  # a published campaign gets no new subordinate campaign
        # Reporting orgs that have orgs below them and no campaign in the plan yet (no DISTINCT over a join).
        candidates = Org.objects.filter(
            pk__in=Org.objects.filter(parent_id__in=campaign.participants.values("org_id")).values("parent_id"),
        ).exclude(pk__in=node.plan.nodes.values("campaign__organiser_id")).order_by("sort_order", "code")
        if candidates.exists():
            child_form = NodeCreateForm(candidates=candidates)
    manage_above = node.parent_id is not None and _can_manage(request, node.parent.campaign.organiser)
    return {
        "node": node, "plan": node.plan, "campaign": campaign, "version": version, "rows": rows,
        "indicators": campaign.indicators.all(), "groups": campaign.evaluator_groups.all(),
        "participants": campaign.participants.select_related("org", "secretary", "ranking_group"),
        "violations": [] if campaign.is_frozen else services.limit_violations(node),
        "children": children,
        "delegations": campaign.delegations.select_related("delegate", "sent_by", "group"),
        "speeches": {"entries": selectors.delegate_speeches(campaign)},
        "child_form": child_form,
        "adjust_form": NodeAdjustForm(initial={"meeting_date": node.meeting_date, **{
            k: getattr(campaign, k) for k in services.WEIGHTS}}) if manage_here and node.parent_id
        and campaign.config_editable else None,
        "delegation_form": DelegationForm(users=_delegate_candidates(node)) if manage_above
        and not campaign.is_frozen else None,
        "attachable": selectors.attachable(node) if manage_here and not campaign.is_frozen else [],
        "can_joint": manage_here and bool(children) and not campaign.is_frozen and node.plan.joint_cap > 0,
        "can_speak": request.scope.covers(campaign.organiser, "critique.write"),
        "who": accountability(campaign.organiser),
    }


@requires("campaign.view")
def node_detail(request, pk):
    node = selectors.node_for(request.scope, pk)
    return render(request, "levels/node_detail.html", _node_context(request, node))


@requires("campaign.manage")
@require_POST
def node_create(request, pk):
    parent = selectors.node_for(request.scope, pk, "campaign.manage")
    candidates = Org.objects.filter(parent__isnull=False).within_path(parent.campaign.organiser.path)
    form = NodeCreateForm(request.POST, candidates=candidates)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("levels:node", parent.pk)
    try:
        node = services.node_create(actor=request.user, parent=parent, organiser=form.cleaned_data["organiser"],
                                    meeting_date=form.cleaned_data["meeting_date"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("levels:node", parent.pk)
    messages.success(request, f"已建立“{node.campaign.title}”，沿用上级指标和计分规则。")
    return redirect("levels:node", node.pk)


@requires("campaign.manage")
@require_POST
def node_attach(request, pk):
    parent = selectors.node_for(request.scope, pk, "campaign.manage")
    campaign = get_object_or_404(selectors.attachable(parent), pk=request.POST.get("campaign") or 0)
    try:
        node = services.node_attach(actor=request.user, parent=parent, campaign=campaign)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("levels:node", parent.pk)
    messages.success(request, f"已将“{campaign.title}”纳入方案。")
    return redirect("levels:node", node.pk)


@requires("campaign.manage")
@require_POST
def node_adjust(request, pk):
    node = selectors.node_for(request.scope, pk, "campaign.manage")
    form = NodeAdjustForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("levels:node", node.pk)
    data = form.cleaned_data
    try:
        services.node_adjust(actor=request.user, node=node, meeting_date=data.pop("meeting_date"), **data)
    except ValidationError as exc:
        messages.error(request, f"不能调整：{error_text(exc)}")
    else:
        messages.success(request, "已调整。")
    return redirect("levels:node", node.pk)


@requires("campaign.manage")
@require_POST
def joint_apply(request, pk):
    node = selectors.node_for(request.scope, pk, "campaign.manage")
    try:
        services.joint_apply(actor=request.user, node=node)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已按方案将下级考核结果（好和较好占比 × {node.plan.joint_cap} 分）计入加分。")
    return redirect("levels:node", node.pk)


@requires("campaign.manage")
@require_POST
def delegation_appoint(request, pk):
    node = selectors.node_for(request.scope, pk)
    if node.parent_id is None:
        raise Http404
    sender = node.parent.campaign.organiser
    request.scope.require(sender, "campaign.manage")
    form = DelegationForm(request.POST, users=_delegate_candidates(node))
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("levels:node", node.pk)
    data = form.cleaned_data
    try:
        services.delegation_appoint(actor=request.user, campaign=node.campaign, delegate=data["delegate"],
                                    sent_by=sender, scores=data["scores"], weight=data["weight"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, "已派员，派员登录后可在“我的派员任务”中参加会议、打分和点评。")
    return redirect("levels:node", node.pk)


# ---- the organiser's level-wide 点评讲话 -------------------------------------------------------


def _speech_initial(campaign, saved) -> dict:
    if saved is not None:
        return {"achievements": saved.achievements, "problems": saved.problems, "requirements": saved.requirements}
    return drafting.build_speech(campaign).as_text()


@requires("critique.write")
def speech(request, pk):
    campaign = campaign_for(request.scope, pk, "critique.write")
    request.scope.require(campaign.organiser, "critique.write")
    saved = selectors.own_speech(campaign)
    if request.method == "POST":
        form = SpeechForm(request.POST)
        if form.is_valid():
            services.speech_save(actor=request.user, campaign=campaign, **form.cleaned_data)
            messages.success(request, "点评讲话已保存。")
            return redirect("levels:speech", campaign.pk)
    elif request.GET.get("regenerate"):
        form = SpeechForm(initial=drafting.build_speech(campaign).as_text())
        messages.info(request, "已按最新数据重新生成草稿，保存后生效。")
    else:
        form = SpeechForm(initial=_speech_initial(campaign, saved))
    return render(request, "levels/speech.html", {
        "campaign": campaign, "form": form, "saved": saved, "title": drafting.speech_title(campaign),
        "node": selectors.node_of(campaign),
    })


@requires("critique.write")
def speech_docx(request, pk):
    campaign = campaign_for(request.scope, pk, "critique.write")
    request.scope.require(campaign.organiser, "critique.write")
    saved = selectors.own_speech(campaign)
    if saved is None:
        draft = drafting.build_speech(campaign).as_text()
        saved = Speech(campaign=campaign, **draft)
    content = exports.speech_docx(saved, title=drafting.speech_title(campaign))
    return file_response(content, f"{campaign.title}点评讲话.docx", DOCX)


# ---- delegate (上级派员) pages: only the named delegate, everyone else gets 404 -----------------


@requires(None)
def delegation_detail(request, pk):
    delegation = selectors.delegation_for(request.user, pk)
    from shuping.meetings.models import Meeting

    campaign = delegation.campaign
    mine = {s.participant_id: s for s in delegation.speeches.all()}
    participants = [(p, mine.get(p.pk)) for p in campaign.participants.select_related("org", "secretary")]
    return render(request, "levels/delegation.html", {
        "delegation": delegation, "campaign": campaign, "meeting": Meeting.objects.filter(campaign=campaign).first(),
        "participants": participants, "level": mine.get(None),
    })


def _delegation_board(request, pk, template):
    """The meeting's big screen as the hall sees it: counts while voting, the ranking after close."""
    from shuping.meetings.models import Meeting
    from shuping.meetings.selectors import board

    delegation = selectors.delegation_for(request.user, pk)
    meeting = Meeting.objects.filter(campaign=delegation.campaign).select_related("campaign").first()
    if meeting is None:
        raise Http404
    return render(request, template, {"meeting": meeting, **board(meeting),
                                      "live_url": reverse("levels:delegation_board_live", args=[delegation.pk])})


@requires(None)
def delegation_board(request, pk):
    return _delegation_board(request, pk, "meetings/board.html")


@requires(None)
def delegation_board_live(request, pk):
    return _delegation_board(request, pk, "meetings/_board_live.html")


@requires(None)
@require_POST
def delegation_card(request, pk):
    delegation = selectors.delegation_for(request.user, pk)
    try:
        device_secret = services.delegation_claim_card(delegation=delegation)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect("levels:delegation", delegation.pk)
    return card_opened(device_secret)


@requires(None)
def delegation_critique(request, pk, participant_pk):
    delegation = selectors.delegation_for(request.user, pk)
    participant = get_object_or_404(Participant.objects.select_related("org", "secretary"), pk=participant_pk,
                                    campaign=delegation.campaign)
    saved = delegation.speeches.filter(participant=participant).first()
    if request.method == "POST":
        form = SpeechForm(request.POST, reporter=True)
        if form.is_valid():
            try:
                services.speech_save(actor=request.user, campaign=delegation.campaign, delegation=delegation,
                                     participant=participant, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, f"已保存对{participant.org.name}的上级点评。")
                return redirect("levels:delegation", delegation.pk)
    elif saved is not None:
        form = SpeechForm(reporter=True, initial={"achievements": saved.achievements, "problems": saved.problems,
                                                  "requirements": saved.requirements})
    else:
        from shuping.rectification.drafting import build_draft

        draft = build_draft(participant)
        form = SpeechForm(reporter=True, initial={"achievements": "\n".join(draft.strengths),
                                                  "problems": "\n".join(draft.problems),
                                                  "requirements": "\n".join(draft.suggestions)})
    return render(request, "levels/delegation_speech.html", {
        "delegation": delegation, "participant": participant, "form": form,
        "heading": f"对{participant.org.name}{participant.secretary.name if participant.secretary else ''}的上级点评",
    })


@requires(None)
def delegation_level(request, pk):
    delegation = selectors.delegation_for(request.user, pk)
    campaign = delegation.campaign
    saved = delegation.speeches.filter(participant__isnull=True).first()
    if request.method == "POST":
        form = SpeechForm(request.POST)
        if form.is_valid():
            services.speech_save(actor=request.user, campaign=campaign, delegation=delegation, **form.cleaned_data)
            messages.success(request, "已保存上级点评讲话。")
            return redirect("levels:delegation", delegation.pk)
    else:
        form = SpeechForm(initial=_speech_initial(campaign, saved))
    return render(request, "levels/delegation_speech.html", {
        "delegation": delegation, "form": form, "heading": f"受{delegation.sent_by.name}委托对{campaign.title}的点评讲话",
    })


@requires(None)
def delegation_docx(request, pk):
    delegation = selectors.delegation_for(request.user, pk)
    campaign = delegation.campaign
    level = delegation.speeches.filter(participant__isnull=True).first() or Speech(
        campaign=campaign, **drafting.build_speech(campaign).as_text())
    reporters = delegation.speeches.filter(participant__isnull=False).select_related(
        "participant__org", "participant__secretary").order_by("participant__agenda_order")
    content = exports.speech_docx(level, title=drafting.speech_title(campaign),
                                  speaker=f"受{delegation.sent_by.name}委托　{services.delegate_name(request.user)}",
                                  reporters=reporters)
    return file_response(content, f"{campaign.title}上级点评.docx", DOCX)

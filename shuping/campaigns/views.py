from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from shuping.accounts.decorators import requires
from shuping.clock import today
from shuping.core.background import export_start, import_start
from shuping.core.http import error_text, is_htmx, xlsx_response
from shuping.orgs.models import Org

from . import excel, selectors, services
from .forms import (
    AddParticipantForm,
    BulkParticipantsForm,
    CampaignCreateForm,
    ConfigForm,
    CorrectionReasonForm,
    EvaluatorGroupForm,
    IndicatorForm,
    ParticipantScoreForm,
    PublishForm,
    TemplateChoiceForm,
    UploadForm,
    VisibilityForm,
)
from .models import (
    Campaign,
    CampaignState,
    EvaluatorGroup,
    Participant,
    Presentation,
    RankingGroup,
    ResultVisibility,
)

S = CampaignState




def _base_context(request, campaign: Campaign, tab: str) -> dict:
    return {
        "campaign": campaign,
        "tab": tab,
        "can_manage": request.scope.covers(campaign.organiser, "campaign.manage"),
        "sees_everything": selectors.sees_everything(request.scope, campaign),
    }


# ---- list, wizard, overview -----------------------------------------------------------------


@requires("campaign.view")
def campaign_list(request):
    campaigns = selectors.visible_campaigns(request.scope).annotate(n=Count("participants", filter=Q(participants__kind="unit")))
    return render(request, "campaigns/list.html", {
        "campaigns": campaigns,
        "can_create": selectors.organiser_choices(request.scope).exists(),
    })


@requires("campaign.manage")
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    organisers = selectors.organiser_choices(request.scope)
    if not organisers.exists():
        raise Http404
    form = CampaignCreateForm(request.POST or None, organisers=organisers,
                              initial={"year": today().year, "organiser": organisers.first()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=request.user, organiser=data["organiser"], title=data["title"], year=data["year"],
                kind=data["kind"], template=data["template"],
                **({"default_presentation": data["default_presentation"]} if data["default_presentation"] else {}),
            )
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已创建考核“{campaign.title}”。第二步：确定述职人和排名分组。")
            return redirect("campaigns:participants", campaign.pk)
    return render(request, "campaigns/create.html", {"form": form})


def _transition_options(campaign: Campaign) -> list[dict]:
    options = []
    for target, label in services.allowed_transitions(campaign):
        guards = services.TRANSITION_GUARDS.get((campaign.state, target), [])
        reasons = [reason for guard in guards for reason in guard(campaign)]
        options.append({"state": target, "label": label, "reasons": reasons})
    return options


@requires("campaign.view")
def campaign_detail(request, pk):
    campaign = selectors.campaign_for(request.scope, pk)
    context = _base_context(request, campaign, "overview")
    participants = campaign.participants.select_related("org", "secretary", "ranking_group")
    context.update({
        "groups": RankingGroup.objects.filter(campaign=campaign).annotate(
            n=Count("participants", filter=Q(participants__kind="unit"))),
        "participants": participants,
        "indicator_count": campaign.indicators.count(),
        "evaluator_groups": campaign.evaluator_groups.all(),
        "ballot_count": campaign.ballots.filter(is_test=False, total__isnull=False).count(),
        "vote_count": campaign.ballots.filter(is_test=False).exclude(democratic="").count(),
        "transitions": _transition_options(campaign) if context["can_manage"] else [],
        "publish_form": PublishForm() if campaign.state == S.SCORING else None,
        "publish_reasons": [r for g in services.TRANSITION_GUARDS.get((S.SCORING, S.PUBLISHED), []) for r in g(campaign)]
        if campaign.state == S.SCORING else [],
        "latest": services.latest_version(campaign),
    })
    return render(request, "campaigns/detail.html", context)


@requires("campaign.manage")
@require_POST
def campaign_transition(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    target = request.POST.get("to_state", "")
    if target not in S.values:
        messages.error(request, "未知的目标状态")
        return redirect("campaigns:detail", campaign.pk)
    try:
        campaign = services.campaign_transition(actor=request.user, campaign=campaign, to_state=target)
    except ValidationError as exc:
        messages.error(request, f"无法转到“{S(target).label}”：{error_text(exc)}")
    else:
        messages.success(request, f"考核已进入“{campaign.get_state_display()}”阶段")
    return redirect("campaigns:detail", campaign.pk)


# ---- participants -----------------------------------------------------------------------------


@requires("campaign.manage")
@require_http_methods(["GET", "POST"])
def participants(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    candidates = selectors.participant_candidates(campaign)
    children = Org.objects.filter(parent=campaign.organiser)
    type_counts = dict(children.values_list("unit_type").annotate(n=Count("pk")).order_by("unit_type"))
    action = request.POST.get("action")
    bulk_form = BulkParticipantsForm(request.POST if action == "bulk" else None, type_counts=type_counts,
                                     initial={"presentation": campaign.default_presentation})
    add_form = AddParticipantForm(request.POST if action == "add" else None, candidates=candidates,
                                  initial={"presentation": campaign.default_presentation})
    rows = list(campaign.participants.select_related("org", "secretary", "ranking_group"))
    if request.method == "POST":
        try:
            if action == "bulk" and bulk_form.is_valid():
                data = bulk_form.cleaned_data
                added = services.participants_bulk_add(
                    actor=request.user, campaign=campaign, unit_types=data["unit_types"],
                    ranking_group_name=data["ranking_group_name"].strip(), presentation=data["presentation"])
                messages.success(request, f"已加入 {len(added)} 个述职单位到“{data['ranking_group_name']}”")
                return redirect("campaigns:participants", campaign.pk)
            if action == "add" and add_form.is_valid():
                data = add_form.cleaned_data
                services.participant_add(actor=request.user, campaign=campaign, org=data["org"],
                                         ranking_group_name=data["ranking_group_name"].strip(),
                                         presentation=data["presentation"])
                messages.success(request, f"已加入：{data['org'].name}")
                return redirect("campaigns:participants", campaign.pk)
            if action == "order":
                _save_order(request, campaign, rows)
                messages.success(request, "已保存述职顺序与分组")
                return redirect("campaigns:participants", campaign.pk)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
    context = _base_context(request, campaign, "participants")
    context.update({
        "bulk_form": bulk_form, "add_form": add_form, "rows": rows,
        "ranking_groups": RankingGroup.objects.filter(campaign=campaign),
        "group_names": sorted({*RankingGroup.objects.filter(campaign=campaign).values_list("name", flat=True),
                               "乡镇组", "县直部门组"}),
        "presentations": Presentation.choices,
    })
    return render(request, "campaigns/participants.html", context)


def _save_order(request, campaign, rows):
    groups = {str(g.pk): g for g in RankingGroup.objects.filter(campaign=campaign)}
    with transaction.atomic():
        for p in rows:
            order = request.POST.get(f"order-{p.pk}", "")
            group = groups.get(request.POST.get(f"group-{p.pk}", ""))
            presentation = request.POST.get(f"presentation-{p.pk}", p.presentation)
            if not order.isdigit() or group is None or presentation not in Presentation.values:
                raise ValidationError(f"“{p.org.name}”的述职顺序、分组或述职方式无效")
            services.participant_update(actor=request.user, participant=p, agenda_order=int(order),
                                        ranking_group=group, presentation=presentation)


@requires("campaign.manage")
@require_POST
def participant_remove(request, pk, participant_pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    participant = get_object_or_404(Participant, campaign=campaign, pk=participant_pk)
    try:
        services.participant_remove(actor=request.user, participant=participant)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已移除：{participant.org.name}")
    return redirect("campaigns:participants", campaign.pk)


# ---- configuration ----------------------------------------------------------------------------


@requires("campaign.manage")
@require_http_methods(["GET", "POST"])
def config(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    form = ConfigForm(request.POST or None, instance=Campaign.objects.get(pk=campaign.pk))
    if request.method == "POST" and form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if not form.fields[name].disabled}
        try:
            services.campaign_configure(actor=request.user, campaign=campaign, **fields)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            messages.success(request, "计分规则已保存")
            return redirect("campaigns:config", campaign.pk)
    context = _base_context(request, campaign, "config")
    context["form"] = form
    return render(request, "campaigns/config.html", context)


# ---- rubric -----------------------------------------------------------------------------------


@requires("campaign.view")
def rubric(request, pk):
    campaign = selectors.campaign_for(request.scope, pk)
    context = _base_context(request, campaign, "rubric")
    context.update({
        "indicators": campaign.indicators.order_by("order", "code"),
        "editable": context["can_manage"] and campaign.config_editable,
        "template_form": TemplateChoiceForm(),
        "new_form": IndicatorForm(campaign=campaign, initial={"order": campaign.indicators.count() + 1}),
    })
    return render(request, "campaigns/rubric.html", context)


def _indicator(campaign, indicator_pk):
    return get_object_or_404(campaign.indicators, pk=indicator_pk)


@requires("campaign.view")
def indicator_row(request, pk, indicator_pk):
    campaign = selectors.campaign_for(request.scope, pk)
    context = _base_context(request, campaign, "rubric")
    context.update({"i": _indicator(campaign, indicator_pk), "editable": context["can_manage"] and campaign.config_editable})
    return render(request, "campaigns/_indicator_row.html", context)


@requires("campaign.manage")
@require_http_methods(["GET", "POST"])
def indicator_edit(request, pk, indicator_pk=None):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    indicator = _indicator(campaign, indicator_pk) if indicator_pk else None
    form = IndicatorForm(request.POST or None, instance=indicator, campaign=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.indicator_save(actor=request.user, campaign=campaign, indicator=indicator,
                                            **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, error_text(exc))
        else:
            if is_htmx(request):
                context = {"campaign": campaign, "i": saved, "editable": True}
                if indicator is None:
                    context["new_form"] = IndicatorForm(campaign=campaign,
                                                        initial={"order": campaign.indicators.count() + 1})
                    return render(request, "campaigns/_indicator_created.html", context)
                return render(request, "campaigns/_indicator_row.html", context)
            messages.success(request, f"已保存指标 {saved.code}")
            return redirect("campaigns:rubric", campaign.pk)
    if not is_htmx(request):
        template = "campaigns/indicator_form.html"
    else:
        template = "campaigns/_indicator_form_row.html" if indicator else "campaigns/_indicator_new.html"
    # htmx swaps only 2xx answers, so a form with errors comes back as 200.
    return render(request, template, {"campaign": campaign, "form": form, "i": indicator, "new_form": form})


@requires("campaign.manage")
@require_POST
def indicator_delete(request, pk, indicator_pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    indicator = _indicator(campaign, indicator_pk)
    try:
        services.indicator_delete(actor=request.user, indicator=indicator)
    except ValidationError as exc:
        if is_htmx(request):
            return HttpResponse(error_text(exc), status=409)
        messages.error(request, error_text(exc))
    if is_htmx(request):
        return HttpResponse("")
    return redirect("campaigns:rubric", campaign.pk)


@requires("campaign.manage")
@require_POST
def rubric_apply_template(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    form = TemplateChoiceForm(request.POST)
    if form.is_valid():
        try:
            count = services.rubric_apply_template(actor=request.user, campaign=campaign,
                                                   template=form.cleaned_data["template"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已应用模板“{form.cleaned_data['template'].name}”（{count} 个指标）")
    else:
        messages.error(request, "请选择指标模板")
    return redirect("campaigns:rubric", campaign.pk)


@requires("campaign.view")
@require_POST
def rubric_export(request, pk):
    campaign = selectors.campaign_for(request.scope, pk)
    return export_start(request, kind="campaigns.rubric_export", title=f"导出{campaign.title}指标体系",
                        params={"campaign": campaign.pk}, back_url=reverse("campaigns:rubric", args=[campaign.pk]))


def _upload(request, campaign, *, tab, title, intro, kind, back_url, template_url=None, template_post=False,
            extra=None):
    """The upload form; the file is imported by a background job (all or nothing, row errors on its page)."""
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        return import_start(request, form.cleaned_data["file"], kind=kind, title=title.removesuffix("（Excel）"),
                            params={"campaign": campaign.pk}, back_url=back_url)
    context = _base_context(request, campaign, tab)
    context.update({"form": form, "title": title, "intro": intro, "template_url": template_url,
                    "template_post": template_post})
    context.update(extra or {})
    return render(request, "campaigns/upload.html", context)


@requires("campaign.manage")
@require_http_methods(["GET", "POST"])
def rubric_import(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    return _upload(request, campaign, tab="rubric", title="导入指标体系（Excel）",
                   intro="工作表“指标”，列：指标编码、指标名称、类型（必答题/加分题/扣分项/一票否决）、满分、评分要点、对应主题、顺序。"
                         "以文件为准：文件中没有的指标将被删除。可先导出现有指标体系再修改。",
                   kind="campaigns.rubric_import", back_url=reverse("campaigns:rubric", args=[campaign.pk]),
                   template_url=reverse("campaigns:rubric_export", args=[campaign.pk]), template_post=True)


# ---- evaluator groups ---------------------------------------------------------------------------


@requires("campaign.manage")
@require_http_methods(["GET", "POST"])
def groups(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    existing = list(campaign.evaluator_groups.all())
    data = request.POST if request.method == "POST" else None
    forms_ = [EvaluatorGroupForm(data, instance=g, prefix=f"g{g.pk}") for g in existing]
    new_form = EvaluatorGroupForm(data, prefix="new", initial={"order": len(existing), "anonymous": True},
                                  use_required_attribute=False)
    editable = campaign.config_editable
    error = None
    if request.method == "POST":
        adding = bool(request.POST.get("new-code", "").strip() or request.POST.get("new-name", "").strip())
        checked = forms_ + ([new_form] if adding else [])
        if all(f.is_valid() for f in checked):
            kept = [f for f in checked if not f.cleaned_data.get("delete")]
            codes = [f.cleaned_data["code"] for f in kept]
            names = [f.cleaned_data["name"] for f in kept]
            if len(set(codes)) != len(codes) or len(set(names)) != len(names):
                error = "评议组的编码和名称不能重复"
            elif not kept:
                error = "至少保留一个评议组"
            else:
                try:
                    with transaction.atomic():
                        for f in checked:
                            fields = {k: v for k, v in f.cleaned_data.items() if k != "delete"}
                            if f.cleaned_data.get("delete"):
                                if f.instance.pk:
                                    services.evaluator_group_delete(actor=request.user, group=f.instance)
                            elif f.instance.pk is None or f.has_changed():
                                group = EvaluatorGroup.objects.get(pk=f.instance.pk) if f.instance.pk else None
                                services.evaluator_group_save(actor=request.user, campaign=campaign, group=group,
                                                              **fields)
                except ValidationError as exc:
                    error = error_text(exc)
                else:
                    messages.success(request, "评议组已保存")
                    return redirect("campaigns:groups", campaign.pk)
    context = _base_context(request, campaign, "groups")
    context.update({"forms": forms_, "new_form": new_form, "editable": editable, "error": error})
    return render(request, "campaigns/groups.html", context)


# ---- routine score, bonus, deduction, veto ------------------------------------------------------

SCORE_FIELDS = ["routine_score", "bonus", "deduction", "vetoed", "veto_reason"]


def _score_forms(campaign, data):
    rows = list(campaign.participants.select_related("org", "secretary", "ranking_group", "campaign")
                .order_by("ranking_group__order", "agenda_order"))
    derived = services.routine_derived(campaign)
    return [
        ParticipantScoreForm(data, prefix=f"p{p.pk}", participant=p, derived=derived.get(p.pk),
                             initial={name: getattr(p, name) for name in SCORE_FIELDS})
        for p in rows
    ]


def _apply_score_forms(actor, score_forms):
    for form in score_forms:
        if form.has_changed():
            services.participant_update(actor=actor, participant=form.participant,
                                        **{k: form.cleaned_data[k] for k in SCORE_FIELDS})


@requires("campaign.manage")
@require_http_methods(["GET", "POST"])
def scores(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    if campaign.is_frozen:
        messages.info(request, "结果已发布，如需修改日常考核得分、加扣分或一票否决，请发布更正版本")
        return redirect("campaigns:correct", campaign.pk)
    score_forms = _score_forms(campaign, request.POST if request.method == "POST" else None)
    if request.method == "POST" and all(f.is_valid() for f in score_forms):
        try:
            with transaction.atomic():
                _apply_score_forms(request.user, score_forms)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, "已保存")
            return redirect("campaigns:scores", campaign.pk)
    context = _base_context(request, campaign, "scores")
    context["score_forms"] = score_forms
    return render(request, "campaigns/scores.html", context)


# ---- ballots ----------------------------------------------------------------------------------


@requires("campaign.manage")
@require_http_methods(["GET", "POST"])
def ballots_import(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    return _upload(request, campaign, tab="ballots", title="导入测评票（Excel）",
                   intro="工作表“评分”列：评议人编号、评议组、述职人、指标编码、得分；工作表“民主测评”列：评议组、述职人、评价（好/较好/一般/差）。"
                         "述职人可填组织编码、述职单位名称或书记姓名（重名时须填组织编码）。只能在“会议”或“计分”阶段导入。",
                   kind="campaigns.ballots_import", back_url=reverse("campaigns:ballots_import", args=[campaign.pk]),
                   template_url=reverse("campaigns:ballots_template", args=[campaign.pk]),
                   extra={"batches": campaign.ballot_batches.all(), "batches_revocable": not campaign.is_frozen})


@requires("campaign.manage")
@require_POST
def ballot_batch_revoke(request, pk, batch_pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    batch = get_object_or_404(campaign.ballot_batches, pk=batch_pk)
    try:
        deleted = services.ballot_batch_revoke(actor=request.user, batch=batch)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, f"已撤销批次“{batch.file_name}”，删除测评票 {deleted} 张")
    return redirect("campaigns:ballots_import", campaign.pk)


@requires("campaign.manage")
def ballots_template(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    return xlsx_response(excel.ballot_template(campaign), f"{campaign.title}测评票模板.xlsx")


# ---- results, publishing, corrections -------------------------------------------------------------


def _version_for(request, campaign, sees_everything):
    return selectors.result_version_for(campaign, request.GET.get("version", ""), sees_everything)


@requires("campaign.view")
def results(request, pk):
    campaign = selectors.campaign_for(request.scope, pk)
    context = _base_context(request, campaign, "results")
    version = _version_for(request, campaign, context["sees_everything"])
    table = excel.result_table(campaign, version) if (version or context["sees_everything"]) else None
    if table is not None and not context["sees_everything"]:
        table = excel.ResultTable(rows=selectors.participant_rows(request.scope, campaign, table.rows),
                                  version=table.version)
    group_names = {g.code: g.name for g in campaign.evaluator_groups.all()}
    sections, chart = [], []
    if table is not None:
        by_group: dict[str, list] = {}
        for row in table.rows:
            by_group.setdefault(row["ranking_group"], []).append(row)
        for name, rows in by_group.items():
            sections.append({"name": name, "rows": rows, "index": len(sections)})
            ranked = [r for r in rows if r["composite"] is not None]
            chart.append({"name": name, "labels": [r["org"] for r in ranked],
                          "values": [r["composite"] for r in ranked], "grades": [r["grade"] for r in ranked]})
    context.update({
        "table": table, "sections": sections, "chart": chart,
        "group_columns": list(group_names.items()),
        "versions": campaign.result_versions.order_by("-number") if context["sees_everything"] or campaign.is_frozen
        else [],
        "publish_form": PublishForm() if campaign.state == S.SCORING and context["can_manage"] else None,
        "visibility_form": VisibilityForm(initial={"result_visibility": campaign.result_visibility})
        if context["can_manage"] else None,
    })
    return render(request, "campaigns/results.html", context)


@requires("campaign.view")
@require_POST
def results_export(request, pk):
    campaign = selectors.campaign_for(request.scope, pk)
    sees_everything = selectors.sees_everything(request.scope, campaign)
    version = _version_for(request, campaign, sees_everything)
    if version is None and not sees_everything:
        raise Http404
    what = f"第{version.number}版" if version is not None else "预览"
    back_url = reverse("campaigns:results", args=[campaign.pk]) + (f"?version={version.number}" if version else "")
    return export_start(request, kind="campaigns.results_export", title=f"导出{campaign.title}结果（{what}）",
                        params={"campaign": campaign.pk}, back_url=back_url)


@requires("campaign.manage")
@require_POST
def publish(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        version = services.campaign_publish(actor=request.user, campaign=campaign,
                                            reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        messages.error(request, f"不能发布：{error_text(exc)}")
        return redirect("campaigns:detail", campaign.pk)
    messages.success(request, f"结果已发布（第 {version.number} 版，内容哈希 {version.content_hash[:16]}…）")
    return redirect("campaigns:results", campaign.pk)


@requires("campaign.manage")
@require_POST
def result_visibility(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    form = VisibilityForm(request.POST)
    if form.is_valid():
        services.campaign_set_result_visibility(actor=request.user, campaign=campaign,
                                                visibility=form.cleaned_data["result_visibility"])
        messages.success(request, f"述职人可见范围已设为：{ResultVisibility(form.cleaned_data['result_visibility']).label}")
    else:
        messages.error(request, "请选择述职人可见的结果范围")
    return redirect("campaigns:results", campaign.pk)


@requires("campaign.manage")
@require_http_methods(["GET", "POST"])
def correct(request, pk):
    campaign = selectors.campaign_for(request.scope, pk, "campaign.manage")
    if campaign.state != S.PUBLISHED:
        messages.error(request, "只有已发布的结果才能更正")
        return redirect("campaigns:results", campaign.pk)
    data = request.POST if request.method == "POST" else None
    reason_form = CorrectionReasonForm(data)
    score_forms = _score_forms(campaign, data)
    if request.method == "POST" and reason_form.is_valid() and all(f.is_valid() for f in score_forms):
        try:
            version = services.campaign_correct(
                actor=request.user, campaign=campaign, reason=reason_form.cleaned_data["reason"],
                changes=lambda: _apply_score_forms(request.user, score_forms),
            )
        except ValidationError as exc:
            reason_form.add_error(None, error_text(exc))
        else:
            messages.success(request, f"已发布更正版本（第 {version.number} 版）")
            return redirect("campaigns:results", campaign.pk)
    context = _base_context(request, campaign, "results")
    context.update({"reason_form": reason_form, "score_forms": score_forms, "latest": services.latest_version(campaign)})
    return render(request, "campaigns/correct.html", context)

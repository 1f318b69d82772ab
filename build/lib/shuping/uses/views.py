from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from shuping.accounts.decorators import requires
from shuping.campaigns.selectors import campaign_for
from shuping.core.http import error_text, form_error_text, xlsx_response

from . import exports, selectors, services
from .forms import DecideForm, RuleForm


def _organisers(scope):
    return scope.orgs("routine.manage").filter(children__isnull=False).distinct().order_by("depth", "path")


@requires("routine.view")
def rules(request):
    can_manage = request.scope.has("routine.manage")
    form = RuleForm(request.POST or None, organisers=_organisers(request.scope)) if can_manage else None
    if request.method == "POST":
        if form is None:
            return redirect("uses:rules")
        if form.is_valid():
            try:
                services.rule_create(actor=request.user, **form.cleaned_data)
            except ValidationError as exc:
                messages.error(request, error_text(exc))
            else:
                messages.success(request, "细则已保存，今后发布的考核结果将按细则生成运用建议。")
                return redirect("uses:rules")
        else:
            messages.error(request, form_error_text(form))
    return render(request, "uses/rules.html", {"rules": selectors.visible_rules(request.scope), "form": form})


@requires("routine.manage")
@require_POST
def rule_toggle(request, pk):
    rule = selectors.rule_for(request.scope, pk)
    services.rule_set_active(actor=request.user, rule=rule, active=not rule.active)
    return redirect("uses:rules")


def _managed_campaign(request, pk):
    campaign = campaign_for(request.scope, pk)
    request.scope.require(campaign.organiser, "routine.manage")
    return campaign


@requires("routine.manage")
def campaign_uses(request, pk):
    campaign = _managed_campaign(request, pk)
    if request.method == "POST":
        try:
            created = services.proposals_generate(actor=request.user, campaign=campaign)
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已按细则生成 {created} 条新的运用建议。")
        return redirect("uses:campaign", campaign.pk)
    return render(request, "uses/campaign.html", {
        "campaign": campaign, "proposals": selectors.campaign_proposals(campaign),
        "rules": services.rules_for(campaign),
    })


@requires("routine.manage")
@require_POST
def decide(request, pk):
    proposal = selectors.proposal_for(request.scope, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_decide(actor=request.user, proposal=proposal, confirm=data["decision"] == "confirm",
                                     reason=data["reason"], document=data["document"])
        except ValidationError as exc:
            messages.error(request, error_text(exc))
        else:
            messages.success(request, f"已处理{proposal.person.name}的运用建议。")
    else:
        messages.error(request, form_error_text(form))
    return redirect("uses:campaign", proposal.result.version.campaign_id)


@requires("routine.manage")
def export(request, pk):
    campaign = _managed_campaign(request, pk)
    content = exports.cadre_xlsx(selectors.confirmed(campaign))
    return xlsx_response(content, f"{campaign.title}结果运用.xlsx")

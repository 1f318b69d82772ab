"""Writes for result-use rules: the rules, the proposals after publication, and decisions."""

from django.core.exceptions import ValidationError
from django.db import transaction

from shuping.audit.services import log_action, snapshot
from shuping.campaigns.models import Campaign, CampaignState, ParticipantResult, ResultVersion
from shuping.clock import now, today
from shuping.orgs.models import Org
from shuping.routine import services as routine_services

from .models import Condition, ProposalStatus, UseProposal, UseRule

PUBLISHED = (CampaignState.PUBLISHED, CampaignState.ARCHIVED)


class UseError(ValidationError):
    pass


@transaction.atomic
def rule_create(*, actor, organiser: Org, condition: str, use_kind: str, measure: str, grade: str = "",
                years: int = 2, basis: str = "") -> UseRule:
    if condition in (Condition.GRADE, Condition.CONSECUTIVE) and not grade:
        raise UseError("请选择等次")
    if condition == Condition.CONSECUTIVE and years < 2:
        raise UseError("“连续若干年”至少为 2 年")
    rule = UseRule(organiser=organiser, condition=condition, grade=grade if condition != Condition.VETO else "",
                   years=years, use_kind=use_kind, measure=measure.strip(), basis=basis.strip(), created_at=now(),
                   created_by=actor if getattr(actor, "pk", None) else None)
    rule.full_clean()
    rule.save()
    log_action("use.rule_create", actor=actor, obj=rule, org=organiser, after=snapshot(rule))
    return rule


@transaction.atomic
def rule_set_active(*, actor, rule: UseRule, active: bool) -> UseRule:
    before = rule.active
    rule.active = active
    rule.save(update_fields=["active"])
    log_action("use.rule_active", actor=actor, obj=rule, org=rule.organiser, before={"active": before},
               after={"active": active})
    return rule


def rules_for(campaign: Campaign):
    """Active rules of the organiser and of every level above it (a 州's 细则 bind its counties)."""
    return UseRule.objects.filter(organiser_id__in=campaign.organiser.ancestor_ids(), active=True)


def _grades_by_year(person, kind: str) -> dict[int, str]:
    """The person's grade per year in published campaigns of a kind (newest version of each)."""
    rows = (ParticipantResult.objects.filter(participant__secretary=person, version__campaign__kind=kind,
                                             version__campaign__state__in=PUBLISHED)
            .order_by("version__campaign__year", "version__campaign_id", "version__number")
            .values_list("version__campaign__year", "grade"))
    return dict(rows)  # later versions (and later campaigns of a year) overwrite earlier ones


def matches(rule: UseRule, row: ParticipantResult, person, year: int, kind: str) -> bool:
    if rule.condition == Condition.VETO:
        return row.vetoed
    if row.grade != rule.grade:
        return False
    if rule.condition == Condition.GRADE:
        return True
    grades = _grades_by_year(person, kind)
    return all(grades.get(year - n) == rule.grade for n in range(1, rule.years))


@transaction.atomic
def proposals_generate(*, actor, campaign: Campaign, version: ResultVersion | None = None) -> int:
    """Propose uses for the newest published version; undecided proposals of superseded versions lapse."""
    if campaign.state not in PUBLISHED:
        raise UseError("结果发布后才能按细则生成运用建议")
    version = version or campaign.result_versions.order_by("-number").first()
    lapsed = UseProposal.objects.filter(result__version__campaign=campaign, status=ProposalStatus.PROPOSED) \
        .exclude(result__version=version)
    lapsed.update(status=ProposalStatus.REJECTED, reason=f"结果已更正为第{version.number}版，按新版本重新生成",
                  decided_at=now())
    rules = list(rules_for(campaign))
    created = 0
    rows = version.rows.select_related("participant__secretary").filter(participant__secretary__isnull=False)
    for row in rows:
        person = row.participant.secretary
        for rule in rules:
            if matches(rule, row, person, campaign.year, campaign.kind):
                _proposal, was_created = UseProposal.objects.get_or_create(
                    rule=rule, result=row, defaults={"person": person, "created_at": now()})
                created += was_created
    log_action("use.proposals_generate", actor=actor, obj=campaign, org=campaign.organiser,
               after={"version": version.number, "created": created, "rules": len(rules)})
    return created


def after_publish(*, actor, campaign: Campaign, version: ResultVersion) -> None:
    """Hook run by the campaigns app after a publication or a correction."""
    if rules_for(campaign).exists():
        proposals_generate(actor=actor, campaign=campaign, version=version)


@transaction.atomic
def proposal_decide(*, actor, proposal: UseProposal, confirm: bool, reason: str = "", document: str = "") -> UseProposal:
    # Row lock: two officers deciding the same proposal must not both record a use.
    proposal = UseProposal.objects.select_for_update(of=("self",)).select_related(
        "rule", "result__version__campaign__organiser", "person").get(pk=proposal.pk)
    if proposal.status != ProposalStatus.PROPOSED:
        raise UseError("该建议已处理")
    reason = reason.strip()
    campaign = proposal.result.version.campaign
    if confirm:
        proposal.use = routine_services.result_use_create(
            actor=actor, person=proposal.person, org=campaign.organiser, kind=proposal.rule.use_kind,
            decided_on=today(), document=document, result=proposal.result,
            note=f"{proposal.rule.measure}（{basis_text(proposal)}）"[:500],
        )
        proposal.status = ProposalStatus.CONFIRMED
    else:
        if not reason:
            raise UseError("不予运用必须说明理由")
        proposal.status = ProposalStatus.REJECTED
    proposal.reason = reason
    proposal.decided_at = now()
    proposal.decided_by = actor if getattr(actor, "pk", None) else None
    proposal.save()
    log_action("use.proposal_decide", actor=actor, obj=proposal, org=campaign.organiser,
               before={"status": ProposalStatus.PROPOSED},
               after={"status": proposal.status, "reason": reason, "person": proposal.person.name})
    return proposal


def basis_text(proposal: UseProposal) -> str:
    campaign = proposal.result.version.campaign
    text = f"{campaign.year}年度{campaign.title}：{proposal.rule.condition_text}"
    return f"{text}；{proposal.rule.basis}" if proposal.rule.basis else text

"""Sections this app adds to other apps' pages (see shuping/core/panels.py)."""

from django.urls import reverse

from . import selectors


def org_facts_history(request, org):
    """基础数据 by year on the org page, for users who may see the registers there."""
    if not request.scope.covers(org, "register.view"):
        return None
    history = selectors.org_history(org)
    if not history["facts"]:
        return None
    return history


def report_claims_check(request, participant, version, analysis):
    """The review page: each figure that maps to the register, marked in the text and listed beside it."""
    if not request.scope.has("register.view") or not analysis:
        return None
    claims = selectors.report_claims(participant.org, participant.campaign.year, version.text, analysis)
    spans = [("verify_bad" if c.flagged else "verify_ok", *c.span, c.message) for c in claims if c.status != "nodata"]
    return {"spans": spans, "template": "registers/_review_claims.html",
            "context": {"claims": claims, "year": participant.campaign.year,
                        "mismatches": sum(1 for c in claims if c.flagged)}}


def inspection_claims_link(request, plan):
    if not request.scope.covers(plan.org, "register.verify"):
        return None
    return {"url": reverse("registers:claims", args=[plan.pk])}


def org_assignments(request, org):
    """第一书记/驻村工作队 sent to a village, on its org page."""
    from .models import Assignment
    from .posts import VILLAGE_TYPES

    if org.unit_type not in VILLAGE_TYPES or not request.scope.covers(org, "register.view"):
        return None
    return Assignment.objects.filter(village=org).order_by("-start")


def star_rating_hints(rating):
    """Criteria read from the confirmed register, and the 软弱涣散 negative item for an org still being rectified."""
    from decimal import Decimal

    from .models import StarFactRule
    from .selectors import OrgLedger, format_value
    from .weak import weak_in_year

    result = {"scores": {}, "negatives": {}}
    rules = list(StarFactRule.objects.filter(criterion__criteria_set=rating.criteria_set).select_related("criterion", "fact"))
    if rules:
        ledger = OrgLedger(rating.org, rating.year)
        for rule in rules:
            value = ledger.value(rule.fact.code)
            if value is None:
                continue
            met = value >= rule.threshold
            shown = f"{format_value(rule.fact, value)}{rule.fact.unit}"
            need = f"{format_value(rule.fact, rule.threshold)}{rule.fact.unit}"
            result["scores"][rule.criterion_id] = (
                rule.criterion.max_score if met else Decimal("0.00"),
                f"{rule.fact.name}{shown}，{'达到' if met else '未达'}{need}")
    case = weak_in_year(rating.org, rating.year)
    if case is not None:
        for item in rating.criteria_set.negative_items.all():
            if "软弱涣散" in item.name:
                result["negatives"][item.pk] = f"{case.year}年列入软弱涣散党组织（{case.get_state_display()}）"
    return result

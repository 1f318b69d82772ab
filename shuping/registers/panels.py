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

"""Extension points for pages owned by one app that other apps add sections to.

An app registers `(title, template_name, context_function)`; the function receives
(request, obj) and returns a context dict, or None to hide the panel for this viewer.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Panel:
    title: str
    template: str
    context: Callable


ORG_PANELS: list[Panel] = []
PERSON_PANELS: list[Panel] = []


def render_panels(panels: list[Panel], request, obj) -> list[dict]:
    rendered = []
    for panel in panels:
        context = panel.context(request, obj)
        if context is not None:
            rendered.append({"title": panel.title, "template": panel.template, "context": context})
    return rendered


@dataclass(frozen=True)
class CampaignLink:
    """A tab on every campaign page that leads into another app's part of the campaign."""

    label: str
    url: Callable  # campaign → URL, or None when the link does not apply yet
    permission: str


CAMPAIGN_LINKS: list[CampaignLink] = []


def campaign_links(request, campaign) -> list[dict]:
    links = []
    for link in CAMPAIGN_LINKS:
        if not request.scope.covers(campaign.organiser, link.permission):
            continue
        url = link.url(campaign)
        if url:
            links.append({"label": link.label, "url": url, "active": request.path == url})
    return links


def register_campaign_link(label: str, url: Callable, permission: str) -> None:
    """Idempotent: AppConfig.ready() may run more than once in tests."""
    if not any(link.label == label for link in CAMPAIGN_LINKS):
        CAMPAIGN_LINKS.append(CampaignLink(label, url, permission))


# Panels on the 半年督查 inspection page: context(request, plan) → dict or None.
INSPECTION_PANELS: list[Panel] = []

# Checks other apps add to the report review page: check(request, participant, version, analysis)
# returns None or {"spans": [(kind, start, end, tooltip)], "template": ..., "context": {...}}.
REPORT_CHECKS: list[Callable] = []


def run_report_checks(request, participant, version, analysis) -> tuple[list, list[dict]]:
    spans, panels = [], []
    for check in REPORT_CHECKS:
        result = check(request, participant, version, analysis)
        if result:
            spans.extend(result.get("spans", []))
            panels.append({"template": result["template"], "context": result.get("context", {})})
    return spans, panels


# Suggestions for a star rating from other apps' data: hint(rating) returns None or
# {"scores": {criterion_pk: (score, note)}, "negatives": {negative_item_pk: note}}.
RATING_HINTS: list[Callable] = []


def rating_hints(rating) -> dict:
    merged = {"scores": {}, "negatives": {}}
    for hint in RATING_HINTS:
        result = hint(rating) or {}
        merged["scores"].update(result.get("scores", {}))
        merged["negatives"].update(result.get("negatives", {}))
    return merged


# Sections other apps add under a campaign's results (e.g. the 上级点评 of a delegate).
CAMPAIGN_RESULT_PANELS: list[Panel] = []


def register_campaign_result_panel(title: str, template: str, context: Callable) -> None:
    if not any(panel.title == title for panel in CAMPAIGN_RESULT_PANELS):
        CAMPAIGN_RESULT_PANELS.append(Panel(title, template, context))

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


# Sections other apps add under a campaign's results (e.g. the 上级点评 of a delegate).
CAMPAIGN_RESULT_PANELS: list[Panel] = []


def register_campaign_result_panel(title: str, template: str, context: Callable) -> None:
    if not any(panel.title == title for panel in CAMPAIGN_RESULT_PANELS):
        CAMPAIGN_RESULT_PANELS.append(Panel(title, template, context))

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

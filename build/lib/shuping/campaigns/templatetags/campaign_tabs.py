from django import template

from shuping.core.panels import campaign_links

register = template.Library()


@register.inclusion_tag("campaigns/_app_tabs.html", takes_context=True)
def campaign_app_tabs(context, campaign):
    request = context.get("request")
    return {"links": campaign_links(request, campaign) if request is not None else []}


@register.inclusion_tag("campaigns/_result_panels.html", takes_context=True)
def campaign_result_panels(context, campaign):
    from shuping.core.panels import CAMPAIGN_RESULT_PANELS, render_panels

    request = context.get("request")
    return {"panels": render_panels(CAMPAIGN_RESULT_PANELS, request, campaign) if request is not None else []}

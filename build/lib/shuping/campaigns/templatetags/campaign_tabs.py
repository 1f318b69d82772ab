from django import template

from shuping.core.panels import campaign_links

register = template.Library()


@register.inclusion_tag("campaigns/_app_tabs.html", takes_context=True)
def campaign_app_tabs(context, campaign):
    request = context.get("request")
    return {"links": campaign_links(request, campaign) if request is not None else []}

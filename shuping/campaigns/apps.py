from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "shuping.campaigns"
    verbose_name = "述职评议考核"
    nav_items: list[tuple[str, str, str | None]] = []

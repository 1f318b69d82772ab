from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "shuping.campaigns"
    verbose_name = "述职评议考核"
    nav_items: list[tuple[str, str, str | None]] = [("述职评议", "campaigns:list", "campaign.view")]

    def ready(self):
        from shuping.core.demo import DEMO_STEPS

        from .demo import build_campaigns_demo

        if build_campaigns_demo not in DEMO_STEPS:
            DEMO_STEPS.append(build_campaigns_demo)

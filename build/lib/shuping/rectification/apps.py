from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "shuping.rectification"
    verbose_name = "点评与问题整改"
    nav_items: list[tuple[str, str, str | None]] = [
        ("点评", "rectification:critique_campaigns", "campaign.view"),
        ("问题整改", "rectification:problems", "problem.view"),
    ]

    def ready(self):
        from django.urls import reverse

        from shuping.core.demo import DEMO_STEPS
        from shuping.core.panels import register_campaign_link

        from .demo import build_demo_rectification

        if build_demo_rectification not in DEMO_STEPS:
            DEMO_STEPS.append(build_demo_rectification)
        register_campaign_link("点评", lambda c: reverse("rectification:critique_campaign", args=[c.pk]), "campaign.view")

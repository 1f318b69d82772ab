from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "shuping.reports"
    verbose_name = "述职报告"
    nav_items: list[tuple[str, str, str | None]] = [("述职报告", "reports:list", "report.view")]

    def ready(self):
        from django.urls import reverse

        from shuping.core.demo import DEMO_STEPS
        from shuping.core.panels import register_campaign_link

        from .demo import build_demo_reports
        from .services import register_guards

        register_guards()

        if build_demo_reports not in DEMO_STEPS:
            DEMO_STEPS.append(build_demo_reports)
        register_campaign_link("述职报告", lambda c: reverse("reports:campaign", args=[c.pk]), "report.view")

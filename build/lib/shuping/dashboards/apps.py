from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "shuping.dashboards"
    verbose_name = "统计看板"
    nav_items: list[tuple[str, str, str | None]] = [("统计看板", "dashboards:index", "dashboard.view")]

    def ready(self):
        from django.urls import reverse

        from shuping.core.panels import register_campaign_link
        register_campaign_link("下级考核结果计分", lambda c: reverse("dashboards:linkage", args=[c.pk]), "campaign.manage")

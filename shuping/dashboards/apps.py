from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "shuping.dashboards"
    verbose_name = "统计看板"
    nav_items: list[tuple[str, str, str | None]] = [("统计看板", "dashboards:index", "dashboard.view")]

from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "shuping.reports"
    verbose_name = "述职报告"
    nav_items: list[tuple[str, str, str | None]] = []

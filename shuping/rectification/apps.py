from django.apps import AppConfig


class RectificationConfig(AppConfig):
    name = "shuping.rectification"
    verbose_name = "点评与问题整改"
    nav_items: list[tuple[str, str, str | None]] = []

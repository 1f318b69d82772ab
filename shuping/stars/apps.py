from django.apps import AppConfig


class StarsConfig(AppConfig):
    name = "shuping.stars"
    verbose_name = "星级评定"
    nav_items: list[tuple[str, str, str | None]] = []

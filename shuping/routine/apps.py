from django.apps import AppConfig


class RoutineConfig(AppConfig):
    name = "shuping.routine"
    verbose_name = "日常考核"
    nav_items: list[tuple[str, str, str | None]] = []

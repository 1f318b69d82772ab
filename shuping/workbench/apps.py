from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """工作台: the home page of every role — what waits for me. Top floor: reads every app."""

    name = "shuping.workbench"
    verbose_name = "工作台"

    def ready(self):
        from shuping.core.navigation import register_badge

        from .badge import badge_count

        register_badge("home", badge_count, "待办事项")

from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """工作台: the home page of every role — what waits for me. Top floor: reads every app."""

    name = "shuping.workbench"
    verbose_name = "工作台"

    def ready(self):
        from shuping.core.navigation import register_badge

        from .selectors import open_count

        register_badge("home", lambda request: open_count(request.scope, request.user))

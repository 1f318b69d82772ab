from django.apps import AppConfig


class WorkbenchConfig(AppConfig):
    """工作台: the home page of every role — what waits for me. Top floor: reads every app."""

    name = "shuping.workbench"
    verbose_name = "工作台"

    def ready(self):
        from shuping.core.navigation import register_badge

        from .selectors import request_tasks

        register_badge("home", lambda request: sum(task.count for task in request_tasks(request)), "待办事项")

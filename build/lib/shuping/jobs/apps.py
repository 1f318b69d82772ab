from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class JobsConfig(AppConfig):
    name = "shuping.jobs"
    label = "jobs"
    verbose_name = "后台任务"

    def ready(self):
        # Each app declares its job kinds in its own `jobs.py`; the web node and the worker both need them.
        autodiscover_modules("jobs")

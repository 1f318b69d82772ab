from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "shuping.core"
    verbose_name = "基础"

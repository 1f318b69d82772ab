from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "shuping.accounts"
    verbose_name = "用户与角色"

    def ready(self):
        from . import checks  # noqa: F401 - registers the production checks

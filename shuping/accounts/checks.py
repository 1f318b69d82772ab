"""Production start-up refuses demo accounts: their passwords are printed by `shuping demo`,
so anyone could sign in as the demo admin and enrol their own second factor."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

DEMO_ACCOUNTS_MESSAGE = (
    "生产模式（SHUPING_PRODUCTION=1）下存在演示账号：{names}。演示账号的密码是公开的，"
    "请先执行 shuping demo-accounts-disable 停用这些账号后再启动"
)


def demo_accounts_present() -> list[str]:
    from .services import demo_usernames

    try:
        return demo_usernames()
    except DatabaseError:
        # Not migrated yet (or no database during `check`): there can be no demo accounts.
        return []


@register(Tags.security, deploy=True)
def check_no_demo_accounts_in_production(app_configs=None, **kwargs):
    if not settings.PRODUCTION:
        return []
    names = demo_accounts_present()
    if not names:
        return []
    return [Error(DEMO_ACCOUNTS_MESSAGE.format(names="、".join(names)), id="shuping.E001")]


def refuse_start_with_demo_accounts() -> None:
    """Called when the WSGI application starts."""
    if settings.PRODUCTION:
        names = demo_accounts_present()
        if names:
            raise ImproperlyConfigured(DEMO_ACCOUNTS_MESSAGE.format(names="、".join(names)))

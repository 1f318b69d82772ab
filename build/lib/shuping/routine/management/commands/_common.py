from django.core.management.base import CommandError

from shuping.orgs.models import Org


def get_org(code: str) -> Org:
    try:
        return Org.objects.get(code=code)
    except Org.DoesNotExist:
        raise CommandError(f"找不到组织编码为 {code} 的组织") from None


def messages_of(exc) -> str:
    return "；".join(exc.messages) if hasattr(exc, "messages") else str(exc)

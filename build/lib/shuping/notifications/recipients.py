"""Who a piece of work is handed to: the unit's own users, or the nearest superior level."""

from django.contrib.auth import get_user_model

from shuping.accounts.models import RoleGrant
from shuping.accounts.permissions import roles_with
from shuping.orgs.models import Org


def unit_users(org: Org, permission: str = "unit.act") -> list:
    """Users whose unit role is granted on this very org (not its superiors, not its villages)."""
    ids = RoleGrant.objects.filter(org=org, role__in=roles_with(permission)).values("user_id")
    return list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))


def superiors(org: Org, permission: str) -> list:
    """Holders of `permission` on the nearest ancestor level that has any: the unit's superior."""
    roles = roles_with(permission)
    for ancestor_id in reversed(org.ancestor_ids()[:-1]):
        ids = RoleGrant.objects.filter(org_id=ancestor_id, role__in=roles).values("user_id")
        users = list(get_user_model().objects.filter(pk__in=ids, is_active=True).order_by("pk"))
        if users:
            return users
    return []

"""The user's scope, resolved once per request: which subtrees each permission covers."""

from functools import cached_property

from django.http import Http404

from shuping.orgs.models import Org

from .models import RoleGrant
from .permissions import ROLE_PERMISSIONS


def _minimal(paths: set[str]) -> list[str]:
    """Drop paths already covered by an ancestor path."""
    result: list[str] = []
    for path in sorted(paths, key=len):
        if not any(path.startswith(kept) for kept in result):
            result.append(path)
    return sorted(result)


class UserScope:
    def __init__(self, user):
        self.user = user

    @cached_property
    def grants(self) -> list[RoleGrant]:
        if not getattr(self.user, "is_authenticated", False):
            return []
        return list(RoleGrant.objects.filter(user=self.user).select_related("org").order_by("org__path", "role"))

    @cached_property
    def _paths_by_permission(self) -> dict[str, list[str]]:
        collected: dict[str, set[str]] = {}
        if getattr(self.user, "is_superuser", False):
            roots = set(Org.objects.filter(parent__isnull=True).values_list("path", flat=True))
            for perms in ROLE_PERMISSIONS.values():
                for perm in perms:
                    collected.setdefault(perm, set()).update(roots)
        for grant in self.grants:
            for perm in ROLE_PERMISSIONS.get(grant.role, ()):
                collected.setdefault(perm, set()).add(grant.org.path)
        return {perm: _minimal(paths) for perm, paths in collected.items()}

    def has(self, permission: str) -> bool:
        return bool(self._paths_by_permission.get(permission))

    def paths(self, permission: str) -> list[str]:
        return self._paths_by_permission.get(permission, [])

    def orgs(self, permission: str):
        return Org.objects.within_any(self.paths(permission))

    def covers(self, org: Org | None, permission: str) -> bool:
        if org is None:
            return False
        return any(org.path.startswith(path) for path in self.paths(permission))

    def covers_path(self, path: str, permission: str) -> bool:
        return any(path.startswith(root) for root in self.paths(permission))

    def require(self, org: Org | None, permission: str) -> None:
        """Objects outside the scope do not exist for this user."""
        if not self.covers(org, permission):
            raise Http404

    def root_orgs(self, permission: str) -> list[Org]:
        paths = self.paths(permission)
        return list(Org.objects.filter(path__in=paths).order_by("path"))

    @cached_property
    def roles(self) -> list[str]:
        return sorted({grant.role for grant in self.grants})

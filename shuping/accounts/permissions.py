"""Named permissions and which role carries them.

Views declare the permission they need (`@requires("org.view")`); the scope of a
permission is the union of the subtrees on which the user holds a role carrying it.
Later features add their permission names here.
"""

from .models import Role

PERMISSIONS: dict[str, str] = {
    "org.view": "查看组织与人员",
    "org.manage": "管理组织与人员",
    "person.view": "查看人员",
    "person.manage": "管理人员信息",
    "user.manage": "管理用户与角色",
    "audit.view": "查看审计日志",
}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.ADMIN: frozenset(
        {"org.view", "org.manage", "person.view", "person.manage", "user.manage", "audit.view"}
    ),
    Role.REVIEWER: frozenset({"org.view", "person.view"}),
    Role.REPORTER: frozenset({"org.view", "person.view"}),
    Role.EVALUATOR: frozenset(),
    Role.LEADER: frozenset({"org.view", "person.view", "audit.view"}),
    Role.INSPECTOR: frozenset({"org.view", "person.view"}),
}


def roles_with(permission: str) -> list[str]:
    if permission not in PERMISSIONS:
        raise KeyError(f"unknown permission {permission!r}")
    return [role for role, perms in ROLE_PERMISSIONS.items() if permission in perms]

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import transaction

from shuping.audit.services import log_action
from shuping.clock import now
from shuping.orgs.models import Org

from .models import AccountSecurity, Role, RoleGrant


@transaction.atomic
def user_create(*, actor, username: str, full_name: str, password: str, validate: bool = True,
                must_change_password: bool = True, demo: bool = False):
    """New accounts must replace the password an administrator handed out at first sign-in."""
    User = get_user_model()
    user = User(username=username, first_name=full_name)
    if validate:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    AccountSecurity.objects.update_or_create(
        user=user, defaults={"password_changed_at": now(), "must_change_password": must_change_password,
                             "demo_account": demo}
    )
    log_action("user.create", actor=actor, obj=user, label=f"{full_name}（{username}）",
               after={"username": username, "full_name": full_name})
    return user


@transaction.atomic
def role_grant(*, actor, user, role: str, org: Org) -> RoleGrant:
    if role not in Role.values:
        raise ValueError(f"unknown role {role}")
    grant, created = RoleGrant.objects.get_or_create(user=user, role=role, org=org)
    if created:
        log_action("role.grant", actor=actor, obj=grant, org=org,
                   after={"user": user.get_username(), "role": role, "org": org.code})
    return grant


@transaction.atomic
def role_revoke(*, actor, grant: RoleGrant) -> None:
    before = {"user": grant.user.get_username(), "role": grant.role, "org": grant.org.code}
    org = grant.org
    grant.delete()
    log_action("role.revoke", actor=actor, object_type="accounts.rolegrant", object_id=str(before),
               label=f"{before['user']} {before['role']}", org=org, before=before)


def demo_usernames() -> list[str]:
    """Active accounts made by `shuping demo` (their passwords are published)."""
    return sorted(
        AccountSecurity.objects.filter(demo_account=True, user__is_active=True).values_list("user__username", flat=True)
    )


@transaction.atomic
def demo_accounts_disable(*, actor) -> list[str]:
    """Switch the demo accounts off for good: inactive, no usable password, no roles."""
    User = get_user_model()
    names = demo_usernames()
    for user in User.objects.filter(username__in=names):
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["is_active", "password"])
        for grant in RoleGrant.objects.filter(user=user).select_related("org"):
            role_revoke(actor=actor, grant=grant)
        log_action("user.demo_disable", actor=actor, obj=user, before={"is_active": True}, after={"is_active": False})
    return names

from django.conf import settings
from django.db import models

from shuping.clock import short_datetime
from shuping.orgs.models import Org


class Role(models.TextChoices):
    ADMIN = "admin", "组织部管理员"
    REVIEWER = "reviewer", "审核人"
    REPORTER = "reporter", "述职人"
    EVALUATOR = "evaluator", "评议人"
    LEADER = "leader", "上级书记"
    INSPECTOR = "inspector", "督查人员"
    LIAISON = "liaison", "党建联络员/组织委员"
    CLERK = "clerk", "录入员"


class RoleGrant(models.Model):
    """A role held on an org; it is valid for the org's whole subtree."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("角色", max_length=20, choices=Role.choices)
    org = models.ForeignKey(Org, verbose_name="范围", on_delete=models.CASCADE, related_name="role_grants")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role", "org"], name="unique_role_grant")]
        verbose_name = "角色授权"
        verbose_name_plural = "角色授权"

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} @ {self.org}"


class AccountSecurity(models.Model):
    """Per-user security state: password age, forced change, second factor."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="security")
    password_changed_at = models.DateTimeField(null=True, blank=True)
    must_change_password = models.BooleanField(default=False)
    totp_secret = models.CharField(max_length=64, blank=True)
    totp_enabled = models.BooleanField(default=False)
    totp_last_step = models.BigIntegerField(default=0)
    # Made by `shuping demo` with a published password: never allowed under production settings.
    demo_account = models.BooleanField("演示账号", default=False)

    def __str__(self):
        return f"{self.user} 安全设置"


class FailureKind(models.TextChoices):
    PASSWORD = "password", "密码"
    SECOND_FACTOR = "totp", "动态口令"


class LoginFailure(models.Model):
    """One failed sign-in; lock-out counts these per account and per address.

    Password and second-factor failures are counted apart: a correct password clears only
    the password failures, so it cannot be used to reset the second factor's count."""

    username = models.CharField(max_length=150, db_index=True)
    kind = models.CharField(max_length=10, choices=FailureKind.choices, default=FailureKind.PASSWORD)
    address = models.GenericIPAddressField(null=True, blank=True, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.username}@{self.address} {short_datetime(self.at)}"

from django.conf import settings
from django.db import models

from shuping.orgs.models import Org


class Role(models.TextChoices):
    ADMIN = "admin", "组织部管理员"
    REVIEWER = "reviewer", "审核人"
    REPORTER = "reporter", "述职人"
    EVALUATOR = "evaluator", "评议人"
    LEADER = "leader", "上级书记"
    INSPECTOR = "inspector", "督查人员"


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

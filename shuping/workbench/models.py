from django.conf import settings
from django.db import models


class Generation(models.Model):
    """One row whose value every state-changing request raises: a badge count stored under an
    older value may be out of date. Kept in the database so that every application server (one
    on a laptop, several at a province) sees the same value."""

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = "待办计数版本"
        verbose_name_plural = "待办计数版本"

    def __str__(self):
        return f"待办计数版本 {self.value}"


class BadgeCount(models.Model):
    """The navigation badge's last count for one user, valid while the generation, the day and
    a short lifetime last."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE,
                                related_name="+")
    count = models.PositiveIntegerField()
    generation = models.BigIntegerField()
    day = models.DateField()
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = "待办计数"
        verbose_name_plural = "待办计数"

    def __str__(self):
        return f"{self.user_id} 的待办 {self.count} 项"

from django.conf import settings
from django.db import models
from django.db.models import Q

from shuping.orgs.models import Org


class Notification(models.Model):
    """One message to one user. `dedupe_key` makes repeated reminders (deadline in 3 days) idempotent."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=50)
    title = models.CharField("标题", max_length=200)
    body = models.TextField("内容", blank=True)
    url = models.CharField(max_length=300, blank=True)
    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    audit_seq = models.PositiveBigIntegerField(null=True, blank=True)
    dedupe_key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField()
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]
        constraints = [models.UniqueConstraint(fields=["user", "dedupe_key"], condition=~Q(dedupe_key=""),
                                               name="unique_notification_dedupe")]
        verbose_name = "站内消息"
        verbose_name_plural = "站内消息"

    def __str__(self):
        return self.title


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENT = "sent", "已发送"
    FAILED = "failed", "发送失败"


class Delivery(models.Model):
    """One notification through one channel beyond the browser (SMS, 政务微信/钉钉 webhook, log)."""

    notification = models.ForeignKey(Notification, on_delete=models.CASCADE, related_name="deliveries")
    channel = models.CharField(max_length=20)
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["status", "channel"])]
        constraints = [models.UniqueConstraint(fields=["notification", "channel"], name="unique_delivery_channel")]

    def __str__(self):
        return f"{self.channel}: {self.get_status_display()}"


class ContactSetting(models.Model):
    """Where a user wants messages beyond the browser; set by the user on the message page."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_setting")
    mobile = models.CharField("短信提醒手机号", max_length=20, blank=True)
    sms_enabled = models.BooleanField("接收短信提醒", default=False)

    def __str__(self):
        return f"{self.user} 提醒设置"

from django.conf import settings
from django.db import models

from shuping.orgs.models import Org


class SubmissionState(models.TextChoices):
    PENDING = "pending", "待审核"
    ACCEPTED = "accepted", "已受理"
    REJECTED = "rejected", "不予受理"


class PublicSubmission(models.Model):
    """One resident's report. No name, phone or address is asked for; the sender's network address
    is kept only as a keyed hash, for the rate limit. The receipt code is stored hashed too."""

    county = models.ForeignKey(Org, verbose_name="县（区）", on_delete=models.PROTECT, related_name="+")
    village = models.ForeignKey(Org, verbose_name="反映的村（社区）党组织", on_delete=models.PROTECT, related_name="+")
    text = models.TextField("反映内容")
    receipt_hash = models.CharField(max_length=64, unique=True)
    address_hash = models.CharField(max_length=64, db_index=True)
    submitted_at = models.DateTimeField(db_index=True)
    state = models.CharField("状态", max_length=10, choices=SubmissionState.choices, default=SubmissionState.PENDING)
    reason = models.CharField("处理说明（对提交人公开）", max_length=300, blank=True)
    problem = models.OneToOneField("rectification.Problem", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="public_submission")
    moderated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    moderated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["submitted_at", "pk"]
        indexes = [models.Index(fields=["state", "county"])]
        verbose_name = "群众反映"
        verbose_name_plural = "群众反映"

    def __str__(self):
        text = self.text.replace("\n", " ")
        return text[:40] + ("…" if len(text) > 40 else "")


class AddressBucket(models.Model):
    """One row per sender address hash: locking it serialises one sender's submissions, so a
    burst cannot slip past the limit between counting and writing."""

    address_hash = models.CharField(max_length=64, unique=True)
    last_at = models.DateTimeField()

    def __str__(self):
        return self.address_hash[:12]

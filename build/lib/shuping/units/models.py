"""The unit's own part of the cycle and the superior's confirmations.

* ``Claim``: a unit takes on a problem pushed to it (巡察/督导 feedback) — 认领.
* ``UnitPlan``: the 整改方案 a unit writes for one of its problems; the superior approves it
  (then it is copied onto the rectification) or returns it with a reason.
* ``ResponsibilityUpdate``: progress on a responsibility-list item, confirmed by the superior
  before it becomes a ResponsibilityProgress entry.
* ``QuarterlyReport``: the unit's 书面汇报 for the 季度调度会, optionally offering a 典型发言.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from shuping.orgs.models import Org, Person


class Claim(models.Model):
    problem = models.OneToOneField("rectification.Problem", on_delete=models.CASCADE, related_name="claim")
    claimed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    claimed_at = models.DateTimeField()
    note = models.CharField("认领说明", max_length=300, blank=True)

    class Meta:
        verbose_name = "问题认领"
        verbose_name_plural = "问题认领"

    def __str__(self):
        return f"认领：{self.problem_id}"


class PlanState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "待上级审核"
    RETURNED = "returned", "已退回修改"
    APPROVED = "approved", "已批准"


class UnitPlan(models.Model):
    rectification = models.OneToOneField("rectification.Rectification", on_delete=models.CASCADE,
                                         related_name="unit_plan")
    owner = models.ForeignKey(Person, verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+")
    measures = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    state = models.CharField("状态", max_length=10, choices=PlanState.choices, default=PlanState.DRAFT)
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    return_reason = models.TextField("退回理由", blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["state"])]
        verbose_name = "单位整改方案"
        verbose_name_plural = "单位整改方案"

    def __str__(self):
        return f"整改方案：{self.rectification_id}（{self.get_state_display()}）"


class UpdateState(models.TextChoices):
    SUBMITTED = "submitted", "待上级确认"
    CONFIRMED = "confirmed", "已确认"
    RETURNED = "returned", "已退回"


class ResponsibilityUpdate(models.Model):
    item = models.ForeignKey("routine.ResponsibilityItem", on_delete=models.CASCADE, related_name="unit_updates")
    achieved_value = models.DecimalField("累计完成值", max_digits=10, decimal_places=2,
                                         validators=[MinValueValidator(Decimal("0"))])
    note = models.CharField("进展说明", max_length=500)
    evidence_name = models.CharField("佐证材料", max_length=255, blank=True)
    evidence_stored = models.CharField(max_length=64, blank=True)
    evidence_type = models.CharField(max_length=100, blank=True)
    state = models.CharField("状态", max_length=10, choices=UpdateState.choices, default=UpdateState.SUBMITTED)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    return_reason = models.CharField("退回理由", max_length=300, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = "责任清单进展报送"
        verbose_name_plural = "责任清单进展报送"

    def __str__(self):
        return f"{self.item_id}: {self.achieved_value}（{self.get_state_display()}）"


class QuarterlyReport(models.Model):
    """书面汇报 of one unit for one quarter's 调度会, sent to its superior (the organiser)."""

    organiser = models.ForeignKey(Org, verbose_name="汇报对象", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(Org, verbose_name="汇报单位", on_delete=models.PROTECT, related_name="quarterly_reports")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", validators=[MinValueValidator(1), MaxValueValidator(4)])
    summary = models.CharField("工作亮点（一句话）", max_length=200)
    text = models.TextField("书面汇报")
    offers_speech = models.BooleanField("申请作典型发言", default=False)
    picked_for_speech = models.BooleanField("确定为典型发言", default=False)
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["org__path"]
        constraints = [
            models.UniqueConstraint(fields=["org", "year", "quarter"], name="unique_quarterly_report"),
            models.CheckConstraint(condition=models.Q(quarter__gte=1, quarter__lte=4), name="quarterly_report_quarter"),
        ]
        verbose_name = "季度工作汇报"
        verbose_name_plural = "季度工作汇报"

    def __str__(self):
        return f"{self.org.name} {self.year}年第{self.quarter}季度工作汇报"

"""三级联述联评联考: a year's plan spanning levels, the campaign tree under it, delegates sent to
subordinate meetings, and the 点评 texts written for a level or for one reporter."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from shuping.campaigns.models import Campaign, CampaignKind, EvaluatorGroup, Participant
from shuping.orgs.models import Org


class RubricPolicy(models.TextChoices):
    LOCKED = "locked", "沿用上级指标，不得调整"
    ADD_ONLY = "add_only", "可增加本级指标，不得删除或改动上级指标"
    FREE = "free", "可自行调整指标"


class Plan(models.Model):
    """A year's 述职评议考核 plan launched by one level for everything below it."""

    organiser = models.ForeignKey(Org, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="level_plans")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("方案名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=CampaignKind.choices, default=CampaignKind.ANNUAL)
    writing_from = models.DateField("报告撰写开始")
    review_until = models.DateField("报告审核截止")
    meeting_from = models.DateField("述职评议会最早日期")
    meeting_until = models.DateField("述职评议会最晚日期")
    publish_until = models.DateField("结果发布截止")
    rubric_policy = models.CharField("下级指标调整", max_length=20, choices=RubricPolicy.choices,
                                     default=RubricPolicy.ADD_ONLY)
    weight_tolerance = models.DecimalField(
        "权重可调整幅度（百分点）", max_digits=5, decimal_places=2, default=Decimal("10"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="下级考核的现场测评、民主测评、日常考核权重与上级相差不得超过此幅度",
    )
    joint_cap = models.DecimalField(
        "联考：下级考核结果计入加分的满分", max_digits=5, decimal_places=2, default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
        help_text="上级考核中，述职单位本级考核“好”和“较好”占比 × 此满分计入加分；填 0 表示不计入",
    )
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-year", "organiser__path", "pk"]
        verbose_name = "联述联评联考方案"
        verbose_name_plural = "联述联评联考方案"

    def __str__(self):
        return self.title


class Node(models.Model):
    """One level's campaign inside a plan; `parent` is the superior level's campaign node."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="nodes")
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="level_node")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    meeting_date = models.DateField("述职评议会计划日期", null=True, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["campaign__organiser__path"]
        verbose_name = "层级考核"
        verbose_name_plural = "层级考核"

    def __str__(self):
        return str(self.campaign)


class Delegation(models.Model):
    """上级派员: a user of the superior level sent to a subordinate campaign's meeting."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="delegations")
    delegate = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="派员", on_delete=models.PROTECT,
                                 related_name="delegations")
    sent_by = models.ForeignKey(Org, verbose_name="派出单位", on_delete=models.PROTECT, related_name="+")
    scores = models.BooleanField("作为上级评议组打分", default=True)
    group = models.ForeignKey(EvaluatorGroup, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Named group: the credential is the delegate's own; re-claiming rebinds it to the new browser (only hashes stored).
    credential = models.ForeignKey("meetings.Credential", null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    appointed_at = models.DateTimeField()
    appointed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "delegate"], name="unique_delegation")]
        verbose_name = "上级派员"
        verbose_name_plural = "上级派员"

    def __str__(self):
        return f"{self.delegate} → {self.campaign}"


class Speech(models.Model):
    """A 点评 in three parts. For a level (participant empty): 成绩 / 问题 / 要求; for one reporter:
    亮点 / 问题 / 建议. Written by the organiser (no delegation) or by a delegate (上级点评)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="speeches")
    delegation = models.ForeignKey(Delegation, null=True, blank=True, on_delete=models.CASCADE, related_name="speeches")
    participant = models.ForeignKey(Participant, null=True, blank=True, on_delete=models.CASCADE,
                                    related_name="speeches")
    achievements = models.TextField("成绩（亮点）", blank=True)
    problems = models.TextField("问题", blank=True)
    requirements = models.TextField("要求（建议）", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    updated_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "delegation", "participant"], name="unique_speech"),
            # NULLs are distinct in unique constraints: the organiser's own level speech needs its own rule.
            models.UniqueConstraint(fields=["campaign"], condition=models.Q(delegation__isnull=True,
                                    participant__isnull=True), name="unique_own_level_speech"),
            models.UniqueConstraint(fields=["campaign", "delegation"], condition=models.Q(participant__isnull=True),
                                    name="unique_delegate_level_speech"),
        ]
        verbose_name = "点评讲话"
        verbose_name_plural = "点评讲话"

    def __str__(self):
        return f"{self.campaign} 点评"

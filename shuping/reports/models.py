"""述职报告: versions (never overwritten), the per-campaign review chain and its actions."""

from django.conf import settings
from django.db import models

from shuping.campaigns.models import Campaign, Participant


class ResubmitFrom(models.TextChoices):
    FIRST = "first", "从第一级重新审核"
    RETURNING = "returning", "从退回的那一级继续审核"


class ReviewPlan(models.Model):
    """Campaign-wide settings of the review chain (deadlines, where a resubmission restarts)."""

    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="review_plan")
    submission_deadline = models.DateField("报告提交截止日期", null=True, blank=True)
    resubmit_from = models.CharField(
        "退回修改后重新提交时", max_length=20, choices=ResubmitFrom.choices, default=ResubmitFrom.FIRST,
        help_text="默认从第一级重新审核：修改后的内容各级都要再看一遍",
    )
    separate_levels = models.BooleanField(
        "同一人不得在同一报告的两级审核", default=True,
        help_text="四级把关须由不同的人把关：默认同一人只能在一份报告的一个级次办理",
    )

    def __str__(self):
        return f"{self.campaign} 审核设置"


class ReviewLevel(models.Model):
    """One level of the chain (党建科室负责人 → 分管副部长 → 组织部长 → 书记 by default)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="review_levels")
    order = models.PositiveSmallIntegerField("级次")
    name = models.CharField("审核人（岗位）", max_length=50)
    deadline_days = models.PositiveSmallIntegerField("审核时限（天）", default=3)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="指定审核人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", help_text="留空则本级由任何有审核权限的用户办理",
    )
    # Or a role on an org: whoever holds that role there (or above) reviews at this level.
    reviewer_role = models.CharField("指定角色", max_length=20, blank=True)
    reviewer_org = models.ForeignKey(
        "orgs.Org", verbose_name="角色所在组织", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        ordering = ["campaign", "order"]
        constraints = [models.UniqueConstraint(fields=["campaign", "order"], name="unique_review_level_order")]
        verbose_name = "审核级次"
        verbose_name_plural = "审核级次"

    def __str__(self):
        return f"第{self.order}级 {self.name}"

    @property
    def reviewers_label(self) -> str:
        """Who this level names, in words ("" when anyone with review rights may act)."""
        from shuping.accounts.models import Role

        if self.assignee_id:
            return self.assignee.first_name or self.assignee.username
        if self.reviewer_role and self.reviewer_org_id:
            label = Role(self.reviewer_role).label if self.reviewer_role in Role.values else self.reviewer_role
            return f"{self.reviewer_org.name}{label}"
        return ""


class ReportState(models.TextChoices):
    DRAFT = "draft", "草稿"
    SUBMITTED = "submitted", "已提交"
    RETURNED = "returned", "退回修改"
    APPROVED = "approved", "已通过"


class Report(models.Model):
    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="report")
    state = models.CharField("状态", max_length=20, choices=ReportState.choices, default=ReportState.DRAFT)
    current_level = models.PositiveSmallIntegerField("当前审核级次", null=True, blank=True)
    level_started_at = models.DateTimeField("本级开始审核时间", null=True, blank=True)
    returned_level = models.PositiveSmallIntegerField("退回的级次", null=True, blank=True)
    submitted_version = models.ForeignKey(
        "ReportVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    first_submitted_at = models.DateTimeField("首次提交时间", null=True, blank=True)
    approved_version = models.ForeignKey(
        "ReportVersion", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField("通过时间", null=True, blank=True)

    class Meta:
        verbose_name = "述职报告"
        verbose_name_plural = "述职报告"

    def __str__(self):
        return f"{self.participant} 述职报告"

    @property
    def is_locked(self) -> bool:
        return self.state == ReportState.APPROVED

    @property
    def editable(self) -> bool:
        return self.state in (ReportState.DRAFT, ReportState.RETURNED)

    @property
    def state_label(self) -> str:
        if self.state == ReportState.SUBMITTED and self.current_level:
            return f"已提交（待第{self.current_level}级审核）"
        return ReportState(self.state).label

    def latest_version(self):
        return self.versions.order_by("-number").first()


class VersionSource(models.TextChoices):
    EDITOR = "editor", "在线撰写"
    UPLOAD = "upload", "上传 Word"


class ReportVersion(models.Model):
    """One saved state of a report. Rows are only ever added."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField("版本号")
    blocks = models.JSONField("结构化内容")  # [{"type": "heading"|"paragraph"|"table", ...}]
    text = models.TextField("纯文本")
    source = models.CharField("来源", max_length=20, choices=VersionSource.choices)
    filename = models.CharField("上传文件名", max_length=255, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    # Cache of textcheck.analyze for (topics, prior problems) == analysis_key; see selectors.analysis_for.
    analysis = models.JSONField(null=True, blank=True)
    analysis_key = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["report", "-number"]
        constraints = [models.UniqueConstraint(fields=["report", "number"], name="unique_report_version")]

    def __str__(self):
        return f"第 {self.number} 版"

    @property
    def char_count(self) -> int:
        return sum(1 for c in self.text if not c.isspace())


class ReviewDecision(models.TextChoices):
    SUBMIT = "submit", "提交审核"
    APPROVE = "approve", "审核通过"
    RETURN = "return", "退回修改"


class ReviewAction(models.Model):
    """The history of a report's way through the chain (submissions included)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="actions")
    version = models.ForeignKey(ReportVersion, on_delete=models.PROTECT, related_name="actions")
    decision = models.CharField("办理结果", max_length=20, choices=ReviewDecision.choices)
    level_order = models.PositiveSmallIntegerField("级次", null=True, blank=True)
    level_name = models.CharField("审核人（岗位）", max_length=50, blank=True)
    comment = models.TextField("意见", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(max_length=150, blank=True)
    at = models.DateTimeField()

    class Meta:
        ordering = ["report", "at", "pk"]

    def __str__(self):
        return f"{self.get_decision_display()} {self.level_name}"


class PassageComment(models.Model):
    """A reviewer's comment on a quoted passage; offsets are into the version's text."""

    action = models.ForeignKey(ReviewAction, on_delete=models.CASCADE, related_name="passages")
    version = models.ForeignKey(ReportVersion, on_delete=models.CASCADE, related_name="passages")
    quote = models.TextField("引用原文")
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    comment = models.TextField("批注")

    class Meta:
        ordering = ["version", "start"]

    def __str__(self):
        return f"“{self.quote[:20]}”：{self.comment[:30]}"

"""点评, the problem list (问题清单) and the rectification ledger (整改台账).

A Problem is found once (from any source); its Rectification carries the workflow state.
A CommonProblem (共性问题) groups similar problems of several units and has its own
organiser-level Rectification. Status changes happen only in services.rectification_*.
"""

import re

from django.conf import settings
from django.db import models
from django.db.models import Q

from shuping.orgs.models import Org, Person


class Source(models.TextChoices):
    SELF = "self", "自己查"
    CRITIQUE = "critique", "上级找（点评指出）"
    PUBLIC = "public", "群众提"
    TOUR = "tour", "巡视巡察反馈"
    INSPECTION = "inspection", "督查发现"
    CARRY_OVER = "carry_over", "上年述职遗留"


class Category(models.TextChoices):
    TEAM = "班子建设", "班子建设"
    SUPPORT = "工作保障", "工作保障"
    MEMBERS = "党员队伍建设", "党员队伍建设"
    TOUR = "巡视巡察反馈问题整改", "巡视巡察反馈问题整改"
    ORGANISING = "组织力", "组织力"
    SERVICE = "服务群众", "服务群众"
    CONDUCT = "作风建设", "作风建设"
    IDEOLOGY = "意识形态", "意识形态"
    OTHER = "其他", "其他"


class Severity(models.TextChoices):
    NORMAL = "一般", "一般"
    SERIOUS = "较重", "较重"
    GRAVE = "严重", "严重"


class Status(models.TextChoices):
    NOT_STARTED = "not_started", "未开始"
    IN_PROGRESS = "in_progress", "整改中"
    PENDING = "pending", "申请销号"
    CLOSED = "closed", "已销号"
    OVERDUE = "overdue", "逾期"


OPEN_STATUSES = (Status.NOT_STARTED, Status.IN_PROGRESS, Status.PENDING, Status.OVERDUE)


class Critique(models.Model):
    """The superior's 点评 of one participant: 亮点, 问题, 建议."""

    participant = models.OneToOneField("campaigns.Participant", on_delete=models.CASCADE, related_name="critique")
    strengths = models.TextField("亮点", blank=True)
    problems = models.TextField("存在问题", blank=True, help_text="每行一条，保存时可逐条登记到问题清单")
    suggestions = models.TextField("意见建议", blank=True)
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        verbose_name = "点评"
        verbose_name_plural = "点评"

    def __str__(self):
        return f"对{self.participant.org.name}的点评"

    def problem_lines(self) -> list[str]:
        return split_lines(self.problems)


def split_lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+是[：:，,]?|[（(]?[一二三四五六七八九十\d]+[)）、.．]|[-•·*])\s*")


def strip_numbering(line: str) -> str:
    """「一是…」「（二）…」「3.…」「- …」 → the text alone; documents number the lines themselves."""
    return NUMBERING.sub("", line).strip()


class CommonProblem(models.Model):
    """共性问题: one problem seen in many units, rectified at the organiser's level."""

    organiser = models.ForeignKey(Org, verbose_name="牵头单位", on_delete=models.PROTECT, related_name="common_problems")
    title = models.CharField("共性问题", max_length=300)
    category = models.CharField("问题类别", max_length=20, choices=Category.choices, default=Category.OTHER)
    close_members = models.BooleanField("销号时同步销号各单位问题", default=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "pk"]
        verbose_name = "共性问题"
        verbose_name_plural = "共性问题"

    def __str__(self):
        return self.title


class Problem(models.Model):
    org = models.ForeignKey(Org, verbose_name="责任单位", on_delete=models.PROTECT, related_name="problems")
    description = models.TextField("问题描述")
    category = models.CharField("问题类别", max_length=20, choices=Category.choices, default=Category.OTHER)
    severity = models.CharField("严重程度", max_length=4, choices=Severity.choices, default=Severity.NORMAL)
    source = models.CharField("问题来源", max_length=20, choices=Source.choices)
    source_document = models.CharField("来源文件", max_length=300, blank=True, help_text="如：县委第二巡察组反馈意见（清巡反〔2025〕3号）")
    found_on = models.DateField("发现日期")
    campaign = models.ForeignKey("campaigns.Campaign", verbose_name="所属考核", null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="problems")
    participant = models.ForeignKey("campaigns.Participant", verbose_name="述职人", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="problems")
    critique = models.ForeignKey(Critique, null=True, blank=True, on_delete=models.SET_NULL, related_name="found_problems")
    common = models.ForeignKey(CommonProblem, verbose_name="共性问题", null=True, blank=True,
                               on_delete=models.SET_NULL, related_name="members")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-found_on", "-pk"]
        indexes = [models.Index(fields=["org", "found_on"])]
        verbose_name = "问题"
        verbose_name_plural = "问题"

    def __str__(self):
        text = self.description.replace("\n", " ")
        return text[:40] + ("…" if len(text) > 40 else "")


class Rectification(models.Model):
    """整改: owner, measures, deadline and the workflow state, for a problem or a common problem."""

    problem = models.OneToOneField(Problem, null=True, blank=True, on_delete=models.CASCADE, related_name="rectification")
    common = models.OneToOneField(CommonProblem, null=True, blank=True, on_delete=models.CASCADE, related_name="rectification")
    # Denormalised from the problem / common problem: every scoped query filters on org__path.
    org = models.ForeignKey(Org, on_delete=models.PROTECT, related_name="rectifications")
    owner = models.ForeignKey(Person, verbose_name="责任人", null=True, blank=True, on_delete=models.PROTECT, related_name="rectifications")
    measures = models.TextField("整改措施", blank=True)
    deadline = models.DateField("整改时限", null=True, blank=True)
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.NOT_STARTED)
    closed_at = models.DateTimeField("销号时间", null=True, blank=True)
    overdue_since = models.DateField("逾期日期", null=True, blank=True)
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["deadline", "pk"]
        indexes = [models.Index(fields=["status", "deadline"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(problem__isnull=False) & Q(common__isnull=True)) | (Q(problem__isnull=True) & Q(common__isnull=False)),
                name="rectification_problem_xor_common",
            )
        ]
        verbose_name = "整改"
        verbose_name_plural = "整改"

    def __str__(self):
        return f"整改：{self.subject}"

    @property
    def subject(self):
        return self.problem if self.problem_id else self.common

    @property
    def is_open(self) -> bool:
        return self.status != Status.CLOSED

    @property
    def status_badge(self) -> str:
        return {
            Status.NOT_STARTED: "secondary", Status.IN_PROGRESS: "primary", Status.PENDING: "info",
            Status.CLOSED: "success", Status.OVERDUE: "danger",
        }[self.status]


class StatusChange(models.Model):
    """The visible history of one rectification (the audit log holds the tamper-evident copy)."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=20, choices=Status.choices)
    to_status = models.CharField(max_length=20, choices=Status.choices)
    reason = models.TextField(blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ProgressEntry(models.Model):
    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="progress")
    text = models.TextField("整改进展")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return self.text[:40]


class Evidence(models.Model):
    """An uploaded proof file; the bytes live in the file store (storage API, evidence/…), never in the database."""

    progress = models.ForeignKey(ProgressEntry, on_delete=models.CASCADE, related_name="evidence")
    original_name = models.CharField(max_length=255)
    stored_name = models.CharField(max_length=64, unique=True)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.original_name


class VerificationKind(models.TextChoices):
    VERIFY = "verify", "销号核验"
    SPOT_CHECK = "spot_check", "抽查"
    COMMON = "common", "随共性问题销号"


class Verification(models.Model):
    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="verifications")
    kind = models.CharField(max_length=20, choices=VerificationKind.choices)
    approved = models.BooleanField()
    comment = models.TextField("核验意见", blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()}：{'通过' if self.approved else '不通过'}"


class SpotCheck(models.Model):
    """One 抽查 round: N % of the closed items within an org subtree, picked at random."""

    org = models.ForeignKey(Org, verbose_name="抽查范围", on_delete=models.PROTECT, related_name="+")
    percent = models.PositiveSmallIntegerField("抽查比例（%）")
    note = models.CharField("说明", max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.org.name} 抽查 {self.percent}%"


class SpotCheckResult(models.TextChoices):
    PENDING = "pending", "待核查"
    PASSED = "passed", "通过"
    FAILED = "failed", "不通过（已重新打开）"


class SpotCheckItem(models.Model):
    spot_check = models.ForeignKey(SpotCheck, on_delete=models.CASCADE, related_name="items")
    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="spot_checks")
    result = models.CharField(max_length=10, choices=SpotCheckResult.choices, default=SpotCheckResult.PENDING)
    finding = models.TextField("核查发现", blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    checked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["spot_check", "rectification"], name="unique_spot_check_item")]

    def __str__(self):
        return f"抽查 {self.rectification_id}：{self.get_result_display()}"


class ReminderKind(models.TextChoices):
    OVERDUE = "overdue", "已逾期"
    DUE_SOON = "due_soon", "即将到期"


class Reminder(models.Model):
    """One reminder per item per day, written by `shuping mark-overdue`."""

    rectification = models.ForeignKey(Rectification, on_delete=models.CASCADE, related_name="reminders")
    day = models.DateField()
    kind = models.CharField(max_length=10, choices=ReminderKind.choices)
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="rectification_reminders")
    message = models.CharField(max_length=500)

    class Meta:
        ordering = ["-day", "pk"]
        constraints = [models.UniqueConstraint(fields=["rectification", "day"], name="unique_reminder_per_day")]

    def __str__(self):
        return self.message


class CarryOver(models.Model):
    """A problem brought into next year's campaign (上年述职遗留) for one participant."""

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="carried_problems")
    participant = models.ForeignKey("campaigns.Participant", on_delete=models.CASCADE, related_name="carried_problems")
    problem = models.ForeignKey(Problem, on_delete=models.CASCADE, related_name="carry_overs")
    open_when_carried = models.BooleanField()
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["participant", "problem"], name="unique_carry_over")]

    def __str__(self):
        return f"结转：{self.problem_id} → {self.campaign_id}"


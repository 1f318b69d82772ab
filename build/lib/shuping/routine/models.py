"""日常考核 (routine assessment): responsibility lists, monthly scores, quarterly circulars with
supervision orders, half-year inspections, and the recorded uses of published results.

Read by other apps (stars, dashboards) for routine-score trends; the shapes are kept simple:

* ``RoutineIndicator``: the indicators an organiser scores in one year (code, name, max score).
* ``MonthlyScore``: one score of one unit on one indicator in one month of that year.
  A unit's month total is the sum of its MonthlyScore rows for the month; the year's
  routine score normalised to 100 is ``selectors.routine_score`` (formula documented there).
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from shuping.orgs.models import Org, Person

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


class RoutineIndicator(models.Model):
    """A routine indicator (组织生活落实, 阵地建设 …) that an organiser scores monthly in one year."""

    organiser = models.ForeignKey(Org, verbose_name="组织单位", on_delete=models.PROTECT, related_name="routine_indicators")
    year = models.PositiveSmallIntegerField("年度")
    code = models.CharField("指标编码", max_length=32)
    name = models.CharField("指标名称", max_length=100)
    max_score = models.DecimalField("满分", max_digits=6, decimal_places=2,
                                    validators=[MinValueValidator(Decimal("0.01"))])
    guidance = models.CharField("评分要点", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["organiser", "year", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["organiser", "year", "code"], name="unique_routine_indicator")]
        verbose_name = "日常考核指标"
        verbose_name_plural = "日常考核指标"

    def __str__(self):
        return f"{self.code} {self.name}"


class MonthlyScore(models.Model):
    indicator = models.ForeignKey(RoutineIndicator, on_delete=models.PROTECT, related_name="scores")
    org = models.ForeignKey(Org, verbose_name="被考核单位", on_delete=models.PROTECT, related_name="monthly_scores")
    month = models.PositiveSmallIntegerField("月份", validators=[MinValueValidator(1), MaxValueValidator(12)])
    score = models.DecimalField("得分", max_digits=6, decimal_places=2, validators=NON_NEGATIVE)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["month", "org__path", "indicator__order"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "org", "month"], name="unique_monthly_score"),
            models.CheckConstraint(condition=models.Q(month__gte=1, month__lte=12), name="monthly_score_month_range"),
        ]
        indexes = [models.Index(fields=["org", "month"])]
        verbose_name = "月度评分"
        verbose_name_plural = "月度评分"

    def __str__(self):
        return f"{self.org_id} {self.month}月 {self.indicator_id}: {self.score}"


class ResponsibilityItem(models.Model):
    """One line of a unit's 责任清单: a key task with a measurable target and the evidence required."""

    organiser = models.ForeignKey(Org, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    org = models.ForeignKey(Org, verbose_name="责任单位", on_delete=models.PROTECT, related_name="responsibility_items")
    year = models.PositiveSmallIntegerField("年度")
    task = models.CharField("重点任务", max_length=300)
    target_value = models.DecimalField("目标值", max_digits=10, decimal_places=2,
                                       validators=[MinValueValidator(Decimal("0.01"))])
    target_unit = models.CharField("计量单位", max_length=20, help_text="如：次、天、%、个")
    deadline = models.DateField("完成时限")
    evidence_required = models.CharField("佐证材料", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["org__path", "order", "pk"]
        indexes = [models.Index(fields=["organiser", "year"])]
        verbose_name = "责任清单事项"
        verbose_name_plural = "责任清单事项"

    def __str__(self):
        return self.task

    @property
    def achieved(self) -> Decimal | None:
        """The latest progress entry's cumulative value (entries record 累计完成值)."""
        latest = self.latest_progress
        return latest.achieved_value if latest else None

    @property
    def latest_progress(self):
        entries = list(self.progress.all())  # prefetched in list views
        return max(entries, key=lambda e: (e.recorded_on, e.pk)) if entries else None

    @property
    def completion(self) -> Decimal:
        """Completion percentage, 0..100, 2 places."""
        from .selectors import completion_percent

        return completion_percent(self.achieved, self.target_value)

    def is_overdue(self, day) -> bool:
        return self.deadline < day and self.completion < 100


class ResponsibilityProgress(models.Model):
    item = models.ForeignKey(ResponsibilityItem, on_delete=models.CASCADE, related_name="progress")
    recorded_on = models.DateField("记录日期")
    achieved_value = models.DecimalField("累计完成值", max_digits=10, decimal_places=2, validators=NON_NEGATIVE)
    note = models.CharField("进展说明与佐证", max_length=500, blank=True)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    entered_at = models.DateTimeField()

    class Meta:
        ordering = ["recorded_on", "pk"]

    def __str__(self):
        return f"{self.recorded_on}: {self.achieved_value}"


class CircularState(models.TextChoices):
    DRAFT = "draft", "草稿"
    ISSUED = "issued", "已印发"


class QuarterlyCircular(models.Model):
    """按季通报: the quarter's rankings, practices and problems; issuing it creates supervision orders."""

    organiser = models.ForeignKey(Org, verbose_name="组织单位", on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField("年度")
    quarter = models.PositiveSmallIntegerField("季度", validators=[MinValueValidator(1), MaxValueValidator(4)])
    title = models.CharField("标题", max_length=200)
    doc_number = models.CharField("文号", max_length=100, blank=True, help_text="如：清组通〔2026〕12号")
    practices = models.TextField("经验做法", blank=True, help_text="每行一条")
    problems = models.TextField("存在问题", blank=True, help_text="每行一条")
    lowest_n = models.PositiveSmallIntegerField("每个排名分组末位督办单位数", default=2,
                                                validators=[MaxValueValidator(20)])
    supervision_deadline = models.DateField("督办整改时限")
    state = models.CharField("状态", max_length=10, choices=CircularState.choices, default=CircularState.DRAFT)
    issued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-year", "-quarter", "organiser__path"]
        constraints = [models.UniqueConstraint(fields=["organiser", "year", "quarter"], name="unique_quarterly_circular")]
        verbose_name = "季度通报"
        verbose_name_plural = "季度通报"

    def __str__(self):
        return self.title


class SupervisionOrder(models.Model):
    """督办单 for a low-ranked unit; its problem is tracked in the rectification ledger."""

    circular = models.ForeignKey(QuarterlyCircular, on_delete=models.CASCADE, related_name="orders")
    org = models.ForeignKey(Org, verbose_name="督办单位", on_delete=models.PROTECT, related_name="+")
    rank = models.PositiveIntegerField("排名")
    group = models.CharField("排名分组", max_length=30)
    total = models.DecimalField("季度得分", max_digits=8, decimal_places=2)
    problem = models.OneToOneField("rectification.Problem", on_delete=models.PROTECT, related_name="supervision_order")
    deadline = models.DateField("整改时限")

    class Meta:
        ordering = ["group", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["circular", "org"], name="unique_supervision_order")]

    def __str__(self):
        return f"督办单：{self.org.name}"


class InspectionPlan(models.Model):
    """半年督查核实: an inspection of an org subtree over a period by a team of inspectors."""

    org = models.ForeignKey(Org, verbose_name="督查范围", on_delete=models.PROTECT, related_name="+")
    title = models.CharField("督查名称", max_length=200)
    period_start = models.DateField("开始日期")
    period_end = models.DateField("结束日期")
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, verbose_name="督查组成员", related_name="inspection_plans", blank=True)
    notes = models.TextField("督查重点", blank=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-period_start", "-pk"]
        verbose_name = "督查计划"
        verbose_name_plural = "督查计划"

    def __str__(self):
        return self.title


class InspectionVisit(models.Model):
    plan = models.ForeignKey(InspectionPlan, on_delete=models.CASCADE, related_name="visits")
    org = models.ForeignKey(Org, verbose_name="被督查单位", on_delete=models.PROTECT, related_name="+")
    visited_on = models.DateField("督查日期")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="督查人员", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    notes = models.TextField("督查记录", blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["visited_on", "pk"]

    def __str__(self):
        return f"{self.visited_on} {self.org.name}"


class InspectionFinding(models.Model):
    """A finding of a visit; it exists only together with its problem in the rectification ledger."""

    visit = models.ForeignKey(InspectionVisit, on_delete=models.CASCADE, related_name="findings")
    problem = models.OneToOneField("rectification.Problem", on_delete=models.PROTECT, related_name="inspection_finding")

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return f"督查发现：{self.problem}"


class UseKind(models.TextChoices):
    HONOUR = "honour", "评优评先"
    PROMOTION = "promotion", "干部选拔任用"
    TALK = "talk", "约谈"
    ADMONISH = "admonish", "诫勉"
    ADJUST = "adjust", "调整"
    OTHER = "other", "其他"


class ResultUse(models.Model):
    """考核结果运用: one recorded use of a published result for a person."""

    person = models.ForeignKey(Person, verbose_name="人员", on_delete=models.PROTECT, related_name="result_uses")
    kind = models.CharField("运用方式", max_length=20, choices=UseKind.choices)
    decided_on = models.DateField("日期")
    document = models.CharField("决定文件", max_length=200, blank=True, help_text="如：清组干〔2026〕8号")
    note = models.CharField("说明", max_length=500, blank=True)
    result = models.ForeignKey("campaigns.ParticipantResult", verbose_name="依据的考核结果", null=True, blank=True,
                               on_delete=models.PROTECT, related_name="uses")
    org = models.ForeignKey(Org, verbose_name="登记单位", on_delete=models.PROTECT, related_name="+",
                            help_text="the organiser whose scope this record belongs to")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-decided_on", "-pk"]
        verbose_name = "结果运用"
        verbose_name_plural = "结果运用"

    def __str__(self):
        return f"{self.person.name} {self.get_kind_display()}"


class RankingGroup(models.Model):
    """排名分组 of one organiser's routine rankings (乡镇 vs 县直单位 in a county, 县市区 vs 市直单位 in a 州,
    村 vs 社区 in a 街道 …). Without rows the defaults for the organiser's level apply."""

    organiser = models.ForeignKey(Org, verbose_name="组织单位", on_delete=models.CASCADE,
                                  related_name="routine_ranking_groups")
    name = models.CharField("排名分组", max_length=50)
    unit_types = models.JSONField("包含的单位类别", default=list, blank=True,
                                  help_text="空表示其余所有单位")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["organiser", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["organiser", "name"], name="unique_routine_ranking_group")]
        verbose_name = "日常考核排名分组"
        verbose_name_plural = "日常考核排名分组"

    def __str__(self):
        return self.name

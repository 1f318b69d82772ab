"""A year's 述职评议考核: configuration, participants, rubric, ballots and frozen results."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from shuping.orgs.models import Org, Person, Sector

PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
NON_NEGATIVE = [MinValueValidator(Decimal("0"))]


def score_field(verbose_name, default=None, **kwargs):
    return models.DecimalField(verbose_name, max_digits=7, decimal_places=2, default=default, **kwargs)


class CampaignKind(models.TextChoices):
    ANNUAL = "annual", "年度述职评议考核"
    SPECIAL = "special", "专项述职"


class Presentation(models.TextChoices):
    ON_STAGE = "on_stage", "现场述职"
    WRITTEN = "written", "书面述职"


class CampaignState(models.TextChoices):
    DRAFT = "draft", "草稿"
    WRITING = "writing", "报告撰写"
    REVIEW = "review", "审核"
    MEETING = "meeting", "会议"
    SCORING = "scoring", "计分"
    PUBLISHED = "published", "已发布"
    ARCHIVED = "archived", "已归档"


class ResultVisibility(models.TextChoices):
    OWN = "own", "只看本单位结果"
    OWN_RANK = "own_rank", "本单位结果和排名"
    FULL = "full", "全部结果"


class Grade(models.TextChoices):
    GOOD = "好", "好"
    FAIR = "较好", "较好"
    AVERAGE = "一般", "一般"
    POOR = "差", "差"


class Campaign(models.Model):
    organiser = models.ForeignKey(Org, verbose_name="组织单位", on_delete=models.PROTECT, related_name="campaigns")
    year = models.PositiveSmallIntegerField("年度")
    title = models.CharField("名称", max_length=200)
    kind = models.CharField("类型", max_length=20, choices=CampaignKind.choices, default=CampaignKind.ANNUAL)
    state = models.CharField("状态", max_length=20, choices=CampaignState.choices, default=CampaignState.DRAFT)
    previous = models.ForeignKey(
        "self", verbose_name="上一年度考核", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_campaigns"
    )
    # Composite formula (DESIGN.md "Scoring rules"): every number is configuration.
    weight_meeting = models.DecimalField("现场测评权重", max_digits=5, decimal_places=2, default=Decimal("30"), validators=PERCENT)
    weight_democratic = models.DecimalField("民主测评权重", max_digits=5, decimal_places=2, default=Decimal("20"), validators=PERCENT)
    weight_routine = models.DecimalField("日常考核权重", max_digits=5, decimal_places=2, default=Decimal("50"), validators=PERCENT)
    trim_min = models.PositiveSmallIntegerField("去掉最高最低分的最少票数", default=5, validators=[MinValueValidator(3)])
    threshold_good = score_field("“好”等次分数线", Decimal("90"), validators=NON_NEGATIVE)
    threshold_fair = score_field("“较好”等次分数线", Decimal("80"), validators=NON_NEGATIVE)
    threshold_average = score_field("“一般”等次分数线", Decimal("60"), validators=NON_NEGATIVE)
    quota_good = models.DecimalField("“好”等次比例上限（%）", max_digits=5, decimal_places=2, default=Decimal("30"), null=True, blank=True, validators=PERCENT)
    quota_fair = models.DecimalField("“较好”等次比例上限（%）", max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT)
    veto_grade = models.CharField("一票否决后的等次", max_length=4, choices=Grade.choices, default=Grade.POOR)
    bonus_cap = score_field("加分上限", Decimal("5"), validators=NON_NEGATIVE)
    value_good = score_field("民主测评“好”折算分", Decimal("100"), validators=NON_NEGATIVE)
    value_fair = score_field("民主测评“较好”折算分", Decimal("80"), validators=NON_NEGATIVE)
    value_average = score_field("民主测评“一般”折算分", Decimal("60"), validators=NON_NEGATIVE)
    value_poor = score_field("民主测评“差”折算分", Decimal("0"), validators=NON_NEGATIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    result_visibility = models.CharField("述职人可见的结果", max_length=10, choices=ResultVisibility.choices,
                                         default=ResultVisibility.OWN_RANK)
    default_presentation = models.CharField(
        "默认述职方式", max_length=20, choices=Presentation.choices, default=Presentation.ON_STAGE,
        help_text="新加入的述职人默认的述职方式；专项述职默认书面述职",
    )

    class Meta:
        ordering = ["-year", "organiser__path", "title"]
        verbose_name = "述职评议考核"
        verbose_name_plural = "述职评议考核"

    def __str__(self):
        return self.title

    @property
    def is_frozen(self) -> bool:
        return self.state in (CampaignState.PUBLISHED, CampaignState.ARCHIVED)

    @property
    def config_editable(self) -> bool:
        """Rubric, groups and weights may change only before the meeting starts."""
        return self.state in (CampaignState.DRAFT, CampaignState.WRITING, CampaignState.REVIEW)


class RankingGroup(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ranking_groups")
    name = models.CharField("排名分组", max_length=50)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "name"], name="unique_ranking_group_name")]

    def __str__(self):
        return self.name


class ParticipantKind(models.TextChoices):
    UNIT = "unit", "单位述职"
    MEMBER = "member", "班子成员书面述职"


class ReporterManager(models.Manager):
    """The reporters of the meeting: units and their secretaries.

    A 班子成员's written 述职 (kind MEMBER) goes through the report review chain only: it is absent
    from this manager, hence from `campaign.participants`, the agenda, ballots, tallies, results
    and dashboards. `Participant.every` includes them (the reports app and the team app use it).
    """

    def get_queryset(self):
        return super().get_queryset().filter(kind=ParticipantKind.UNIT)


class Participant(models.Model):
    """A 述职人: the org that reports and its secretary — or, for a written-only 班子成员 述职, the
    member (in `secretary`) of a unit that reports in the same campaign."""

    kind = models.CharField("类别", max_length=10, choices=ParticipantKind.choices, default=ParticipantKind.UNIT)
    member_post = models.CharField("班子职务", max_length=30, blank=True)
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="participants")
    org = models.ForeignKey(Org, verbose_name="述职单位", on_delete=models.PROTECT, related_name="participations")
    secretary = models.ForeignKey(Person, verbose_name="述职人", null=True, blank=True, on_delete=models.PROTECT, related_name="participations")
    ranking_group = models.ForeignKey(RankingGroup, verbose_name="排名分组", on_delete=models.PROTECT, related_name="participants")
    agenda_order = models.PositiveIntegerField("述职顺序", default=0)
    presentation = models.CharField("述职方式", max_length=20, choices=Presentation.choices, default=Presentation.ON_STAGE)
    routine_score = score_field("日常考核得分", null=True, blank=True, validators=NON_NEGATIVE)
    bonus = score_field("加分", Decimal("0"), validators=NON_NEGATIVE)
    deduction = score_field("扣分", Decimal("0"), validators=NON_NEGATIVE)
    vetoed = models.BooleanField("一票否决", default=False)
    veto_reason = models.CharField("否决事由", max_length=300, blank=True)

    objects = ReporterManager()  # the default manager: units only
    every = models.Manager()  # noqa: DJ012 (ruff takes the custom manager above for a field)

    class Meta:
        ordering = ["agenda_order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "org"], condition=models.Q(kind="unit"),
                                    name="unique_participant_org"),
            models.UniqueConstraint(fields=["campaign", "org", "secretary"], condition=models.Q(kind="member"),
                                    name="unique_member_reporter"),
        ]
        verbose_name = "述职人"
        verbose_name_plural = "述职人"

    def __str__(self):
        if self.kind == ParticipantKind.MEMBER:
            return f"{self.org.name}{self.member_post}（{self.secretary.name if self.secretary else '—'}，书面述职）"
        return f"{self.org.name}（{self.secretary.name if self.secretary else '—'}）"

    @property
    def label(self) -> str:
        return str(self)

    @property
    def is_member(self) -> bool:
        return self.kind == ParticipantKind.MEMBER

    @property
    def report_title(self) -> str:
        if self.is_member:
            name = self.secretary.name if self.secretary else ""
            return f"{self.org.name}{self.member_post}{name}落实“一岗双责”书面述职"
        return f"{self.org.name}书记抓基层党建工作述职报告"

    def report_versions_exist(self) -> bool:
        """Whether anything was written for this participant (the reports app's versions)."""
        report = getattr(self, "report", None) if hasattr(type(self), "report") else None
        return bool(report and report.versions.exists())


class IndicatorKind(models.TextChoices):
    REQUIRED = "required", "必答题"
    BONUS = "bonus", "加分题"
    DEDUCTION = "deduction", "扣分项"
    VETO = "veto", "一票否决"


class IndicatorFields(models.Model):
    code = models.CharField("指标编码", max_length=32)
    name = models.CharField("指标名称", max_length=100)
    guidance = models.TextField("评分要点", blank=True)
    max_score = score_field("满分", Decimal("10"), validators=NON_NEGATIVE)
    kind = models.CharField("类型", max_length=20, choices=IndicatorKind.choices, default=IndicatorKind.REQUIRED)
    topic = models.CharField("对应主题", max_length=50, blank=True, help_text="用于报告自动检查和问题分类，如 班子建设、工作保障")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        abstract = True
        ordering = ["order", "code"]

    def __str__(self):
        return f"{self.code} {self.name}"

    @property
    def is_scored_at_meeting(self) -> bool:
        """Evaluators score required and bonus items; deductions and vetoes are set by the organiser."""
        return self.kind in (IndicatorKind.REQUIRED, IndicatorKind.BONUS)


class RubricTemplate(models.Model):
    """A reusable rubric per sector (分类指导)."""

    name = models.CharField("模板名称", max_length=100, unique=True)
    sector = models.CharField("适用领域", max_length=24, choices=Sector.choices, blank=True)
    description = models.TextField("说明", blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class TemplateIndicator(IndicatorFields):
    template = models.ForeignKey(RubricTemplate, on_delete=models.CASCADE, related_name="indicators")

    class Meta(IndicatorFields.Meta):
        constraints = [models.UniqueConstraint(fields=["template", "code"], name="unique_template_indicator_code")]


class Indicator(IndicatorFields):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="indicators")

    class Meta(IndicatorFields.Meta):
        constraints = [models.UniqueConstraint(fields=["campaign", "code"], name="unique_indicator_code")]


class EvaluatorGroup(models.Model):
    """常委, 领导小组成员单位, 党代表, 群众代表 …"""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="evaluator_groups")
    code = models.CharField("编码", max_length=32)
    name = models.CharField("评议组", max_length=50)
    weight = models.DecimalField("权重", max_digits=5, decimal_places=2, default=Decimal("1"), validators=NON_NEGATIVE)
    anonymous = models.BooleanField("匿名", default=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "code"], name="unique_evaluator_group_code"),
            models.UniqueConstraint(fields=["campaign", "name"], name="unique_evaluator_group_name"),
        ]

    def __str__(self):
        return self.name


class DemocraticChoice(models.TextChoices):
    GOOD = "好", "好"
    FAIR = "较好", "较好"
    AVERAGE = "一般", "一般"
    POOR = "差", "差"


class BallotSource(models.TextChoices):
    ONLINE = "online", "扫码测评"
    PAPER = "paper", "纸质录入"
    EXCEL = "excel", "Excel 导入"


class BallotBatch(models.Model):
    """One imported ballot workbook. The file hash makes a second import of the same file fail;
    revoking deletes the batch's ballots as a whole (only before results are published)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ballot_batches")
    sha256 = models.CharField("文件校验值", max_length=64)
    file_name = models.CharField("文件名", max_length=255, blank=True)
    score_ballots = models.PositiveIntegerField("评分票", default=0)
    democratic_votes = models.PositiveIntegerField("民主测评票", default=0)
    imported_at = models.DateTimeField("导入时间")
    imported_by = models.CharField("导入人", max_length=150, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)
    revoked_by = models.CharField("撤销人", max_length=150, blank=True)

    class Meta:
        ordering = ["campaign", "-imported_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["campaign", "sha256"], condition=models.Q(revoked_at__isnull=True),
                                               name="unique_active_ballot_batch")]
        verbose_name = "测评票导入批次"
        verbose_name_plural = "测评票导入批次"

    def __str__(self):
        return f"{self.file_name or self.sha256[:12]}"


class Ballot(models.Model):
    """One evaluator's ballot for one participant.

    No timestamp and a random id: in anonymous groups nothing in this row may point
    back to who cast it. `slot` is a keyed hash of (credential or form id,
    participant); the unique constraint on it is what makes "one evaluator, one
    ballot per participant" hold under any concurrency without storing the voter.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Indexes are what each phone's submission pays for: campaign_id leads the composite index
    # below, and only paper ballots carry a batch, so neither gets an index of its own (issue 18).
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="ballots", db_index=False)
    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ballots")
    group = models.ForeignKey(EvaluatorGroup, on_delete=models.PROTECT, related_name="ballots")
    slot = models.CharField(max_length=64)
    total = models.DecimalField(max_digits=7, decimal_places=2, null=True, blank=True)
    democratic = models.CharField(max_length=4, choices=DemocraticChoice.choices, blank=True)
    source = models.CharField(max_length=10, choices=BallotSource.choices)
    is_test = models.BooleanField(default=False)
    batch = models.ForeignKey(BallotBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="ballots",
                              db_index=False)

    class Meta:
        # A slot names its reporter (a keyed hash of card or form and participant, or a random
        # string after close), so it is unique across campaigns, and the index says so: PostgreSQL
        # then knows that a phone's read of its card's slots finds one row per slot, even before
        # the table has statistics. Unique per campaign only, the read scanned every ballot of the
        # campaign during the meeting's first minutes (issue 18).
        constraints = [models.UniqueConstraint(fields=["slot"], name="unique_ballot_slot")]
        indexes = [models.Index(fields=["campaign", "participant", "group"]),
                   models.Index(fields=["batch"], condition=models.Q(batch__isnull=False), name="ballot_paper_batch")]

    def __str__(self):
        return f"测评票 {self.pk}"


class BallotScore(models.Model):
    # The unique (ballot, indicator) index serves every lookup by ballot. No foreign-key
    # constraint in the database: PostgreSQL checks one per score row with a plan it keeps for
    # the connection, and a plan made while the ballot table was small scans the whole table, so
    # each ballot cost more than the one before it (issue 18). Score rows are written only with
    # their ballot, in the same statement or transaction, and deleted with it by the ORM's
    # cascade; `shuping doctor` (测评票数据) reports any left over.
    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="scores", db_index=False,
                               db_constraint=False)
    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="+")
    score = models.DecimalField(max_digits=7, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "indicator"], name="unique_ballot_indicator")]

    def __str__(self):
        return f"{self.indicator_id}: {self.score}"


class ResultVersion(models.Model):
    """A frozen tally. Published versions are never edited: corrections add a version with a reason."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="result_versions")
    number = models.PositiveSmallIntegerField("版本")
    reason = models.CharField("发布/更正说明", max_length=500, blank=True)
    data = models.JSONField()
    content_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["campaign", "-number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="unique_result_version")]

    def __str__(self):
        return f"{self.campaign} 第 {self.number} 版"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValueError("已发布的结果不能修改，请发布更正版本")
        super().save(*args, **kwargs)


class ParticipantResult(models.Model):
    """The rows of a result version, for queries and dashboards (the JSON snapshot is the record)."""

    version = models.ForeignKey(ResultVersion, on_delete=models.CASCADE, related_name="rows")
    participant = models.ForeignKey(Participant, on_delete=models.PROTECT, related_name="results")
    meeting_score = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    democratic_score = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    good_rate = models.DecimalField(max_digits=7, decimal_places=4, null=True)
    routine_score = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    composite = models.DecimalField(max_digits=7, decimal_places=2, null=True)
    rank = models.PositiveIntegerField(null=True)
    grade = models.CharField(max_length=4, choices=Grade.choices, blank=True)
    vetoed = models.BooleanField(default=False)

    class Meta:
        ordering = ["version", "rank"]
        constraints = [models.UniqueConstraint(fields=["version", "participant"], name="unique_result_row")]

    def __str__(self):
        return f"{self.participant_id}: {self.composite}"

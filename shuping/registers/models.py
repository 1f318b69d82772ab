"""Registers behind the reports: 基础数据 per org and year, and the rules that check reports against them.

Member data itself stays in the national 党员管理信息系统; these are the yearly counts and
facts the 述职评议考核 needs, entered by the unit and confirmed by its superior.
"""

from django.conf import settings
from django.db import models

from shuping.orgs.models import Org, UnitType


class FactKind(models.TextChoices):
    INTEGER = "integer", "整数"
    DECIMAL = "decimal", "数值（两位小数）"
    BOOLEAN = "boolean", "是/否"


class Enterer(models.TextChoices):
    UNIT = "unit", "本单位填报（上级确认）"
    SUPERIOR = "superior", "上级党组织填报"
    DEPARTMENT = "department", "指定部门填报"


class Fact(models.Model):
    """One item of the configurable fact set (党员数, 集体经济收入 …): unit, range, which units fill it, who enters it.

    owner None: shared by the whole installation (top-level admins maintain it); otherwise a county's own item,
    which applies to units within that county and which its admins maintain.
    """

    code = models.SlugField("编码", max_length=32, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    unit = models.CharField("计量单位", max_length=16, blank=True, help_text="如：名、次、平方米、万元；是/否类留空")
    kind = models.CharField("类型", max_length=10, choices=FactKind.choices, default=FactKind.INTEGER)
    min_value = models.DecimalField("最小值", max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField("最大值", max_digits=14, decimal_places=2, null=True, blank=True)
    unit_types = models.CharField("适用单位类别", max_length=200, blank=True,
                                  help_text="单位类别编码，逗号分隔（如 village,community）；留空表示所有单位")
    guidance = models.CharField("填报说明", max_length=300, blank=True)
    order = models.PositiveSmallIntegerField("顺序", default=0)
    active = models.BooleanField("启用", default=True)
    owner = models.ForeignKey(Org, verbose_name="适用范围", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text="留空为全系统通用；选本级组织则只适用于本级及所辖单位")
    enterer = models.CharField("填报主体", max_length=12, choices=Enterer.choices, default=Enterer.UNIT)
    enterer_org = models.ForeignKey(Org, verbose_name="填报部门", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+", help_text="填报主体为“指定部门填报”时选择，该部门为其上级党委所辖单位填报")

    class Meta:
        ordering = ["order", "code"]
        verbose_name = "基础数据项"
        verbose_name_plural = "基础数据项"

    def __str__(self):
        return self.name

    @property
    def header(self) -> str:
        """The column heading in templates and exports: 名称（单位）."""
        return f"{self.name}（{self.unit}）" if self.unit else self.name

    @property
    def unit_types_display(self) -> str:
        """The unit types in Chinese (全部 when empty), for pages and exports."""
        types = [t.strip() for t in self.unit_types.split(",") if t.strip()]
        return "、".join(str(UnitType(t).label) if t in UnitType.values else t for t in types) or "全部"

    def applies_to(self, org: Org) -> bool:
        types = [t.strip() for t in self.unit_types.split(",") if t.strip()]
        if self.owner_id is not None and not org.path.startswith(self.owner.path):
            return False
        return not types or org.unit_type in types

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.enterer == Enterer.DEPARTMENT:
            if self.enterer_org_id is None:
                raise ValidationError({"enterer_org": "填报主体为“指定部门填报”时须选择填报部门"})
            if self.enterer_org.parent_id is None:
                raise ValidationError({"enterer_org": "填报部门须是某一级党委所辖的单位"})
            if self.owner_id is not None and not self.enterer_org.path.startswith(self.owner.path):
                raise ValidationError({"enterer_org": f"填报部门须在适用范围“{self.owner.name}”之内"})
        elif self.enterer_org_id is not None:
            self.enterer_org = None

    @property
    def enterer_display(self) -> str:
        if self.enterer == Enterer.DEPARTMENT and self.enterer_org_id:
            return f"{self.enterer_org.name}填报"
        return self.get_enterer_display()


class SheetState(models.TextChoices):
    DRAFT = "draft", "填报中"
    SUBMITTED = "submitted", "待上级确认"
    RETURNED = "returned", "退回修改"
    CONFIRMED = "confirmed", "已确认"


class FactSheet(models.Model):
    """One org's 基础数据 for one year; only confirmed sheets count as the ledger."""

    org = models.ForeignKey(Org, verbose_name="单位", on_delete=models.PROTECT, related_name="fact_sheets")
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("状态", max_length=12, choices=SheetState.choices, default=SheetState.DRAFT)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    updated_at = models.DateTimeField()
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        ordering = ["-year", "org__path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="unique_fact_sheet")]
        indexes = [models.Index(fields=["year", "state"])]
        verbose_name = "基础数据表"
        verbose_name_plural = "基础数据表"

    def __str__(self):
        return f"{self.org.name}{self.year}年基础数据"


class FactValue(models.Model):
    sheet = models.ForeignKey(FactSheet, on_delete=models.CASCADE, related_name="values")
    fact = models.ForeignKey(Fact, on_delete=models.PROTECT, related_name="values")
    value = models.DecimalField("数值", max_digits=14, decimal_places=2)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sheet", "fact"], name="unique_fact_value")]
        # Dashboards read one fact across a province's sheets: by fact first, value in the index (PostgreSQL).
        indexes = [models.Index(fields=["fact", "sheet"], include=["value"], name="factvalue_fact_sheet")]

    def __str__(self):
        return f"{self.fact.name}={self.value}"


class RuleMode(models.TextChoices):
    EQUAL = "equal", "数值一致（本单位及下级合计）"
    ALL_AT_LEAST = "all_at_least", "全部达到（每个下级单位都不低于所称数值）"
    COUNT = "count", "单位个数（取值为“是”或大于0的下级单位个数）"


class ClaimRule(models.Model):
    """Maps a figure in a report to a register fact. Rows are data: an admin adds rules, no code change."""

    name = models.CharField("规则名称", max_length=100)
    fact = models.ForeignKey(Fact, verbose_name="对应台账数据项", on_delete=models.PROTECT, related_name="rules")
    keywords = models.CharField("关键词", max_length=300,
                                help_text="数字前同一分句中出现其中任一词即适用，逗号分隔，如：发展党员,发展新党员")
    qualifiers = models.CharField("限定词", max_length=200, blank=True,
                                  help_text="还须同时出现其中任一词（如：全部,均,都,所有）；留空不限定")
    excludes = models.CharField("排除词", max_length=200, blank=True,
                                help_text="出现其中任一词则不适用（如：积极分子），逗号分隔")
    units = models.CharField("数字单位", max_length=100,
                             help_text="报告中数字后的单位，逗号分隔，如：名,人；金额可写 万元,元")
    mode = models.CharField("比对方式", max_length=16, choices=RuleMode.choices, default=RuleMode.EQUAL)
    tolerance = models.DecimalField("允许误差（%）", max_digits=5, decimal_places=2, default=0)
    order = models.PositiveSmallIntegerField("优先顺序", default=100, help_text="数字小的先匹配")
    active = models.BooleanField("启用", default=True)
    owner = models.ForeignKey(Org, verbose_name="适用范围", null=True, blank=True, on_delete=models.PROTECT,
                              related_name="+", help_text="留空为全系统通用；选本级组织则只核对本级及所辖单位的报告")

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "数据核实规则"
        verbose_name_plural = "数据核实规则"

    def __str__(self):
        return self.name


class Verdict(models.TextChoices):
    TRUE = "true", "属实"
    FALSE = "false", "不属实"
    UNVERIFIABLE = "unverifiable", "无法核实"


class ClaimVerification(models.Model):
    """An inspector's 核实结果 for one claim of a report; 不属实 carries the problem it opened."""

    plan = models.ForeignKey("routine.InspectionPlan", on_delete=models.CASCADE, related_name="claim_verifications")
    participant = models.ForeignKey("campaigns.Participant", on_delete=models.PROTECT, related_name="+")
    claim_key = models.CharField(max_length=64, help_text="hash of sentence + figure: stable across re-analysis")
    sentence = models.TextField("报告原文")
    figure = models.CharField("所称数据", max_length=100)
    register_text = models.CharField("台账情况", max_length=300, blank=True)
    verdict = models.CharField("核实结果", max_length=16, choices=Verdict.choices)
    note = models.CharField("核实说明", max_length=500, blank=True)
    problem = models.OneToOneField("rectification.Problem", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="claim_verification")
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "participant", "claim_key"],
                                               name="unique_claim_verification")]
        verbose_name = "数据核实结果"
        verbose_name_plural = "数据核实结果"

    def __str__(self):
        return f"{self.figure}：{self.get_verdict_display()}"


# --- 软弱涣散党组织整顿 --------------------------------------------------------------------------


class WeakReason(models.TextChoices):
    LEADERSHIP = "leadership", "书记不胜任、班子不团结"
    ORG_LIFE = "org_life", "组织生活不正常、党员管理松散"
    INTERFERENCE = "interference", "宗族宗教、黑恶势力干扰"
    DISPUTES = "disputes", "矛盾纠纷突出、信访问题集中"
    ECONOMY = "economy", "集体经济薄弱、发展思路不清"
    SERVICE = "service", "服务群众意识差、作用发挥不明显"
    OTHER = "other", "其他"


class WeakState(models.TextChoices):
    IDENTIFIED = "identified", "已认定"
    RECTIFYING = "rectifying", "整顿中"
    PASSED = "passed", "验收达标"
    FAILED = "failed", "验收不达标"


class WeakOrgCase(models.Model):
    """One org identified as 软弱涣散 in a year, from identification through 包联 and 整顿 to 验收."""

    org = models.ForeignKey(Org, verbose_name="党组织", on_delete=models.PROTECT, related_name="weak_cases")
    year = models.PositiveSmallIntegerField("年度")
    reason_category = models.CharField("原因类别", max_length=16, choices=WeakReason.choices)
    reason = models.TextField("具体表现")
    leader = models.CharField("包联县级领导", max_length=50)
    leader_unit = models.ForeignKey(Org, verbose_name="包联单位", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    state = models.CharField("状态", max_length=12, choices=WeakState.choices, default=WeakState.IDENTIFIED)
    identified_on = models.DateField("认定日期")
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    acceptance_note = models.TextField("验收意见", blank=True)
    problem = models.OneToOneField("rectification.Problem", null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="weak_case")
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-year", "org__path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="unique_weak_case")]
        verbose_name = "软弱涣散党组织整顿"
        verbose_name_plural = "软弱涣散党组织整顿"

    def __str__(self):
        return f"{self.year}年 {self.org.name}"


class WeakMilestone(models.Model):
    case = models.ForeignKey(WeakOrgCase, on_delete=models.CASCADE, related_name="milestones")
    measure = models.CharField("整顿措施", max_length=300)
    due = models.DateField("完成时限")
    done_on = models.DateField("完成日期", null=True, blank=True)

    class Meta:
        ordering = ["due", "pk"]

    def __str__(self):
        return self.measure


class WeakProgress(models.Model):
    case = models.ForeignKey(WeakOrgCase, on_delete=models.CASCADE, related_name="progress")
    milestone = models.ForeignKey(WeakMilestone, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.TextField("进展情况")
    evidence = models.FileField("佐证材料", upload_to="registers/weak/%Y/", blank=True)
    evidence_name = models.CharField(max_length=200, blank=True)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-recorded_at", "-pk"]

    def __str__(self):
        return self.note[:50]


# --- 党建品牌 / 示范点 -----------------------------------------------------------------------------


class BrandLevel(models.IntegerChoices):
    # Ordered, so "claimed higher than registered" is a comparison.
    COUNTY = 1, "县级"
    PREFECTURE = 2, "州级"
    PROVINCE = 3, "省级"


class BrandStatus(models.TextChoices):
    CULTIVATING = "cultivating", "培育"
    NAMED = "named", "命名"
    REVOKED = "revoked", "撤销"


class Brand(models.Model):
    """A 党建品牌 or 示范点 recognised at a level; 观摩点 are chosen from these for 观摩 days."""

    name = models.CharField("品牌/示范点名称", max_length=100)
    level = models.PositiveSmallIntegerField("级别", choices=BrandLevel.choices)
    owner = models.ForeignKey(Org, verbose_name="所属党组织", on_delete=models.PROTECT, related_name="brands")
    year = models.PositiveSmallIntegerField("认定年度")
    description = models.TextField("主要做法", blank=True)
    status = models.CharField("状态", max_length=12, choices=BrandStatus.choices, default=BrandStatus.NAMED)
    showcase = models.BooleanField("观摩点", default=False)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-level", "-year", "name"]
        constraints = [models.UniqueConstraint(fields=["owner", "name"], name="unique_brand_name")]
        verbose_name = "党建品牌"
        verbose_name_plural = "党建品牌"

    def __str__(self):
        return self.name


class BrandPhoto(models.Model):
    brand = models.ForeignKey(Brand, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField("照片", upload_to="registers/brands/%Y/")
    caption = models.CharField("说明", max_length=100, blank=True)
    uploaded_at = models.DateTimeField()

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.caption or self.image.name


# --- 第一书记 / 驻村工作队 ---------------------------------------------------------------------------


class PostRole(models.TextChoices):
    FIRST_SECRETARY = "first_secretary", "第一书记"
    TEAM_LEADER = "team_leader", "驻村工作队队长"
    TEAM_MEMBER = "team_member", "驻村工作队队员"


class Assignment(models.Model):
    """A 第一书记 or 驻村工作队 member sent by a unit to a village for a period."""

    person_name = models.CharField("姓名", max_length=50)
    role = models.CharField("身份", max_length=20, choices=PostRole.choices, default=PostRole.FIRST_SECRETARY)
    sending_unit = models.CharField("派出单位", max_length=100)
    village = models.ForeignKey(Org, verbose_name="驻村", on_delete=models.PROTECT, related_name="assignments")
    start = models.DateField("开始日期")
    end = models.DateField("结束日期", null=True, blank=True)
    phone = models.CharField("联系电话", max_length=20, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["village__path", "role", "start"]
        verbose_name = "驻村干部"
        verbose_name_plural = "驻村干部"

    def __str__(self):
        return f"{self.person_name}（{self.get_role_display()}）"

    def active_in(self, year: int) -> bool:
        return self.start.year <= year and (self.end is None or self.end.year >= year)


class StarFactRule(models.Model):
    """A 星级 criterion read from the register: the fact reaching the threshold meets it (full score)."""

    criterion = models.OneToOneField("stars.Criterion", verbose_name="星级评定内容", on_delete=models.CASCADE,
                                     related_name="fact_rule")
    fact = models.ForeignKey(Fact, verbose_name="台账数据项", on_delete=models.PROTECT, related_name="+")
    threshold = models.DecimalField("达标值", max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = "星级自动评定规则"
        verbose_name_plural = "星级自动评定规则"

    def __str__(self):
        return f"{self.criterion.name}：{self.fact.name} ≥ {self.threshold}"


class RegisterRollup(models.Model):
    """Totals of confirmed 基础数据 over an org's whole subtree (itself included) for one year.

    Maintained by registers.rollup on every confirm and every return of a confirmed sheet (and on org moves), so
    a province dashboard reads its direct subordinates' rows instead of aggregating a million values per request.
    """

    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="+")
    year = models.PositiveSmallIntegerField()
    sheets = models.IntegerField(default=0)
    lessons_filled = models.IntegerField(default=0)
    lessons_covered = models.IntegerField(default=0)
    new_members = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    activists = models.DecimalField(max_digits=16, decimal_places=2, default=0)
    income_count = models.IntegerField(default=0)
    income_0 = models.IntegerField(default=0)
    income_1 = models.IntegerField(default=0)
    income_2 = models.IntegerField(default=0)
    income_3 = models.IntegerField(default=0)
    income_4 = models.IntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="unique_register_rollup")]
        verbose_name = "台账汇总"
        verbose_name_plural = "台账汇总"

    def __str__(self):
        return f"{self.org_id}/{self.year}"

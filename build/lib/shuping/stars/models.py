"""星级化管理 of village and community party organisations: criteria, ratings, negative list."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from shuping.orgs.models import Org

NON_NEGATIVE = [MinValueValidator(Decimal("0"))]
STAR_RANGE = [MinValueValidator(1), MaxValueValidator(5)]


def score_field(verbose_name, default=None, **kwargs):
    return models.DecimalField(verbose_name, max_digits=7, decimal_places=2, default=default, **kwargs)


class NegativeMode(models.TextChoices):
    REMOVE = "remove", "每命中一项降一星"
    CAP = "cap", "命中即封顶（不超过该项规定的星级）"


class CriteriaSet(models.Model):
    """One organiser's criteria for one year (a township or county defines it for its villages)."""

    organiser = models.ForeignKey(Org, verbose_name="评定单位", on_delete=models.PROTECT, related_name="star_criteria_sets")
    year = models.PositiveSmallIntegerField("年度")
    threshold_5 = score_field("五星分数线", Decimal("90"), validators=NON_NEGATIVE)
    threshold_4 = score_field("四星分数线", Decimal("80"), validators=NON_NEGATIVE)
    threshold_3 = score_field("三星分数线", Decimal("70"), validators=NON_NEGATIVE)
    threshold_2 = score_field("二星分数线", Decimal("60"), validators=NON_NEGATIVE)
    negative_mode = models.CharField("负面清单处理方式", max_length=10, choices=NegativeMode.choices,
                                     default=NegativeMode.REMOVE)
    publicity_days = models.PositiveSmallIntegerField("公示天数", default=5)

    class Meta:
        ordering = ["-year", "organiser__path"]
        constraints = [models.UniqueConstraint(fields=["organiser", "year"], name="unique_star_criteria_set")]
        verbose_name = "星级评定标准"
        verbose_name_plural = "星级评定标准"

    def __str__(self):
        return f"{self.organiser.name} {self.year}年星级评定标准"

    @property
    def full_score(self) -> Decimal:
        return sum((c.max_score for c in self.criteria.all()), Decimal("0"))


class Criterion(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="criteria")
    code = models.CharField("编码", max_length=16)
    name = models.CharField("评定内容", max_length=100)
    guidance = models.CharField("评分要点", max_length=500, blank=True)
    max_score = score_field("分值", Decimal("10"), validators=NON_NEGATIVE)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="unique_star_criterion_code")]

    def __str__(self):
        return f"{self.code} {self.name}"


class NegativeItem(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.CASCADE, related_name="negative_items")
    code = models.CharField("编码", max_length=16)
    name = models.CharField("负面情形", max_length=200)
    stars_removed = models.PositiveSmallIntegerField("降星数", default=1)
    cap = models.PositiveSmallIntegerField("最高星级", null=True, blank=True, validators=STAR_RANGE)
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["order", "code"]
        constraints = [models.UniqueConstraint(fields=["criteria_set", "code"], name="unique_star_negative_code")]

    def __str__(self):
        return self.name


class RatingState(models.TextChoices):
    DRAFT = "draft", "自评中"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "退回自评"
    ASSESSED = "assessed", "已审核待公示"
    PUBLICISED = "publicised", "公示中"
    APPROVED = "approved", "已评定"


class Rating(models.Model):
    criteria_set = models.ForeignKey(CriteriaSet, on_delete=models.PROTECT, related_name="ratings")
    org = models.ForeignKey(Org, verbose_name="村（社区）党组织", on_delete=models.PROTECT, related_name="star_ratings")
    year = models.PositiveSmallIntegerField("年度")
    state = models.CharField("状态", max_length=20, choices=RatingState.choices, default=RatingState.DRAFT)
    self_total = score_field("自评得分", null=True, blank=True)
    assessed_total = score_field("审核得分", null=True, blank=True)
    base_stars = models.PositiveSmallIntegerField("按分数星级", null=True, blank=True)
    stars = models.PositiveSmallIntegerField("评定星级", null=True, blank=True)
    self_note = models.TextField("自评说明", blank=True)
    assess_note = models.TextField("审核意见", blank=True)
    return_reason = models.CharField("退回原因", max_length=500, blank=True)
    publicity_start = models.DateField("公示开始", null=True, blank=True)
    publicity_end = models.DateField("公示结束", null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField("评定时间", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["-year", "org__path"]
        constraints = [models.UniqueConstraint(fields=["org", "year"], name="unique_star_rating_org_year")]
        indexes = [models.Index(fields=["year", "state"])]
        verbose_name = "星级评定"
        verbose_name_plural = "星级评定"

    def __str__(self):
        return f"{self.org.name} {self.year}年星级评定"

    @property
    def stars_text(self) -> str:
        return "★" * self.stars + "☆" * (5 - self.stars) if self.stars else "—"


class RatingScore(models.Model):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    self_score = score_field("自评分", null=True, blank=True, validators=NON_NEGATIVE)
    assessed_score = score_field("审核分", null=True, blank=True, validators=NON_NEGATIVE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rating", "criterion"], name="unique_star_rating_score")]

    def __str__(self):
        return f"{self.criterion_id}: {self.self_score} / {self.assessed_score}"


class NegativeHit(models.Model):
    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="negative_hits")
    item = models.ForeignKey(NegativeItem, on_delete=models.PROTECT, related_name="+")
    note = models.CharField("情况说明", max_length=300, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["rating", "item"], name="unique_star_negative_hit")]

    def __str__(self):
        return f"{self.rating_id}: {self.item_id}"


class Objection(models.Model):
    """An objection received during the 公示期; upheld ones send the rating back for re-assessment."""

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="objections")
    content = models.TextField("异议内容")
    received_on = models.DateField("收到日期")
    upheld = models.BooleanField("异议成立", default=False)
    handling = models.TextField("处理意见", blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["received_on", "pk"]

    def __str__(self):
        return self.content[:40]

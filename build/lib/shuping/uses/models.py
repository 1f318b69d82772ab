"""结果运用实施细则: the organiser's rules for using published results, and the uses they propose
per person, each confirmed (becoming a recorded routine.ResultUse) or rejected with a reason."""

from django.conf import settings
from django.db import models

from shuping.campaigns.models import Grade, ParticipantResult
from shuping.orgs.models import Org, Person
from shuping.routine.models import ResultUse, UseKind


class Condition(models.TextChoices):
    GRADE = "grade", "当年等次为"
    CONSECUTIVE = "consecutive", "连续若干年等次为"
    VETO = "veto", "被一票否决"


class UseRule(models.Model):
    organiser = models.ForeignKey(Org, verbose_name="制定单位", on_delete=models.PROTECT, related_name="use_rules")
    condition = models.CharField("条件", max_length=20, choices=Condition.choices, default=Condition.GRADE)
    grade = models.CharField("等次", max_length=4, choices=Grade.choices, blank=True)
    years = models.PositiveSmallIntegerField("连续年数", default=2)
    use_kind = models.CharField("运用方式", max_length=20, choices=UseKind.choices)
    measure = models.CharField("运用措施", max_length=200, help_text="如：约谈，当年不得评先评优")
    basis = models.CharField("依据条款", max_length=200, blank=True, help_text="如：《考核结果运用实施细则》第五条")
    active = models.BooleanField("启用", default=True)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["organiser__path", "pk"]
        verbose_name = "结果运用细则"
        verbose_name_plural = "结果运用细则"

    def __str__(self):
        return f"{self.condition_text} → {self.measure}"

    @property
    def condition_text(self) -> str:
        if self.condition == Condition.VETO:
            return "被一票否决"
        if self.condition == Condition.CONSECUTIVE:
            return f"连续{self.years}年等次为“{self.grade}”"
        return f"等次为“{self.grade}”"


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", "待确认"
    CONFIRMED = "confirmed", "已确认"
    REJECTED = "rejected", "不予运用"


class UseProposal(models.Model):
    rule = models.ForeignKey(UseRule, on_delete=models.PROTECT, related_name="proposals")
    result = models.ForeignKey(ParticipantResult, on_delete=models.PROTECT, related_name="use_proposals")
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="use_proposals")
    status = models.CharField("状态", max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.PROPOSED)
    reason = models.CharField("理由", max_length=500, blank=True)
    use = models.OneToOneField(ResultUse, null=True, blank=True, on_delete=models.PROTECT, related_name="proposal")
    created_at = models.DateTimeField()
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["result__participant__agenda_order", "pk"]
        constraints = [models.UniqueConstraint(fields=["rule", "result"], name="unique_use_proposal")]
        verbose_name = "结果运用建议"
        verbose_name_plural = "结果运用建议"

    def __str__(self):
        return f"{self.person} {self.rule.measure}"

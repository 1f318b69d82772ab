"""Collective responsibility (党委主体责任, 书记第一责任人, 班子成员一岗双责, 组织部长直接责任人):
a unit's 班子成员 with their 一岗双责 items, and problems and 点评 naming a member as responsible."""

from django.db import models

from shuping.orgs.models import Org, Person


class Post(models.TextChoices):
    SECRETARY = "secretary", "书记（第一责任人）"
    DEPUTY = "deputy", "副书记"
    MEMBER = "member", "班子成员"
    ORGANISING = "organising", "组织委员"
    ORG_MINISTER = "org_minister", "组织部长（直接责任人）"


class TeamMember(models.Model):
    org = models.ForeignKey(Org, verbose_name="单位", on_delete=models.CASCADE, related_name="team_members")
    person = models.ForeignKey(Person, verbose_name="班子成员", on_delete=models.PROTECT, related_name="team_posts")
    post = models.CharField("职责", max_length=20, choices=Post.choices, default=Post.MEMBER)
    duties = models.TextField("一岗双责事项", blank=True, help_text="每行一项，如：分管领域党建工作，每季度至少专题研究1次")
    order = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        ordering = ["org", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["org", "person"], name="unique_team_member")]
        verbose_name = "班子成员"
        verbose_name_plural = "班子成员"

    def __str__(self):
        return f"{self.person.name}（{self.get_post_display()}）"

    def duty_lines(self) -> list[str]:
        return [line.strip() for line in self.duties.splitlines() if line.strip()]


class ProblemResponsibility(models.Model):
    """A 班子成员 named responsible for a problem (besides the unit's secretary)."""

    problem = models.ForeignKey("rectification.Problem", on_delete=models.CASCADE, related_name="responsible_members")
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="problems")
    note = models.CharField("说明", max_length=200, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["problem", "member"], name="unique_problem_member")]
        verbose_name = "问题责任人"
        verbose_name_plural = "问题责任人"

    def __str__(self):
        return f"{self.member} · {self.problem}"


class CritiqueResponsibility(models.Model):
    """A 班子成员 named in the per-reporter 点评 as answering for part of what it criticises."""

    critique = models.ForeignKey("rectification.Critique", on_delete=models.CASCADE, related_name="responsible_members")
    member = models.ForeignKey(TeamMember, on_delete=models.CASCADE, related_name="critiques")
    note = models.CharField("负责事项", max_length=200, blank=True, help_text="如：分管领域党建工作落实不到位")

    class Meta:
        ordering = ["critique", "pk"]
        constraints = [models.UniqueConstraint(fields=["critique", "member"], name="unique_critique_member")]
        verbose_name = "点评责任人"
        verbose_name_plural = "点评责任人"

    def __str__(self):
        return f"{self.member} · {self.critique}"

"""The linkage component (三级联述联评联考) written into a superior campaign's participants."""

from django.conf import settings
from django.db import models

from shuping.campaigns.models import Campaign, Participant


class LinkageComponent(models.Model):
    """What "计入下级考核结果" last added to one participant's bonus, so a re-run replaces it.

    points = good_share / 100 × cap, where good_share is the share of 好/较好 grades in the
    participant org's own published annual campaign of the same year.
    """

    participant = models.OneToOneField(Participant, on_delete=models.CASCADE, related_name="linkage")
    source_campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    graded = models.PositiveIntegerField("参评单位数", default=0)
    good = models.PositiveIntegerField("好和较好单位数", default=0)
    good_share = models.DecimalField("好和较好占比（%）", max_digits=5, decimal_places=2, null=True)
    cap = models.DecimalField("满分", max_digits=5, decimal_places=2)
    points = models.DecimalField("计入加分", max_digits=5, decimal_places=2)
    applied_at = models.DateTimeField()
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        verbose_name = "下级考核结果计分"
        verbose_name_plural = "下级考核结果计分"

    def __str__(self):
        return f"{self.participant_id}: {self.points}"

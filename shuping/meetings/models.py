"""The 述职评议会 of a campaign: agenda, evaluator credentials, paper forms and their double entry.

Anonymity rule (DESIGN.md "Ballots", docs/threat-model.md): nothing here points at a Ballot for an
anonymous group. A ballot's slot is HMAC(meeting.ballot_key, credential id | reporter); the key
lives in the meeting row only while voting and is erased at close, when the ballots are also
rewritten in random order with fresh ids and random slots. A Credential never changes when its
holder votes. Only named (实名) groups record who cast a ballot, in `NamedBallot`.
"""

from django.conf import settings
from django.db import models

from shuping.campaigns.models import Ballot, Campaign, EvaluatorGroup, Participant


class MeetingStatus(models.TextChoices):
    PREPARING = "preparing", "筹备中"
    TEST = "test", "测试模式"
    OPEN = "open", "正式测评中"
    CLOSED = "closed", "已关闭"


class BallotLayout(models.TextChoices):
    QUICK = "quick", "逐项打分，每项带“满分/良好/一般/较差”快捷档位（可再修改分数）"
    PLAIN = "plain", "逐项打分，只填数字"
    DEMOCRATIC = "democratic", "只做民主测评：一页列出全部述职人，每人选“好/较好/一般/差”"


class Meeting(models.Model):
    campaign = models.OneToOneField(Campaign, on_delete=models.CASCADE, related_name="meeting", verbose_name="述职评议考核")
    held_at = models.DateTimeField("会议时间", null=True, blank=True)
    place = models.CharField("会议地点", max_length=200, blank=True)
    base_url = models.CharField(
        "会场访问地址", max_length=200, blank=True,
        help_text="评议人手机访问本系统的地址，如 http://192.168.1.10:8000 ；留空则使用打印时浏览器地址栏中的地址",
    )
    status = models.CharField("状态", max_length=20, choices=MeetingStatus.choices, default=MeetingStatus.PREPARING)
    current = models.ForeignKey(Participant, verbose_name="正在述职", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+")
    rule_distinct_totals = models.BooleanField(
        "对全部述职人打出相同总分的测评无效", default=True,
        help_text="评议人给最后一位述职人打分时检查；全部总分相同则拒绝提交，提示其区分打分",
    )
    rule_require_democratic = models.BooleanField("民主测评必选", default=True)
    ballot_layout = models.CharField("手机测评页面", max_length=20, choices=BallotLayout.choices,
                                     default=BallotLayout.QUICK)
    # hex of 32 random bytes; exists only while ballots can change (erased at close)
    ballot_key = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "述职评议会"
        verbose_name_plural = "述职评议会"

    def __str__(self):
        return f"{self.campaign.title} 述职评议会"

    @property
    def accepts_ballots(self) -> bool:
        return self.status in (MeetingStatus.TEST, MeetingStatus.OPEN)

    @property
    def is_test(self) -> bool:
        return self.status == MeetingStatus.TEST


class CredentialStatus(models.TextChoices):
    ACTIVE = "active", "有效"
    REVOKED = "revoked", "已作废"


class Credential(models.Model):
    """One evaluator's entry ticket (评议卡). Only hashes of the secrets are stored.

    The short code is a public selector plus a verifier kept only as an Argon2 hash. A phone
    that opened the card holds a random device secret in a cookie; `device_hash` (its sha256)
    lets the phone in without the card's secret in any later URL. `cast_count` is filled at close,
    when the slots can no longer be computed, so the card can still say "已提交 n 位".
    """

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="credentials")
    group = models.ForeignKey(EvaluatorGroup, on_delete=models.PROTECT, related_name="+", verbose_name="评议组")
    number = models.CharField("编号", max_length=32)
    name = models.CharField("姓名", max_length=50, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    code_selector = models.CharField(max_length=8, unique=True)
    code_verifier_hash = models.CharField(max_length=200)
    device_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    cast_count = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=CredentialStatus.choices, default=CredentialStatus.ACTIVE)
    replaces = models.OneToOneField("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="replaced_by")

    class Meta:
        ordering = ["group__order", "number", "pk"]
        indexes = [models.Index(fields=["meeting", "group", "status"])]
        verbose_name = "评议凭证"
        verbose_name_plural = "评议凭证"

    def __str__(self):
        return f"{self.number} {self.name}".strip()


class NamedBallot(models.Model):
    """Who cast a ballot, for named (non-anonymous) groups only."""

    ballot = models.OneToOneField(Ballot, on_delete=models.CASCADE, related_name="+")
    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="named_ballots")

    def __str__(self):
        return f"{self.credential} → {self.ballot_id}"


class PaperFormStatus(models.TextChoices):
    ISSUED = "issued", "待录入"
    MISMATCH = "mismatch", "两次录入不一致"
    AGREED = "agreed", "一致，已计入"
    RESOLVED = "resolved", "已裁定，已计入"


class PaperForm(models.Model):
    """A printed form; its id is the paper credential (slot material "paper:<form_id>")."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="paper_forms")
    group = models.ForeignKey(EvaluatorGroup, on_delete=models.PROTECT, related_name="+", verbose_name="评议组")
    form_id = models.CharField("表号", max_length=32, unique=True)
    status = models.CharField("状态", max_length=10, choices=PaperFormStatus.choices, default=PaperFormStatus.ISSUED)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        ordering = ["form_id"]
        verbose_name = "纸质测评表"
        verbose_name_plural = "纸质测评表"

    def __str__(self):
        return self.form_id

    @property
    def counted(self) -> bool:
        return self.status in (PaperFormStatus.AGREED, PaperFormStatus.RESOLVED)


class PaperEntry(models.Model):
    """One clerk's typing of one paper form (双人录入: two entries by two different clerks)."""

    form = models.ForeignKey(PaperForm, on_delete=models.CASCADE, related_name="entries")
    clerk = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # {"<participant id>": {"<indicator id>": "8.5", ..., "democratic": "好"}}; absent = left blank
    data = models.JSONField()
    entered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["form", "clerk"], name="unique_paper_entry_clerk")]

    def __str__(self):
        return f"{self.form_id} / {self.clerk_id}"

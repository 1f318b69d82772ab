"""Demo step: reports in four states for the demo county's 2026 campaign.

Services are used when the campaign is in a state that allows writing (报告撰写/审核); the
campaigns demo step may leave it in 草稿, and then the same internal steps run without the
campaign-state guard (as an import of history would).
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from shuping.accounts.scope import UserScope
from shuping.campaigns.models import Campaign

from . import demo_texts as texts
from . import services
from .documents import parse_editor_text
from .models import Report, ReviewAction, ReviewDecision, ReviewLevel, VersionSource

DEMO_ACTOR = "演示数据"
# The four levels are four different people (separation of duties): level 1 is the demo's
# "reviewer"; these three join them with the same review rights.
LEVEL_REVIEWERS = [
    ("reviewer2", "分管副部长（演示）"),
    ("reviewer3", "组织部长（演示）"),
    ("reviewer4", "书记审核人（演示）"),
]
# (preferred org code, text, final state)
PLAN = [
    ("QH-T02", texts.DATA_RICH, "approved"),
    ("QH-T03", texts.WATERY, "level2"),
    ("QH-T01", texts.RETURNED, "returned"),
    ("QH-D09", texts.DRAFT, "draft"),
]


def _short_name(org_name: str) -> str:
    for suffix in ("党工委", "党委", "党组"):
        if org_name.endswith(suffix):
            return org_name[: -len(suffix)]
    return org_name


def _pick_participants(campaign):
    participants = list(campaign.participants.select_related("org", "secretary"))
    by_code = {p.org.code: p for p in participants}
    chosen, used = [], set()
    for code, _text, _state in PLAN:
        participant = by_code.get(code)
        if participant is None:
            participant = next((p for p in participants if p.pk not in used and p.org.code not in dict.fromkeys(c for c, _, _ in PLAN)), None)
        if participant is not None:
            used.add(participant.pk)
        chosen.append(participant)
    return chosen


def _level_reviewers(context, campaign, reviewer) -> None:
    """Create the other three reviewers and name one person per level (while the chain may change)."""
    from shuping.accounts.models import Role, RoleGrant
    from shuping.accounts.services import role_grant, user_create
    from shuping.core.demo import DEMO_PASSWORD

    grant = RoleGrant.objects.filter(user=reviewer, role=Role.REVIEWER).select_related("org").first()
    # The demo writes history, so the campaign may already be past 报告撰写; only a chain that
    # reports have entered stays as it is.
    if grant is None or ReviewAction.objects.filter(report__participant__campaign=campaign).exists():
        return
    User = get_user_model()
    people = [reviewer]
    for username, full_name in LEVEL_REVIEWERS:
        user = User.objects.filter(username=username).first() or user_create(
            actor=DEMO_ACTOR, username=username, full_name=full_name, password=DEMO_PASSWORD, validate=False, demo=True)
        role_grant(actor=DEMO_ACTOR, user=user, role=Role.REVIEWER, org=grant.org)
        context.users[full_name.removesuffix("（演示）")] = (username, DEMO_PASSWORD)
        people.append(user)
    for level, person in zip(campaign.review_levels.order_by("order"), people, strict=False):
        level.assignee = person
        level.save(update_fields=["assignee"])


class _Writer:
    """Services when the campaign state allows, the same steps without that guard otherwise."""

    def __init__(self, campaign, reviewer):
        self.open = campaign.state in services.WRITABLE_CAMPAIGN_STATES
        self.reviewer = reviewer

    def save(self, participant, blocks, actor):
        if self.open:
            return services.report_save(actor=actor, participant=participant, blocks=blocks, source=VersionSource.EDITOR)
        report, _ = Report.objects.get_or_create(participant=participant)
        return services._add_version(report, actor=actor, blocks=blocks, source=VersionSource.EDITOR)

    def submit(self, participant, actor):
        if self.open:
            return services.report_submit(actor=actor, participant=participant)
        return services._submit(Report.objects.get(participant=participant), actor=actor)

    def review(self, participant, decision, comment="", passages=()):
        report = Report.objects.get(participant=participant)
        level = ReviewLevel.objects.select_related("assignee").get(campaign=participant.campaign,
                                                                   order=report.current_level)
        # Each level is decided by the person it names (four levels, four people).
        reviewer = level.assignee or self.reviewer
        actor = reviewer or DEMO_ACTOR
        if self.open and reviewer:
            return services.report_review(actor=actor, scope=UserScope(reviewer), participant=participant,
                                          level_order=report.current_level, decision=decision,
                                          comment=comment, passages=passages)
        return services._review(report, actor=actor, level=level, decision=decision, comment=comment,
                                passages=list(passages))


@transaction.atomic
def build_demo_reports(context) -> None:
    campaign = Campaign.objects.filter(title__startswith="2026年度清河县").order_by("pk").first()
    if campaign is None:
        return
    User = get_user_model()
    reviewer = User.objects.filter(username=context.users.get("reviewer", ("reviewer",))[0]).first()
    reporter = User.objects.filter(username=context.users.get("reporter", ("reporter",))[0]).first()
    services.review_chain_ensure(actor=DEMO_ACTOR, campaign=campaign)
    if reviewer is not None:
        _level_reviewers(context, campaign, reviewer)
    writer = _Writer(campaign, reviewer)
    for (_code, text, state), participant in zip(PLAN, _pick_participants(campaign), strict=True):
        if participant is None or Report.objects.filter(participant=participant).exists():
            continue  # idempotent: never touch a report that already exists
        actor = reporter if (reporter and participant.org.code == "QH-T01") else DEMO_ACTOR
        body = text.format(name=_short_name(participant.org.name),
                           person=participant.secretary.name if participant.secretary else "")
        writer.save(participant, parse_editor_text(body), actor)
        if state == "draft":
            continue
        writer.submit(participant, actor)
        if state == "returned":
            writer.review(participant, ReviewDecision.RETURN, texts.RETURN_COMMENT, passages=[
                {"quote": texts.RETURN_QUOTE, "comment": texts.RETURN_QUOTE_COMMENT},
            ])
        elif state == "level2":
            writer.review(participant, ReviewDecision.APPROVE, texts.LEVEL1_COMMENT)
        elif state == "approved":
            levels = ReviewLevel.objects.filter(campaign=campaign).count()
            for index in range(levels):
                comment = texts.APPROVE_COMMENTS[index % len(texts.APPROVE_COMMENTS)]
                writer.review(participant, ReviewDecision.APPROVE, comment)

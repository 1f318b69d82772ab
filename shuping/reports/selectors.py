"""Reads for reports, always starting from the user's scope; plus the calls other apps use
(`approved_report`, `approved_report_text`)."""

import datetime
import hashlib
import json

from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from shuping.campaigns.models import Campaign, Participant, ParticipantKind
from shuping.clock import now, today
from shuping.orgs.models import Org

from .models import Report, ReportState, ReportVersion, ReviewAction, ReviewDecision, ReviewLevel, ReviewPlan
from .services import WRITABLE_CAMPAIGN_STATES, level_names_user, review_plan_get

# --- for other apps ---------------------------------------------------------------------------


def approved_report(participant: Participant) -> ReportVersion | None:
    """The locked, finally approved version the meeting sees, or None."""
    report = Report.objects.filter(participant=participant, state=ReportState.APPROVED).select_related(
        "approved_version"
    ).first()
    return report.approved_version if report else None


def approved_report_text(participant: Participant) -> str | None:
    version = approved_report(participant)
    return version.text if version else None


# --- scope ------------------------------------------------------------------------------------


def participants_visible(scope, permission: str = "report.view"):
    # Every kind: a unit's writer also writes its 班子成员's written 述职.
    return Participant.every.filter(org__in=Org.objects.within_any(scope.paths(permission)).values("pk"))


def participant_for(scope, pk: int, permission: str = "report.view") -> Participant:
    participant = get_object_or_404(
        Participant.every.select_related("campaign", "campaign__organiser", "org", "secretary"), pk=pk
    )
    # A reviewer of the organiser reviews every participant; others need the participant's org.
    if not (scope.covers(participant.org, permission)
            or (permission in ("report.view", "report.review") and scope.covers(participant.campaign.organiser, permission))):
        raise Http404
    return participant


def campaign_for(scope, pk: int, permission: str = "report.view") -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("organiser"), pk=pk)
    scope.require(campaign.organiser, permission)
    return campaign


def campaigns_visible(scope, permission: str = "report.view"):
    return Campaign.objects.filter(organiser__in=Org.objects.within_any(scope.paths(permission)).values("pk"))


def my_participants(scope):
    """Participations the user writes for (their org is within the report.write scope)."""
    if not scope.has("report.write"):
        return Participant.objects.none()
    return participants_visible(scope, "report.write").select_related(
        "campaign", "org", "secretary", "report"
    ).order_by("-campaign__year", "campaign__title", "agenda_order")


def review_queue(scope, user):
    """Submitted reports waiting at a level this user may act on."""
    campaigns = campaigns_visible(scope, "report.review")
    reports = Report.objects.filter(
        state=ReportState.SUBMITTED, participant__campaign__in=campaigns.values("pk"),
        participant__campaign__state__in=WRITABLE_CAMPAIGN_STATES,  # later stages cannot be acted on
    ).select_related("participant__org", "participant__secretary", "participant__campaign")
    result = []
    levels = {
        (lv.campaign_id, lv.order): lv
        for lv in ReviewLevel.objects.filter(campaign__in=campaigns.values("pk"))
    }
    # Separation of duties for the whole queue in two queries (level_already_acted per report would be two each).
    separate_default = ReviewPlan._meta.get_field("separate_levels").default
    separate = dict(ReviewPlan.objects.filter(campaign__in=campaigns.values("pk")).values_list("campaign_id", "separate_levels"))
    acted: dict[int, set[int]] = {}
    for report_id, order in ReviewAction.objects.filter(
        actor_id=user.pk, decision__in=[ReviewDecision.APPROVE, ReviewDecision.RETURN], report__in=reports,
    ).values_list("report_id", "level_order"):
        acted.setdefault(report_id, set()).add(order)

    def acted_elsewhere(report, order) -> bool:
        return separate.get(report.participant.campaign_id, separate_default) and bool(acted.get(report.pk, set()) - {order})

    for report in reports:
        level = levels.get((report.participant.campaign_id, report.current_level))
        if level and level_names_user(level, user) and not acted_elsewhere(report, level.order):
            report.level = level
            report.due = due_at(report, level)
            result.append(report)
    return sorted(result, key=lambda r: r.due or now())


def reports_of_campaign(campaign: Campaign) -> list[Participant]:
    participants = list(campaign.participants.select_related("org", "secretary", "ranking_group"))
    # The version count rides along (one query), not a COUNT per listed report.
    reports = {r.participant_id: r for r in
               Report.objects.filter(participant__campaign=campaign).annotate(version_count=Count("versions"))}
    for participant in participants:
        participant.report_obj = reports.get(participant.pk)
    return participants


def member_reports_of_campaign(campaign: Campaign) -> list[Participant]:
    """The 班子成员's written 述职 of a campaign, with their reports (same shape as reports_of_campaign)."""
    participants = list(Participant.every.filter(campaign=campaign, kind=ParticipantKind.MEMBER)
                        .select_related("org", "secretary").order_by("agenda_order", "org_id", "pk"))
    reports = {r.participant_id: r for r in
               Report.objects.filter(participant__in=participants).annotate(version_count=Count("versions"))}
    for participant in participants:
        participant.report_obj = reports.get(participant.pk)
    return participants


# --- deadlines --------------------------------------------------------------------------------


def due_at(report: Report, level: ReviewLevel) -> datetime.datetime | None:
    if report.level_started_at is None:
        return None
    return report.level_started_at + datetime.timedelta(days=level.deadline_days)


def overdue_submissions(campaign: Campaign) -> list[Participant]:
    """Participants that had not submitted by the submission deadline (returned ones had)."""
    plan = review_plan_get(campaign)
    if plan.submission_deadline is None or today() <= plan.submission_deadline:
        return []
    return list(
        campaign.participants.filter(Q(report__isnull=True) | Q(report__first_submitted_at__isnull=True))
        .select_related("org", "secretary")
    )


def overdue_reviews(campaign: Campaign) -> list[Report]:
    """Reports whose current level has waited longer than that level's deadline."""
    levels = {lv.order: lv for lv in campaign.review_levels.all()}
    result = []
    current = now()
    for report in Report.objects.filter(participant__campaign=campaign, state=ReportState.SUBMITTED).select_related(
        "participant__org", "participant__secretary"
    ):
        level = levels.get(report.current_level)
        due = due_at(report, level) if level else None
        if due is not None and current > due:
            report.level = level
            report.due = due
            report.overdue_days = -(-(current - due) // datetime.timedelta(days=1))  # started days count
            result.append(report)
    return result


# --- automatic check --------------------------------------------------------------------------


def campaign_topics(campaign: Campaign) -> list[str]:
    """必答题 topics: the campaign's indicator topics plus textcheck's defaults."""
    import textcheck

    topics = []
    for topic in campaign.indicators.exclude(topic="").values_list("topic", flat=True):
        if topic not in topics:
            topics.append(topic)
    for topic in textcheck.DEFAULT_TOPICS:
        if topic not in topics and not any(t in topic.split("/") for t in topics):
            topics.append(topic)
    return topics


def prior_problems(participant: Participant) -> list[str]:
    """Last year's problems from the rectification app, if that app provides them."""
    try:
        from shuping.rectification.selectors import prior_problems_for
    except (ImportError, AttributeError):
        return []
    return [p.description for p in prior_problems_for(participant) if getattr(p, "description", "")]


def approved_analyses(campaign: Campaign) -> list[tuple[Participant, ReportVersion, dict]]:
    """(participant, approved version, cached analysis) for every unit of a campaign with an approved
    report, in agenda order: one query for the reports, one for the topics, one for last year's
    problems of all units — not a query per report — and textcheck runs only on a stale cache."""
    reports = list(Report.objects.filter(participant__campaign=campaign, participant__kind=ParticipantKind.UNIT,
                                         state=ReportState.APPROVED)
                   .select_related("approved_version", "participant__org", "participant__secretary",
                                   "participant__campaign")
                   .order_by("participant__agenda_order", "participant__pk"))
    if not reports:
        return []
    topics = campaign_topics(campaign)
    try:
        from shuping.rectification.selectors import prior_problem_texts_by_participant
    except ImportError:
        priors = {}
    else:
        priors = prior_problem_texts_by_participant(campaign, [r.participant for r in reports])
    return [(r.participant, r.approved_version,
             analysis_for(r.approved_version, r.participant, topics=topics, prior=priors.get(r.participant_id, [])))
            for r in reports if r.approved_version is not None]


def analysis_for(version: ReportVersion, participant: Participant, *, topics: list[str] | None = None,
                 prior: list[str] | None = None) -> dict:
    """textcheck findings for a version, cached on the row for the same topics and problems.
    `topics` and `prior` may be passed in when the caller has read them for many reports at once."""
    import textcheck

    topics = campaign_topics(participant.campaign) if topics is None else topics
    prior = prior_problems(participant) if prior is None else prior
    sector = participant.org.sector or None  # topics also take the wording of the org's sector
    # The rules' version is part of the key: a better textcheck re-checks cached versions.
    key = hashlib.sha256(
        json.dumps([topics, prior, sector, textcheck.RULES_VERSION], ensure_ascii=False).encode()
    ).hexdigest()
    if version.analysis_key == key and version.analysis is not None:
        return version.analysis
    result = textcheck.analyze(version.text, rubric_topics=topics, prior_problems=prior, sector=sector)
    # A cache, not a change of the version: text and blocks stay untouched.
    ReportVersion.objects.filter(pk=version.pk).update(analysis=result, analysis_key=key)
    version.analysis, version.analysis_key = result, key
    return result

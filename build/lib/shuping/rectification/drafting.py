"""A critique draft assembled from what the system knows about one participant.

Sources: the approved report (textcheck: named practices, data points), the indicators where
the meeting scored them lowest relative to the campaign, the democratic evaluation (latest
published version, else a live tally), and last year's problems still open. The leader edits
the draft before saving; nothing here writes.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Avg

from shuping.campaigns.models import BallotScore, IndicatorKind, ParticipantResult
from shuping.scoring.numbers import format_percent, quantize2

from .models import OPEN_STATUSES
from .selectors import prior_problems_for


def approved_report_text(participant) -> str | None:
    """The reports app provides this; without it (not installed yet) there is no report."""
    try:
        from shuping.reports.selectors import approved_report_text as provider
    except (ImportError, AttributeError):
        return None
    try:
        return provider(participant)
    except AttributeError:
        return None


@dataclass
class IndicatorStanding:
    code: str
    name: str
    topic: str
    guidance: str
    rate: Decimal  # this participant's mean score / max, in %
    average: Decimal  # the same over all participants of the campaign, in %

    @property
    def gap(self) -> Decimal:
        return self.rate - self.average


@dataclass
class Democratic:
    good_rate: Decimal | None
    score: Decimal | None
    rank: int | None
    grade: str
    source: str  # for the page only ("已发布结果" / "实时计票"); never written into the letter


@dataclass
class CritiqueDraft:
    strengths: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)
    practices: list[str] = field(default_factory=list)
    figures: list[str] = field(default_factory=list)
    weak_indicators: list[IndicatorStanding] = field(default_factory=list)
    democratic: Democratic | None = None
    open_prior: list = field(default_factory=list)
    has_report: bool = False

    def as_initial(self) -> dict:
        return {
            "strengths": "\n".join(self.strengths),
            "problems": "\n".join(self.problems),
            "suggestions": "\n".join(self.suggestions),
        }


def _pct(value: Decimal) -> Decimal:
    return quantize2(value * 100)


def indicator_standings(participant) -> list[IndicatorStanding]:
    """Mean score per scored indicator as a share of its maximum, for this participant and for the
    whole campaign, weakest (relative to the campaign) first."""
    campaign = participant.campaign
    scores = BallotScore.objects.filter(ballot__campaign=campaign, ballot__is_test=False)
    own = dict(scores.filter(ballot__participant=participant).values("indicator").annotate(m=Avg("score"))
               .values_list("indicator", "m"))
    if not own:
        return []
    overall = dict(scores.values("indicator").annotate(m=Avg("score")).values_list("indicator", "m"))
    result = []
    for indicator in campaign.indicators.filter(kind__in=[IndicatorKind.REQUIRED, IndicatorKind.BONUS]):
        if indicator.pk not in own or not indicator.max_score:
            continue
        result.append(IndicatorStanding(
            code=indicator.code, name=indicator.name, topic=indicator.topic, guidance=indicator.guidance,
            rate=_pct(Decimal(own[indicator.pk]) / indicator.max_score),
            average=_pct(Decimal(overall[indicator.pk]) / indicator.max_score),
        ))
    result.sort(key=lambda s: (s.gap, s.rate, s.code))
    return result


def democratic_result(participant) -> Democratic | None:
    row = (ParticipantResult.objects.filter(participant=participant).select_related("version")
           .order_by("-version__number").first())
    if row is not None:
        return Democratic(row.good_rate, row.democratic_score, row.rank, row.grade, "已发布结果")
    from shuping.campaigns.services import campaign_tally

    for result in campaign_tally(participant.campaign):
        if result.participant == participant.pk and result.democratic_score is not None:
            return Democratic(result.good_rate, result.democratic_score, result.rank, result.grade or "", "实时计票")
    return None


def _campaign_good_rate(participant) -> Decimal | None:
    version = participant.campaign.result_versions.order_by("-number").first()
    if version is None:
        return None
    value = version.rows.aggregate(m=Avg("good_rate"))["m"]
    return quantize2(value) if value is not None else None


def build_draft(participant, *, weak_count: int = 3) -> CritiqueDraft:
    draft = CritiqueDraft()
    org_name = participant.org.name
    text = approved_report_text(participant)
    if text:
        import textcheck

        draft.has_report = True
        findings = textcheck.analyze(text)
        seen = set()
        for item in findings.get("named_practices", []):
            name = item["text"].strip("“”\"")
            if name and name not in seen:
                seen.add(name)
                draft.practices.append(name)
        # textcheck reports each number; several numbers share one sentence: keep each sentence once.
        figures = [(item.get("sentence") or item["text"]).strip() for item in findings.get("data_points", [])]
        draft.figures = list(dict.fromkeys(f for f in figures if f))[:3]
        if draft.practices:
            names = "、".join(f"“{n}”" for n in draft.practices[:3])
            draft.strengths.append(f"探索推行{names}等做法，形成了有辨识度的党建工作品牌，经验值得总结推广。")
        if draft.figures:
            draft.strengths.append("工作成效有数据支撑：" + "；".join(f.rstrip("。；") for f in draft.figures) + "。")
    standings = indicator_standings(participant)
    strong = [s for s in standings if s.gap > 0]
    if strong:
        best = strong[-1]
        draft.strengths.append(f"“{best.name}”得分率 {format_percent(best.rate)}，高于全体平均 "
                              f"{format_percent(best.average)}，在同组单位中表现突出。")
    draft.weak_indicators = [s for s in standings if s.gap < 0][:weak_count]
    for standing in draft.weak_indicators:
        draft.problems.append(
            f"{standing.topic or standing.name}方面：“{standing.name}”测评得分率 {format_percent(standing.rate)}，"
            f"低于全体平均 {format_percent(standing.average)}，评议人认可度不高。"
        )
        if standing.guidance:
            draft.suggestions.append(f"针对“{standing.name}”，对照要求抓好：{standing.guidance}")
    draft.democratic = democratic_result(participant)
    if draft.democratic and draft.democratic.good_rate is not None:
        average = _campaign_good_rate(participant)
        d = draft.democratic
        line = f"民主测评好评率 {format_percent(d.good_rate)}"
        if average is not None and d.good_rate < average:
            draft.problems.append(f"{line}，低于全体平均 {format_percent(average)}，干部群众满意度有待提升。")
            draft.suggestions.append("多听取党员群众意见，把群众反映强烈的问题作为整改重点，以整改实效提升群众满意度。")
        else:
            draft.strengths.append(f"{line}，干部群众认可度较高。")
    draft.open_prior = [p for p in prior_problems_for(participant) if p.rectification.status in OPEN_STATUSES]
    for problem in draft.open_prior:
        draft.problems.append(f"上年度指出的“{problem.description}”问题尚未整改销号，整改进度滞后。")
    if draft.open_prior:
        draft.suggestions.append(f"对尚未销号的 {len(draft.open_prior)} 个上年度问题逐项明确责任人和时限，限期整改到位，在下一年度述职中逐条回应。")
    for part in (draft.strengths, draft.problems, draft.suggestions):
        part[:] = dict.fromkeys(part)  # a line said twice reads as a mistake in a letter
    if not draft.strengths:
        draft.strengths.append(f"{org_name}履行抓基层党建第一责任人职责，基层党建各项重点任务稳步推进。")
    return draft

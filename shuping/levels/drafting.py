"""The level-wide 点评讲话 draft (成绩 → 问题 → 要求), assembled from data.

Every sentence that states a fact is built from numbers read here, and the level figures come
from the dashboards' own tables (`grades_by_unit_table`, `rectification_table`, `routine_table`)
so the speech and the dashboard cannot disagree. The author edits the draft before export.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count

from shuping.campaigns.models import Ballot, Campaign, IndicatorKind
from shuping.dashboards import selectors as dash

TWO = Decimal("0.01")
HIGH_SHARE = Decimal("0.9")  # a ballot total at or above 90 % of the maximum counts as a high score
GRADES = dash.GRADES
ORDINALS = "一二三四五六七八九十"


@dataclass
class LevelFigures:
    total: int = 0
    counts: dict = field(default_factory=dict)
    good_share: Decimal | None = None
    previous_total: int = 0
    previous_share: Decimal | None = None
    best_unit: tuple | None = None  # (name, share)


@dataclass
class SpeechDraft:
    achievements: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    requirements: list[str] = field(default_factory=list)
    figures: LevelFigures = field(default_factory=LevelFigures)

    def as_text(self) -> dict[str, str]:
        return {"achievements": "\n".join(self.achievements), "problems": "\n".join(self.problems),
                "requirements": "\n".join(self.requirements)}


def _share(good: int, total: int) -> Decimal | None:
    return (Decimal(good) * 100 / total).quantize(TWO, ROUND_HALF_UP) if total else None


def grade_totals(table) -> tuple[dict[str, int], int]:
    """Column sums of a dashboard grade table (rows: unit, 好, 较好, 一般, 差, 合计, share)."""
    counts = {g: sum(r[1 + i] for r in table.rows) for i, g in enumerate(GRADES)}
    return counts, sum(counts.values())


def level_figures(campaign: Campaign, children: list | None = None) -> LevelFigures:
    root, year = campaign.organiser, campaign.year
    children = dash.subordinates(root) if children is None else children
    now_table = dash.grades_by_unit_table(root, year, children=children)
    counts, total = grade_totals(now_table)
    before, previous_total = grade_totals(dash.grades_by_unit_table(root, year - 1, children=children))
    figures = LevelFigures(total=total, counts=counts, good_share=_share(counts["好"] + counts["较好"], total),
                           previous_total=previous_total,
                           previous_share=_share(before["好"] + before["较好"], previous_total))
    ranked = [r for r in now_table.rows if r[-1] is not None]
    if ranked:
        best = max(ranked, key=lambda r: (r[-1], r[5]))
        figures.best_unit = (best[0], best[-1])
    return figures


def _movement(now: Decimal, before: Decimal | None) -> str:
    if before is None:
        return "上年度无已发布结果可比"
    delta = now - before
    if delta > 0:
        return f"比上年（{before}%）提高{delta}个百分点"
    if delta < 0:
        return f"比上年（{before}%）下降{-delta}个百分点"
    return f"与上年（{before}%）持平"


def _grades_sentence(root_name: str, year: int, f: LevelFigures) -> str | None:
    if not f.total:
        return None
    parts = "、".join(f"“{g}”{f.counts[g]}名" for g in GRADES if f.counts[g])
    text = (f"{year}年度，{root_name}范围内已发布述职评议考核结果的党组织书记共{f.total}名，其中评定为{parts}，"
            f"“好”和“较好”等次占比{f.good_share}%，{_movement(f.good_share, f.previous_share)}。")
    if f.best_unit:
        text += f"“好”和“较好”等次占比最高的是{f.best_unit[0]}（{f.best_unit[1]}%）。"
    return text


@dataclass
class Practice:
    org: str
    reporter: str
    names: list[str]
    high: int  # evaluators who scored this reporter high
    ballots: int


def _analyses(campaign: Campaign) -> list:
    from shuping.reports.selectors import approved_analyses

    return approved_analyses(campaign)


def strongest_practices(campaign: Campaign, limit: int = 3, analyses: list | None = None) -> list[Practice]:
    """Named practices from approved reports, ranked by how many evaluators scored the reporter high.
    The practices come from each report's cached textcheck analysis (no re-analysis per request)."""
    analyses = _analyses(campaign) if analyses is None else analyses
    if not analyses:
        return []  # no approved report, no practice: the rubric and the ballots need not be read
    maximum = sum(i.max_score for i in campaign.indicators.filter(kind__in=[IndicatorKind.REQUIRED,
                                                                          IndicatorKind.BONUS]))
    if not maximum:
        return []
    bar = (maximum * HIGH_SHARE).quantize(TWO, ROUND_HALF_UP)
    ballots = Ballot.objects.filter(campaign=campaign, is_test=False, total__isnull=False)
    high = dict(ballots.filter(total__gte=bar).values("participant_id").annotate(n=Count("pk"))
                .values_list("participant_id", "n").order_by())
    counted = dict(ballots.values("participant_id").annotate(n=Count("pk")).values_list("participant_id", "n")
                   .order_by())
    found = []
    for participant, _version, analysis in analyses:
        if not high.get(participant.pk):
            continue
        names = []
        for item in analysis.get("named_practices", []):
            name = item["text"].strip("“”\"")
            if name and name not in names:
                names.append(name)
        if names:
            found.append(Practice(participant.org.name, participant.secretary.name if participant.secretary else "",
                                  names[:2], high[participant.pk], counted.get(participant.pk, 0)))
    found.sort(key=lambda p: (-p.high, p.org))
    return found[:limit]


def common_problem_groups(campaign: Campaign) -> list[tuple[str, int, int]]:
    """共性问题 of the organiser: (title, units concerned, problems) — most widespread first."""
    from shuping.rectification.models import CommonProblem

    rows = (CommonProblem.objects.filter(organiser=campaign.organiser)
            .annotate(units=Count("members__org", distinct=True), n=Count("members", distinct=True))
            .filter(n__gt=0).order_by("-units", "-n", "pk").values_list("title", "units", "n"))
    return list(rows)


def unanswered_prior(campaign: Campaign, analyses: list | None = None) -> list[tuple[str, int, int]]:
    """Units whose approved report leaves last year's problems unanswered: (org, unanswered, of total)."""
    result = []
    for participant, _version, analysis in (_analyses(campaign) if analyses is None else analyses):
        prior = analysis.get("prior_problems", [])
        missed = sum(1 for p in prior if not p.get("answered"))
        if missed:
            result.append((participant.org.name, missed, len(prior)))
    return result


def build_speech(campaign: Campaign) -> SpeechDraft:
    root, year = campaign.organiser, campaign.year
    children = dash.subordinates(root)  # read once for the four dashboard tables below
    draft = SpeechDraft(figures=level_figures(campaign, children))
    analyses = _analyses(campaign)  # read once, shared by the practices and the unanswered problems
    sentence = _grades_sentence(root.name, year, draft.figures)
    if sentence:
        draft.achievements.append(sentence)
    for p in strongest_practices(campaign, analyses=analyses):
        names = "、".join(f"“{n}”" for n in p.names)
        draft.achievements.append(
            f"{p.org}探索{names}等做法，述职时{p.ballots}张测评票中有{p.high}张打出满分90%以上的高分，"
            f"经验值得总结推广。")
    routine = dash.routine_table(root, year, children=children)
    rated = [r for r in routine.rows if r[-1] is not None]
    if rated:
        best = max(rated, key=lambda r: r[-1])
        worst = min(rated, key=lambda r: r[-1])
        draft.achievements.append(f"日常考核全年得分率最高的是{best[0]}（{best[-1]}%）。")
        rising, falling = [], []
        for r in rated:
            months = [v for v in r[1:13] if v is not None]
            if len(months) >= 2 and months[-1] > months[0]:
                rising.append(r[0])
            elif len(months) >= 2 and months[-1] < months[0]:
                falling.append(r[0])
        if rising:
            draft.achievements.append(f"{len(rising)}个单位最近一个月的日常考核得分率高于年初：{'、'.join(rising)}。")
        if worst is not best:
            draft.problems.append(f"日常考核全年得分率最低的是{worst[0]}（{worst[-1]}%），"
                                  f"比最高的{best[0]}低{best[-1] - worst[-1]}个百分点。")
        if falling:
            draft.problems.append(f"{len(falling)}个单位最近一个月的日常考核得分率低于年初：{'、'.join(falling)}。")
    f = draft.figures
    low = f.counts.get("一般", 0) + f.counts.get("差", 0)
    if low:
        draft.problems.append(f"仍有{low}名书记评定为“一般”或“差”等次，"
                              f"占{_share(low, f.total)}%，抓基层党建工作还不平衡。")
    groups = common_problem_groups(campaign)
    if groups:
        items = "；".join(f"{ORDINALS[i % 10]}是“{title}”，涉及{units}个单位、{n}个问题"
                         for i, (title, units, n) in enumerate(groups))
        draft.problems.append(f"梳理出共性问题{len(groups)}类：{items}。")
    unanswered = unanswered_prior(campaign, analyses)
    if unanswered:
        names = "、".join(f"{org}（{missed}/{total}个）" for org, missed, total in unanswered)
        draft.problems.append(f"{len(unanswered)}个单位的述职报告没有逐条回应上年度指出的和尚未销号的问题：{names}。")
    rect = dash.rectification_table(root, year, children=children)
    if rect.rows:
        total = sum(r[1] for r in rect.rows)
        closed = sum(r[2] for r in rect.rows)
        overdue = sum(r[4] for r in rect.rows)
        line = f"全年登记问题{total}个，已销号{closed}个，销号率{_share(closed, total)}%"
        line += f"，逾期未完成{overdue}个。" if overdue else "。"
        (draft.problems if overdue else draft.achievements).append(line)
    # 要求: one directive per problem found above, naming who and how many.
    for title, units, _n in groups:
        draft.requirements.append(f"针对“{title}”这一共性问题，{root.name}统筹牵头，涉及的{units}个单位建立台账、"
                                  f"逐项销号。")
    if unanswered:
        draft.requirements.append(f"没有逐条回应上年度问题的{len(unanswered)}个单位，要逐条对照问题清单说明整改情况，"
                                  f"在下一年度述职中作出专门回应。")
    if low:
        draft.requirements.append(f"对评定为“一般”或“差”等次的{low}名书记，由组织部门约谈提醒，"
                                  f"督促制定整改方案，限期补齐短板。")
    if rated and worst is not best:
        draft.requirements.append(f"日常考核得分率偏低的{worst[0]}要对照考核细则查找差距，按月跟踪改进。")
    draft.requirements.append(_collective_sentence(root))
    return draft


def _collective_sentence(root) -> str:
    """党委主体责任 … naming the organiser's own secretary and 组织部长 where they are registered."""
    from shuping.team.services import accountability

    who = accountability(root)
    minister = f"，组织部长{who['minister'].person.name}同志" if who["minister"] else "，组织部长"
    return (f"{root.name}履行主体责任，各级党组织书记切实履行抓基层党建第一责任人职责，班子成员落实“一岗双责”"
            f"{minister}履行直接责任，把述职评议考核结果运用到干部评价和评先选优中。")


def speech_title(campaign: Campaign) -> str:
    return f"在{campaign.year}年度{campaign.organiser.name}抓基层党建工作述职评议考核会议上的点评讲话"

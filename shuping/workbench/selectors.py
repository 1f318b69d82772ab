"""What waits for one user, gathered from every app through their selectors and models.

Each source below returns `Task`s for one kind of work; a task is a count with a link, the
nearest deadline and whether anything is overdue. The home page lists them by urgency; the
navigation badge shows their total.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q
from django.urls import reverse

from shuping.clock import local_date, now, short_datetime, today
from shuping.intake.models import PublicSubmission, SubmissionState
from shuping.orgs.models import Org
from shuping.rectification.models import OPEN_STATUSES, Rectification, Status
from shuping.reports import selectors as report_selectors
from shuping.reports import services as report_services
from shuping.reports.models import ReportState
from shuping.routine.models import CircularState, QuarterlyCircular
from shuping.units import selectors as unit_selectors


@dataclass
class Task:
    section: str  # whose work it is: one of SECTIONS
    label: str
    count: int
    url: str
    due: datetime.date | None = None
    overdue: bool = False
    detail: str = ""
    notice: bool = False  # for reading (a published result), not counted as open work

    @property
    def days_left(self) -> int | None:
        return (self.due - today()).days if self.due else None


# Section → heading on the 工作台, in the order shown. Each role's work lands in its own section.
SECTIONS: dict[str, str] = {
    "本单位": "本单位待办",
    "审核把关": "待我审核",
    "上级书记": "点评与述职评议会（上级书记）",
    "上级派员": "三级联动派员：出席、打分、点评",
    "督查核验": "督查核验",
    "票据录入": "纸质测评表录入",
    "组织部门": "组织部门待办（确认、审核）",
    "结果发布": "近期发布的结果",
}
RECENT_RESULTS = datetime.timedelta(days=30)


def _org_ids(scope, permission: str):
    return Org.objects.within_any(scope.paths(permission)).values("pk")


def _rects(scope, permission: str):
    return Rectification.objects.filter(org__in=_org_ids(scope, permission), status__in=OPEN_STATUSES)


def _nearest(queryset, field: str = "deadline"):
    return queryset.aggregate(due=Min(field))["due"]


# ---- the unit's own work (unit.act / report.write / star.assess) -------------------------------


def unit_tasks(scope, user, day) -> list[Task]:
    if not scope.has("unit.act"):
        return []
    tasks: list[Task] = []
    home = reverse("units:home")
    own = unit_selectors.own_orgs(scope)
    problems = unit_selectors.unit_problems(scope).filter(org__in=own)
    unclaimed = unit_selectors.unclaimed(problems)
    if n := unclaimed.count():
        tasks.append(Task("本单位", "问题待认领（巡察、督导等反馈）", n, home, detail="认领后制定整改方案"))
    returned = problems.filter(rectification__unit_plan__state="returned", rectification__status__in=OPEN_STATUSES)
    for problem in returned[:5]:
        tasks.append(Task("本单位", "整改方案被退回", 1, reverse("units:plan", args=[problem.rectification.pk]),
                          overdue=True, detail=f"{problem}：{problem.rectification.unit_plan.return_reason}"))
    needing = unit_selectors.needing_plan(problems).exclude(pk__in=unclaimed.values("pk")).exclude(
        rectification__unit_plan__state="returned")
    if n := needing.count():
        first = needing.order_by("found_on").first()
        url = reverse("units:plan", args=[first.rectification.pk]) if n == 1 else home
        tasks.append(Task("本单位", "问题待制定整改方案", n, url, detail=str(first)))
    rects = _rects(scope, "unit.act").filter(org__in=own).exclude(measures="").exclude(status=Status.PENDING)
    overdue = rects.filter(status=Status.OVERDUE)
    if n := overdue.count():
        tasks.append(Task("本单位", "整改逾期", n, _first_problem_url(overdue, home), due=_nearest(overdue),
                          overdue=True))
    waiting = rects.exclude(status=Status.OVERDUE).filter(Q(progress__isnull=True) | Q(deadline__lte=day + datetime.timedelta(days=7))).distinct()
    if n := waiting.count():
        tasks.append(Task("本单位", "整改待报进展或申请销号", n, _first_problem_url(waiting, home), due=_nearest(waiting)))
    items = unit_selectors.items_needing_update(scope, day)
    if items:
        due = min(item.deadline for item in items)
        tasks.append(Task("本单位", "责任清单待更新进展", len(items), home, due=due, overdue=due < day))
    year, quarter = unit_selectors.current_quarter(day)
    missing = unit_selectors.quarterly_missing(scope, year, quarter)
    if missing:
        quarter_end = datetime.date(year, quarter * 3, 1) + datetime.timedelta(days=31)
        due = quarter_end.replace(day=1) - datetime.timedelta(days=1)
        tasks.append(Task("本单位", f"{year}年第{quarter}季度工作汇报待报送", len(missing),
                          reverse("units:quarterly"), due=due, detail="、".join(o.name for o in missing)))
    return tasks


def _first_problem_url(rects, fallback: str) -> str:
    first = rects.order_by("deadline", "pk").values_list("problem_id", flat=True).first()
    return reverse("rectification:problem", args=[first]) if first and rects.count() == 1 else fallback


def report_tasks(scope, user, day) -> list[Task]:
    tasks: list[Task] = []
    if scope.has("report.write"):
        mine = report_selectors.my_participants(scope).filter(campaign__state__in=("writing", "review"),
                                                              org__in=unit_selectors.own_orgs(scope, "report.write"))
        for participant in mine:
            report = getattr(participant, "report", None)
            state = report.state if report else ReportState.DRAFT
            if state == ReportState.RETURNED:
                tasks.append(Task("本单位", "述职报告被退回，待修改", 1, reverse("reports:detail", args=[participant.pk]),
                                  overdue=True, detail=participant.campaign.title))
            elif state == ReportState.DRAFT:
                due = report_services.review_plan_get(participant.campaign).submission_deadline
                tasks.append(Task("本单位", "述职报告待撰写和提交", 1, reverse("reports:detail", args=[participant.pk]),
                                  due=due, overdue=bool(due and due < day), detail=participant.campaign.title))
    if scope.has("report.review"):
        queue = report_selectors.review_queue(scope, user)
        if queue:
            due = min((r.due for r in queue if r.due), default=None)
            late = any(r.due and r.due.date() < day for r in queue)
            tasks.append(Task("审核把关", "述职报告待我审核", len(queue), reverse("reports:list"),
                              due=due.date() if due else None, overdue=late))
    return tasks


def star_tasks(scope, user, day) -> list[Task]:
    from shuping.stars.models import Rating, RatingState

    tasks: list[Task] = []
    if scope.has("star.assess"):
        own = Rating.objects.filter(org__in=unit_selectors.own_orgs(scope, "star.assess"),
                                    state__in=(RatingState.DRAFT, RatingState.RETURNED))
        if n := own.count():
            first = own.order_by("pk").first()
            tasks.append(Task("本单位", "星级自评待提交", n, reverse("stars:detail", args=[first.pk]) if n == 1
                              else reverse("stars:list"), overdue=own.filter(state=RatingState.RETURNED).exists()))
    if scope.has("star.approve"):
        pending = Rating.objects.filter(org__in=_org_ids(scope, "star.approve"), state=RatingState.SUBMITTED)
        if n := pending.count():
            tasks.append(Task("组织部门", "星级评定待审核", n, reverse("stars:list")))
    return tasks


def superior_tasks(scope, user, day) -> list[Task]:
    tasks: list[Task] = []
    review = reverse("units:review")
    if scope.has("problem.manage"):
        plans = unit_selectors.plans_to_review(scope)
        if n := plans.count():
            tasks.append(Task("组织部门", "单位整改方案待审核", n,
                              reverse("units:plan_review", args=[plans.first().pk]) if n == 1 else review))
        unclaimed = unit_selectors.claim_overview(scope).filter(claimed=False)
        if n := unclaimed.count():
            tasks.append(Task("组织部门", "下发问题尚未被单位认领", n, review))
        public = PublicSubmission.objects.filter(village__in=_org_ids(scope, "problem.manage"),
                                                 state=SubmissionState.PENDING)
        if n := public.count():
            tasks.append(Task("组织部门", "群众反映待审核", n, reverse("intake:queue"),
                              detail="受理后转为村（社区）问题"))
        overdue = _rects(scope, "problem.manage").filter(status=Status.OVERDUE)
        if n := overdue.count():
            tasks.append(Task("组织部门", "辖区整改逾期", n, reverse("rectification:overdue"), due=_nearest(overdue),
                              overdue=True))
    if scope.has("routine.manage"):
        updates = unit_selectors.updates_to_confirm(scope)
        if n := updates.count():
            tasks.append(Task("组织部门", "责任清单进展待确认", n, review))
        year, quarter = unit_selectors.current_quarter(day)
        for organiser in unit_selectors.organisers(scope)[:3]:
            rows = unit_selectors.quarterly_overview(organiser, year, quarter)
            missing = [r for r in rows if not r["report"]]
            if rows and missing:
                tasks.append(Task("组织部门", f"{organiser.name}第{quarter}季度汇报未报送", len(missing),
                                  reverse("units:quarterly_overview") + f"?organiser={organiser.pk}",
                                  detail=f"已报送 {len(rows) - len(missing)} / {len(rows)}"))
        drafts = QuarterlyCircular.objects.filter(organiser__in=_org_ids(scope, "routine.manage"),
                                                  state=CircularState.DRAFT).order_by("-year", "-quarter")
        if first := drafts.first():
            tasks.append(Task("组织部门", "季度通报草稿待印发", drafts.count(),
                              reverse("routine:circulars", args=[first.organiser_id, first.year])))
    return tasks


def meeting_tasks(scope, user, day) -> list[Task]:
    from shuping.meetings.models import PaperForm, PaperFormStatus

    if not scope.has("ballot.enter"):
        return []
    forms = PaperForm.objects.filter(meeting__campaign__organiser__in=_org_ids(scope, "ballot.enter"),
                                     status__in=(PaperFormStatus.ISSUED, PaperFormStatus.MISMATCH))
    tasks = []
    for meeting_id in forms.values_list("meeting_id", flat=True).distinct()[:5]:
        mine = forms.filter(meeting_id=meeting_id)
        tasks.append(Task("票据录入", "纸质测评表待录入", mine.count(), reverse("meetings:paper", args=[meeting_id]),
                          overdue=mine.filter(status=PaperFormStatus.MISMATCH).exists(),
                          detail="含两次录入不一致的表" if mine.filter(status=PaperFormStatus.MISMATCH).exists() else ""))
    return tasks


def inspector_tasks(scope, user, day) -> list[Task]:
    """督查人员: applications for 销号 to verify and the items of 抽查 rounds still to check."""
    from shuping.rectification.models import SpotCheckItem, SpotCheckResult

    if not scope.has("rectification.verify"):
        return []
    tasks = []
    orgs = _org_ids(scope, "rectification.verify")
    pending = Rectification.objects.filter(org__in=orgs, status=Status.PENDING)
    if n := pending.count():
        first = pending.order_by("updated_at").first()
        url = (reverse("rectification:problem", args=[first.problem_id]) if n == 1 and first.problem_id
               else reverse("rectification:problems") + "?status=pending")
        tasks.append(Task("督查核验", "申请销号待核验", n, url))
    items = SpotCheckItem.objects.filter(spot_check__org__in=orgs, result=SpotCheckResult.PENDING)
    if n := items.count():
        first = items.order_by("spot_check__created_at", "pk").select_related("spot_check__org").first()
        tasks.append(Task("督查核验", "抽查事项待核查", n, reverse("rectification:spot_check", args=[first.spot_check_id]),
                          detail=str(first.spot_check)))
    return tasks


def register_tasks(scope, user, day) -> list[Task]:
    """基础数据 (基层台账): the unit fills its sheet and mends a returned one; the superior confirms."""
    from shuping.registers.models import FactSheet, SheetState

    tasks = []
    if scope.has("register.enter"):
        returned = FactSheet.objects.filter(org__in=unit_selectors.own_orgs(scope, "register.enter"),
                                            state=SheetState.RETURNED).select_related("org")
        for sheet in returned[:5]:
            tasks.append(Task("本单位", "基础数据被退回，待修改", 1, reverse("registers:sheet", args=[sheet.org_id, sheet.year]),
                              overdue=True, detail=f"{sheet.year}年 {sheet.org.name}：{sheet.return_reason}"))
    if scope.has("register.confirm"):
        submitted = FactSheet.objects.filter(org__in=_org_ids(scope, "register.confirm"), state=SheetState.SUBMITTED)
        if n := submitted.count():
            first = submitted.order_by("updated_at").first()
            url = (reverse("registers:sheet", args=[first.org_id, first.year]) if n == 1
                   else reverse("registers:index") + f"?year={first.year}")
            tasks.append(Task("组织部门", "基础数据待确认", n, url))
    return tasks


def _meeting_day(campaign) -> datetime.date | None:
    meeting = getattr(campaign, "meeting", None)
    return local_date(meeting.held_at) if meeting and meeting.held_at else None


def _meeting_text(meeting) -> str:
    if meeting is None:
        return "会议尚未安排"
    when = short_datetime(meeting.held_at) if meeting.held_at else "时间未定"
    return f"{when}，{meeting.place or '地点未定'}"


def leader_tasks(scope, user, day) -> list[Task]:
    """上级书记: the 点评 of each reporter in the campaigns they lead, and the 述职评议会 they attend
    (they score there with the card handed out at the meeting)."""
    from shuping.campaigns.models import Campaign, CampaignState
    from shuping.meetings.models import MeetingStatus

    if not scope.has("critique.write"):
        return []
    submitted = (ReportState.SUBMITTED, ReportState.APPROVED)
    runs_meetings = scope.has("meeting.run")
    campaigns = (Campaign.objects.filter(organiser__in=_org_ids(scope, "critique.write"),
                                         state__in=(CampaignState.REVIEW, CampaignState.MEETING, CampaignState.SCORING))
                 .select_related("meeting")
                 .annotate(n=Count("participants", distinct=True),
                           critiqued=Count("participants__critique", distinct=True),
                           reports=Count("participants__report", distinct=True,
                                         filter=Q(participants__report__state__in=submitted)))
                 .order_by("year", "pk"))
    tasks = []
    for campaign in campaigns[:10]:
        meeting = getattr(campaign, "meeting", None)
        due = _meeting_day(campaign)
        if missing := campaign.n - campaign.critiqued:
            tasks.append(Task("上级书记", "述职点评待撰写", missing,
                              reverse("rectification:critique_campaign", args=[campaign.pk]), due=due,
                              overdue=bool(due and due < day),
                              detail=f"{campaign.title}（已提交述职报告 {campaign.reports} 份，可先阅报告再点评）"))
        # Those who run the meeting (组织部门) see it on the meetings page; this is for those who sit in it.
        if meeting and meeting.status != MeetingStatus.CLOSED and not (due and due < day) and not runs_meetings:
            tasks.append(Task("上级书记", "述职评议会待出席", 1, reverse("campaigns:detail", args=[campaign.pk]),
                              due=due, detail=f"{campaign.title}：{_meeting_text(meeting)}"))
    return tasks


def delegate_tasks(scope, user, day) -> list[Task]:
    """上级派员 (三级联动): the subordinate campaign's meeting to attend, the card to claim when the
    delegate scores, the 点评 to write — for whoever is named, 评议人 and 上级书记 alike."""
    from shuping.campaigns.models import CampaignState
    from shuping.levels.models import Delegation
    from shuping.meetings.models import MeetingStatus

    delegations = (Delegation.objects.filter(delegate=user).exclude(
        campaign__state__in=(CampaignState.PUBLISHED, CampaignState.ARCHIVED))
        .select_related("campaign__meeting", "sent_by")
        .annotate(n=Count("campaign__participants", distinct=True),
                  spoken=Count("speeches", distinct=True, filter=Q(speeches__participant__isnull=False)))
        .order_by("-appointed_at"))
    tasks = []
    for delegation in delegations[:10]:
        campaign = delegation.campaign
        meeting = getattr(campaign, "meeting", None)
        due = _meeting_day(campaign)
        url = reverse("levels:delegation", args=[delegation.pk])
        if meeting is None or meeting.status != MeetingStatus.CLOSED:
            scoring = "打分" if delegation.scores and delegation.group_id else "列席"
            tasks.append(Task("上级派员", f"派员出席述职评议会（{scoring}）", 1, url, due=due,
                              overdue=bool(due and due < day),
                              detail=f"{campaign.title}：{_meeting_text(meeting)}"))
            if scoring == "打分" and delegation.credential_id is None and meeting is not None:
                tasks.append(Task("上级派员", "评议凭证待领取（在派员任务页点“进入测评”）", 1, url, due=due,
                                  detail=campaign.title))
        if missing := delegation.n - delegation.spoken:
            tasks.append(Task("上级派员", "上级点评待撰写", missing, url, due=due, overdue=bool(due and due < day),
                              detail=campaign.title))
    return tasks


def result_notices(scope, user, day) -> list[Task]:
    """Results published in the last 30 days that this user may read: the leader's campaigns, the
    reporter's own result (as the organiser chose to show it). For reading only, not counted."""
    from shuping.campaigns.models import Campaign, CampaignState, ResultVersion

    since = now() - RECENT_RESULTS
    recent = ResultVersion.objects.filter(created_at__gte=since).values("campaign_id")
    published = Campaign.objects.filter(state=CampaignState.PUBLISHED, pk__in=recent)
    led = published.none()
    if scope.has("critique.write"):
        led = published.filter(organiser__in=_org_ids(scope, "critique.write"))
    own = published.none()
    if scope.has("report.write"):
        own = published.filter(participants__org__in=unit_selectors.own_orgs(scope, "report.write"))
    tasks = []
    for campaign in (led | own).distinct().order_by("-year", "-pk")[:5]:
        tasks.append(Task("结果发布", "考核结果已发布", 1, reverse("campaigns:results", args=[campaign.pk]),
                          detail=campaign.title, notice=True))
    return tasks


SOURCES = [unit_tasks, report_tasks, star_tasks, register_tasks, superior_tasks, leader_tasks, delegate_tasks,
           inspector_tasks, meeting_tasks, result_notices]


def tasks_for(scope, user, day: datetime.date | None = None) -> list[Task]:
    """Every task of this user, overdue first, then by nearest deadline."""
    day = day or today()
    tasks = [task for source in SOURCES for task in source(scope, user, day)]
    far = datetime.date.max
    return sorted(tasks, key=lambda t: (t.notice, not t.overdue, t.due or far))


def open_count(tasks: list[Task]) -> int:
    """The number on the badge: open work, not results published for reading."""
    return sum(task.count for task in tasks if not task.notice)


def request_tasks(request) -> list[Task]:
    """The tasks of the request's user, gathered once per request; the generation is read first, so a
    count stored from them is never newer than the work it counted (see badge.py)."""
    from .badge import current_generation

    if not hasattr(request, "_workbench_tasks"):
        request._workbench_generation = current_generation()
        request._workbench_tasks = tasks_for(request.scope, request.user) if request.user.is_authenticated else []
    return request._workbench_tasks

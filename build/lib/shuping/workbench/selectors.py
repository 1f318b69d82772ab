"""What waits for one user, gathered from every app through their selectors and models.

Each source below returns `Task`s for one kind of work; a task is a count with a link, the
nearest deadline and whether anything is overdue. The home page lists them by urgency; the
navigation badge shows their total.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Min, Q
from django.urls import reverse

from shuping.clock import today
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
    section: str  # who the work belongs to: 本单位 / 审核把关 / 组织部门
    label: str
    count: int
    url: str
    due: datetime.date | None = None
    overdue: bool = False
    detail: str = ""

    @property
    def days_left(self) -> int | None:
        return (self.due - today()).days if self.due else None


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
    if scope.has("rectification.verify"):
        pending = Rectification.objects.filter(org__in=_org_ids(scope, "rectification.verify"), status=Status.PENDING)
        if n := pending.count():
            first = pending.order_by("updated_at").first()
            url = (reverse("rectification:problem", args=[first.problem_id]) if n == 1 and first.problem_id
                   else reverse("rectification:problems") + "?status=pending")
            tasks.append(Task("组织部门", "申请销号待核验", n, url))
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
        tasks.append(Task("组织部门", "纸质测评表待录入", mine.count(), reverse("meetings:paper", args=[meeting_id]),
                          overdue=mine.filter(status=PaperFormStatus.MISMATCH).exists(),
                          detail="含两次录入不一致的表" if mine.filter(status=PaperFormStatus.MISMATCH).exists() else ""))
    return tasks


SOURCES = [unit_tasks, report_tasks, star_tasks, superior_tasks, meeting_tasks]


def tasks_for(scope, user, day: datetime.date | None = None) -> list[Task]:
    """Every task of this user, overdue first, then by nearest deadline."""
    day = day or today()
    tasks = [task for source in SOURCES for task in source(scope, user, day)]
    far = datetime.date.max
    return sorted(tasks, key=lambda t: (not t.overdue, t.due or far))


def request_tasks(request) -> list[Task]:
    """The tasks of the request's user, gathered once per request (the page and the menu badge share them)."""
    if not hasattr(request, "_workbench_tasks"):
        request._workbench_tasks = tasks_for(request.scope, request.user) if request.user.is_authenticated else []
    return request._workbench_tasks

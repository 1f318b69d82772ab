"""Hand-overs read from the audit log: each rule turns one kind of entry into messages.

A rule receives the entry and its org and returns (users, title, body, url) tuples. A failing
rule is logged and never undoes the business change that wrote the entry.
"""

import logging

from django.db import transaction
from django.urls import reverse

from shuping.orgs.models import Org

from .recipients import superiors, unit_users
from .services import notify

logger = logging.getLogger("shuping.notifications")


def _after(entry) -> dict:
    return entry.after if isinstance(entry.after, dict) else {}


def _problem_url(rect_id) -> str:
    from shuping.rectification.models import Rectification

    rect = Rectification.objects.filter(pk=rect_id).values("problem_id", "common_id").first() or {}
    if rect.get("problem_id"):
        return reverse("rectification:problem", args=[rect["problem_id"]])
    if rect.get("common_id"):
        return reverse("rectification:common_detail", args=[rect["common_id"]])
    return ""


def problem_created(entry, org):
    if _after(entry).get("source") == "self":
        return []
    url = reverse("rectification:problem", args=[entry.object_id])
    return [(unit_users(org), "有新问题交办本单位，请认领并制定整改方案", entry.object_label, url)]


def rectification_moved(entry, org):
    before = (entry.before or {}).get("status")
    after = _after(entry)
    status, reason = after.get("status"), after.get("reason", "")
    url = _problem_url(entry.object_id)
    label = entry.object_label.removeprefix("整改：")
    if status == "pending":
        return [(superiors(org, "rectification.verify"), f"{org.name}申请销号，请核验", label, url)]
    if status == "in_progress" and before == "pending":
        return [(unit_users(org), "销号核验未通过，已退回整改", f"{label}。理由：{reason}", url)]
    if status == "in_progress" and before == "closed":
        return [(unit_users(org), "已销号的问题被重新打开", f"{label}。理由：{reason}", url)]
    if status == "closed":
        return [(unit_users(org), "问题已核验销号", label, url)]
    if status == "overdue":
        return [(unit_users(org), "整改已逾期，请尽快整改或申请调整时限", label, url)]
    return []


def report_moved(entry, org):
    from shuping.reports.models import Report, ReviewLevel

    report = Report.objects.filter(pk=entry.object_id).select_related("participant__campaign").first()
    if report is None:
        return []
    url = reverse("reports:detail", args=[report.participant_id])
    after = _after(entry)
    if entry.action == "report.return":
        return [(unit_users(org, "report.write"), "述职报告被退回修改", after.get("comment", ""), url)]
    if after.get("state") == "submitted" and after.get("level"):
        level = ReviewLevel.objects.filter(campaign=report.participant.campaign, order=after["level"]).first()
        users = [level.assignee] if level and level.assignee_id else superiors(org, "report.review")
        return [(users, f"{org.name}述职报告待审核（第{after['level']}级）", report.participant.campaign.title, url)]
    if after.get("state") == "approved":
        return [(unit_users(org, "report.write"), "述职报告已审核通过", report.participant.campaign.title, url)]
    return []


def _plan_url(entry, org, reviewer: bool) -> str:
    from shuping.units.models import UnitPlan

    plan = UnitPlan.objects.filter(rectification_id=entry.object_id).values("pk").first()
    if reviewer and plan:
        return reverse("units:plan_review", args=[plan["pk"]])
    return reverse("units:plan", args=[entry.object_id])


def plan_moved(entry, org):
    label = entry.object_label.removeprefix("整改：")
    if entry.action == "unit.plan_submit":
        return [(superiors(org, "problem.manage"), f"{org.name}报送整改方案，请审核", label, _plan_url(entry, org, True))]
    if entry.action == "unit.plan_return":
        reason = _after(entry).get("reason", "")
        return [(unit_users(org), "整改方案被退回修改", f"{label}。理由：{reason}", _plan_url(entry, org, False))]
    return [(unit_users(org), "整改方案已批准，请按方案整改并报告进展", label, _plan_url(entry, org, False))]


def responsibility_moved(entry, org):
    if entry.action == "unit.responsibility_submit":
        return [(superiors(org, "routine.manage"), f"{org.name}报送责任清单进展，请确认", entry.object_label,
                 reverse("units:review"))]
    url = reverse("units:responsibility", args=[entry.object_id])
    if entry.action == "unit.responsibility_return":
        return [(unit_users(org), "责任清单进展被退回", f"{entry.object_label}。理由：{_after(entry).get('reason', '')}",
                 url)]
    return [(unit_users(org), "责任清单进展已确认", entry.object_label, url)]


def quarterly_moved(entry, org):
    url = reverse("units:quarterly_detail", args=[entry.object_id])
    if entry.action == "unit.quarterly_submit":
        return [(superiors(org, "routine.manage"), f"{org.name}报送季度工作汇报", entry.object_label, url)]
    from shuping.units.models import QuarterlyReport

    report = QuarterlyReport.objects.filter(pk=entry.object_id).select_related("org").first()
    if report is None or not _after(entry).get("picked"):
        return []
    return [(unit_users(report.org), "本单位被确定在季度调度会上作典型发言", entry.object_label, url)]


def circular_issued(entry, org):
    url = reverse("routine:circular", args=[entry.object_id])
    users = [user for child in Org.objects.filter(parent=org) for user in unit_users(child)]
    return [(users, "季度通报已印发", entry.object_label, url)]


RULES = {
    "problem.create": problem_created,
    "rectification.transition": rectification_moved,
    "report.submit": report_moved,
    "report.approve": report_moved,
    "report.return": report_moved,
    "unit.plan_submit": plan_moved,
    "unit.plan_return": plan_moved,
    "unit.plan_approve": plan_moved,
    "unit.responsibility_submit": responsibility_moved,
    "unit.responsibility_confirm": responsibility_moved,
    "unit.responsibility_return": responsibility_moved,
    "unit.quarterly_submit": quarterly_moved,
    "unit.quarterly_pick": quarterly_moved,
    "routine.circular_issue": circular_issued,
}


def on_audit_entry(sender, instance, created, **kwargs):
    rule = RULES.get(instance.action)
    if not created or rule is None or not instance.org_path:
        return
    try:
        with transaction.atomic():  # a savepoint: a broken rule rolls back only its own messages
            org = Org.objects.filter(path=instance.org_path).first()
            if org is None:
                return
            for users, title, body, url in rule(instance, org):
                notify(users=users, kind=instance.action, title=title, body=body, url=url, org=org,
                       audit_seq=instance.seq, exclude=instance.actor)
    except Exception:
        logger.exception("通知生成失败：%s #%s", instance.action, instance.seq)

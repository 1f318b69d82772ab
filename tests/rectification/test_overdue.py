import datetime

from django.core.management import call_command
from freezegun import freeze_time

from shuping.rectification import services
from shuping.rectification.models import Reminder, ReminderKind, Status

from .conftest import new_problem, planned


def test_mark_overdue_marks_items_past_deadline_once_and_reminds_daily(tree):
    late = planned(new_problem(tree.town_a1), deadline=datetime.date(2026, 3, 31))
    soon = planned(new_problem(tree.town_a2, "村党组织书记年龄偏大"), deadline=datetime.date(2026, 4, 5))
    later = planned(new_problem(tree.town_a2, "流动党员底数不清"), deadline=datetime.date(2026, 9, 1))
    with freeze_time("2026-04-01 08:00:00+08:00"):
        assert services.mark_overdue() == {"marked": 1, "reminders": 2}
        # Idempotent on the same day.
        assert services.mark_overdue() == {"marked": 0, "reminders": 0}
    for rect in (late, soon, later):
        rect.refresh_from_db()
    assert late.status == Status.OVERDUE and late.overdue_since == datetime.date(2026, 4, 1)
    assert soon.status == Status.NOT_STARTED and later.status == Status.NOT_STARTED
    kinds = dict(Reminder.objects.values_list("rectification_id", "kind"))
    assert kinds == {late.pk: ReminderKind.OVERDUE, soon.pk: ReminderKind.DUE_SOON}
    with freeze_time("2026-04-02 08:00:00+08:00"):
        assert services.mark_overdue() == {"marked": 0, "reminders": 2}
    assert Reminder.objects.filter(rectification=late).count() == 2


def test_deadline_day_itself_is_not_overdue(tree):
    rect = planned(new_problem(tree.town_a1), deadline=datetime.date(2026, 4, 1))
    with freeze_time("2026-04-01 23:30:00+08:00"):
        services.mark_overdue()
    rect.refresh_from_db()
    assert rect.status == Status.NOT_STARTED


def test_overdue_item_can_still_progress_and_resumes_with_a_new_deadline(tree):
    rect = planned(new_problem(tree.town_a1), deadline=datetime.date(2026, 3, 31))
    with freeze_time("2026-04-10 09:00:00+08:00"):
        services.mark_overdue()
        services.progress_add(actor=None, rectification=rect, text="已完成一半")
        rect.refresh_from_db()
        assert rect.status == Status.OVERDUE
        services.rectification_apply_close(actor=None, rectification=rect)
        rect.refresh_from_db()
        assert rect.status == Status.PENDING
        services.rectification_verify(actor=None, rectification=rect, approve=False, comment="材料不全")
        services.mark_overdue()
        rect.refresh_from_db()
        assert rect.status == Status.OVERDUE  # rejected and still past its deadline
        services.rectification_plan(actor=None, rectification=rect, owner=None, measures="补充材料",
                                    deadline=datetime.date(2026, 5, 31))
        rect.refresh_from_db()
        assert rect.status == Status.IN_PROGRESS


def test_pending_items_are_not_marked_overdue(tree):
    rect = planned(new_problem(tree.town_a1), deadline=datetime.date(2026, 3, 31))
    services.progress_add(actor=None, rectification=rect, text="完成")
    services.rectification_apply_close(actor=None, rectification=rect)
    with freeze_time("2026-04-10"):
        services.mark_overdue()
    rect.refresh_from_db()
    assert rect.status == Status.PENDING


def test_mark_overdue_command_reports_in_chinese(tree, capsys):
    planned(new_problem(tree.town_a1), deadline=datetime.date(2026, 3, 31))
    call_command("mark_overdue", "--date", "2026-04-01")
    out = capsys.readouterr().out
    assert "新标记逾期 1 项" in out
    call_command("mark_overdue", "--date", "2026-04-01")  # another node, or cron again: the day is done
    assert "已由其他服务器或先前的运行完成，跳过" in capsys.readouterr().out
    call_command("mark_overdue", "--date", "2026-04-01", "--force")
    assert "新标记逾期 0 项，生成催办提醒 0 条" in capsys.readouterr().out


def test_overdue_page_lists_overdue_and_due_soon_within_scope(tree, role_users, client):
    planned(new_problem(tree.town_a1, "逾期的问题甲"), deadline=datetime.date(2026, 3, 31))
    planned(new_problem(tree.town_b1, "乙县逾期问题"), deadline=datetime.date(2026, 3, 31))
    with freeze_time("2026-04-01 10:00:00+08:00"):
        services.mark_overdue()
        client.force_login(role_users["inspector"])
        body = client.get("/rectification/overdue/").content.decode()
    assert "逾期的问题甲" in body and "乙县逾期问题" not in body

"""`shuping mark-overdue`: the daily job (cron) that marks overdue rectifications and writes reminders.

Cron may run it on every app node: the first node to claim the day runs it, the others skip.
"""

from django.core.management.base import BaseCommand, CommandError

from shuping.clock import today
from shuping.jobs.services import run_once
from shuping.rectification.excel import parse_date
from shuping.rectification.services import mark_overdue


class Command(BaseCommand):
    help = "标记超过整改时限的问题为“逾期”，并生成当天的催办提醒（可重复运行，同一天不会重复提醒）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期检查（默认今天），如 2026-03-01")
        parser.add_argument("--force", action="store_true", help="即使当天已执行过也再检查一次（不会重复提醒）")

    def handle(self, *args, **options):
        day = today()
        if options.get("date"):
            day = parse_date(options["date"])
            if day is None:
                raise CommandError(f"日期无效：{options['date']}")
        if options.get("force"):
            result = mark_overdue(day=day)
        else:
            result = run_once("mark-overdue", f"{day:%Y-%m-%d}", lambda: mark_overdue(day=day))
            if result is None:
                self.stdout.write(f"{day:%Y-%m-%d} 的逾期检查已由其他服务器或先前的运行完成，跳过（需要重查请加 --force）")
                return
        self.stdout.write(f"{day:%Y-%m-%d}：新标记逾期 {result['marked']} 项，生成催办提醒 {result['reminders']} 条")

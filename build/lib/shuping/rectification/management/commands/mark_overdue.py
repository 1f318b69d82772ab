"""`shuping mark-overdue`: the daily job (cron) that marks overdue rectifications and writes reminders."""

from django.core.management.base import BaseCommand, CommandError

from shuping.clock import today
from shuping.rectification.excel import parse_date
from shuping.rectification.services import mark_overdue


class Command(BaseCommand):
    help = "标记超过整改时限的问题为“逾期”，并生成当天的催办提醒（可重复运行，同一天不会重复提醒）"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期检查（默认今天），如 2026-03-01")

    def handle(self, *args, **options):
        day = today()
        if options.get("date"):
            day = parse_date(options["date"])
            if day is None:
                raise CommandError(f"日期无效：{options['date']}")
        result = mark_overdue(day=day)
        self.stdout.write(f"{day:%Y-%m-%d}：新标记逾期 {result['marked']} 项，生成催办提醒 {result['reminders']} 条")

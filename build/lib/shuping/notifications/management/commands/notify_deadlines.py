from django.core.management.base import BaseCommand

from shuping.notifications.services import notify_deadlines


class Command(BaseCommand):
    help = "提醒各单位：整改时限、责任清单事项还有 N 天（默认 3 天）到期；每项每个时限只提醒一次"

    def add_arguments(self, parser):
        parser.add_argument("--days", type=int, default=3)

    def handle(self, *args, days, **options):
        self.stdout.write(f"已生成 {notify_deadlines(days=days)} 条到期提醒")

from django.core.management.base import BaseCommand

from shuping.notifications.services import deliver_pending


class Command(BaseCommand):
    help = "发送待发送的短信、群机器人等通知（失败的按次数重试）；可由定时任务或任务队列调用"

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, default=500, help="本次最多发送条数")

    def handle(self, *args, limit, **options):
        counts = deliver_pending(limit=limit)
        self.stdout.write(f"已发送 {counts['sent']} 条，失败 {counts['failed']} 条")

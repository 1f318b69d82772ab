from django.core.management.base import BaseCommand, CommandError
from django.utils.timezone import localtime

from shuping.audit.services import checkpoint_current, verify_chain
from shuping.clock import now


class Command(BaseCommand):
    help = "打印审计日志检查点（条数-链尾哈希），请记在系统之外（季度通报、纸质台账）"

    def handle(self, *args, **options):
        checked, problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(problem.message)
            raise CommandError("审计日志校验未通过，不能生成检查点，请先查明原因")
        point = checkpoint_current()
        self.stdout.write(f"审计检查点：{point}")
        self.stdout.write(
            f"（{localtime(now()):%Y-%m-%d %H:%M}，共 {checked} 条记录）请把这一行抄录在系统之外，"
            f"日后用 shuping audit-verify --checkpoint {point} 核对：此前的任何删除或改写都会被发现。"
        )

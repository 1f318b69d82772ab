from django.core.management.base import BaseCommand, CommandError

from shuping.audit.services import checkpoint_parse, verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链，发现被修改或删除的记录；--checkpoint 另与此前记下的检查点核对"

    def add_arguments(self, parser):
        parser.add_argument("--checkpoint", default="", help="shuping audit-anchor 打印、记在系统外的检查点，如 1234-9f86d081884c7d65")

    def handle(self, *args, checkpoint="", **options):
        try:
            point = checkpoint_parse(checkpoint) if checkpoint else None
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        checked, problems = verify_chain(checkpoint=point)
        if problems:
            for problem in problems:
                self.stderr.write(problem.message)
            raise CommandError(f"审计日志校验失败：共检查 {checked} 条，发现 {len(problems)} 处问题")
        against = f"，与检查点 {point} 一致" if point else ""
        self.stdout.write(f"审计日志完整：共 {checked} 条记录，哈希链校验通过{against}")

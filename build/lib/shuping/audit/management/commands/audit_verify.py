from django.core.management.base import BaseCommand, CommandError

from shuping.audit.services import verify_chain


class Command(BaseCommand):
    help = "校验审计日志哈希链，发现被修改或删除的记录"

    def handle(self, *args, **options):
        checked, problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(problem.message)
            raise CommandError(f"审计日志校验失败：共检查 {checked} 条，发现 {len(problems)} 处问题")
        self.stdout.write(f"审计日志完整：共 {checked} 条记录，哈希链校验通过")

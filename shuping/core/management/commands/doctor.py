import json

from django.core.management.base import BaseCommand, CommandError

from shuping.core.doctor import ERROR, OK, WARNING, run_checks


class Command(BaseCommand):
    help = "安装后自检：数据库、PDF 中文字体、上传目录、密钥文件权限、时钟与时区、定时任务、测评票数据、磁盘空间"

    def add_arguments(self, parser):
        parser.add_argument("--json", action="store_true", help="以 JSON 输出，供监控系统读取")

    def handle(self, *args, json=False, **options):
        findings = run_checks()
        if json:
            self.stdout.write(_json_dump(findings))
        else:
            marks = {OK: self.style.SUCCESS("✔"), WARNING: self.style.WARNING("！"), ERROR: self.style.ERROR("✘")}
            for finding in findings:
                self.stdout.write(f"{marks[finding.level]} {finding.topic}：{finding.message}")
                if finding.hint and finding.level != OK:
                    self.stdout.write(f"    处理办法：{finding.hint}")
        errors = sum(f.level == ERROR for f in findings)
        warnings = sum(f.level == WARNING for f in findings)
        if errors:
            raise CommandError(f"自检发现 {errors} 个错误、{warnings} 个需要注意的事项")
        if not json:
            self.stdout.write(self.style.SUCCESS(f"自检通过（{warnings} 个需要注意的事项）"))


def _json_dump(findings) -> str:
    return json.dumps(
        [{"topic": f.topic, "level": f.level, "message": f.message, "hint": f.hint} for f in findings],
        ensure_ascii=False, indent=2,
    )

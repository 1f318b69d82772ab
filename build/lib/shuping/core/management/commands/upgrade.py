from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from shuping.audit.services import verify_chain
from shuping.core.upgrade import UpgradeError, upgrade


class Command(BaseCommand):
    help = "升级数据库：先用数据库自身的工具完整备份，备份成功后再执行迁移，最后校验审计日志"

    def add_arguments(self, parser):
        parser.add_argument("--backup-dir", default=None,
                            help="升级前备份存放目录，默认为数据目录下的 backups/")

    def handle(self, *args, backup_dir=None, **options):
        directory = Path(backup_dir) if backup_dir else Path(settings.DATA_DIR) / "backups"
        try:
            result = upgrade(backup_dir=directory, progress=self.stdout.write)
        except UpgradeError as exc:
            raise CommandError(str(exc)) from exc
        checked, problems = verify_chain()
        if problems:
            raise CommandError(f"升级已完成，但审计日志校验失败：{problems[0].message}")
        if not result["migrations"]:
            self.stdout.write(self.style.SUCCESS(f"数据库已是最新（版本 {result['to']}），无需迁移"))
            return
        source = result["from"] or "早于 0.2.0 的版本"
        self.stdout.write(self.style.SUCCESS(
            f"升级完成：{source} → {result['to']}，执行迁移 {len(result['migrations'])} 个，"
            f"审计日志 {checked} 条校验通过；升级前备份：{result['snapshot']}"
        ))

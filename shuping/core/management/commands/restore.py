from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shuping.audit.services import verify_chain
from shuping.core.backup import BackupError, restore_backup

from ._backup_key import add_key_arguments, key_from_options


class Command(BaseCommand):
    help = "把 shuping backup 生成的备份恢复到一个全新的空实例"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件路径")
        add_key_arguments(parser)

    def handle(self, *args, archive, **options):
        key = key_from_options(options, confirm=False)
        try:
            manifest = restore_backup(Path(archive), progress=lambda text: self.stdout.write(text), key=key)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        checked, problems = verify_chain()
        if problems:
            raise CommandError(f"数据已恢复，但审计日志校验失败：{problems[0].message}")
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(
            f"恢复完成：数据 {rows} 行，文件 {len(manifest['files'])} 个，审计日志 {checked} 条校验通过"
        ))

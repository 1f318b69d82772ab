from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shuping.core.backup import BackupError, create_backup

from ._backup_key import add_key_arguments, key_from_options


class Command(BaseCommand):
    help = "备份数据库（可移植 JSON）和上传文件到一个 zip 文件，含校验和，并用备份密钥签名"

    def add_arguments(self, parser):
        parser.add_argument("out", help="备份文件路径，如 /backup/shuping-20261123.zip")
        add_key_arguments(parser)

    def handle(self, *args, out, **options):
        key = key_from_options(options, confirm=True)
        try:
            manifest = create_backup(Path(out), progress=lambda text: self.stdout.write(text), key=key)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"备份完成：{out}，数据 {rows} 行，文件 {len(manifest['files'])} 个，已签名"))

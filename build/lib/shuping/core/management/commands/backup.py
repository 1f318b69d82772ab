from pathlib import Path

from django.core.management.base import BaseCommand

from shuping.core.backup import create_backup


class Command(BaseCommand):
    help = "备份数据库（可移植 JSON）和上传文件到一个 zip 文件，含校验和"

    def add_arguments(self, parser):
        parser.add_argument("out", help="备份文件路径，如 /backup/shuping-20261123.zip")

    def handle(self, *args, out, **options):
        manifest = create_backup(Path(out), progress=lambda text: self.stdout.write(text))
        rows = sum(manifest["counts"].values())
        self.stdout.write(self.style.SUCCESS(f"备份完成：{out}，数据 {rows} 行，文件 {len(manifest['files'])} 个"))

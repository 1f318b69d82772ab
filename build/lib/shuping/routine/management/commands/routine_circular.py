from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shuping.routine import documents, services
from shuping.routine.models import QuarterlyCircular

from ._common import get_org, messages_of


class Command(BaseCommand):
    help = "导出季度通报 Word 文件；加 --issue 则同时印发并为末位单位下达督办单（纳入整改台账）"

    def add_arguments(self, parser):
        parser.add_argument("organiser", help="组织单位的组织编码")
        parser.add_argument("year", type=int)
        parser.add_argument("quarter", type=int, help="季度 1～4")
        parser.add_argument("file", help="输出的 .docx 文件")
        parser.add_argument("--issue", action="store_true", help="印发通报并下达督办单")

    def handle(self, *args, organiser, year, quarter, file, issue, **options):
        org = get_org(organiser)
        circular = QuarterlyCircular.objects.filter(organiser=org, year=year, quarter=quarter).first()
        if circular is None:
            raise CommandError(f"{org.name}{year}年第{quarter}季度尚未建立通报，请先在“日常考核 → 季度通报”中新建")
        if issue:
            try:
                orders = services.circular_issue(actor="命令行", circular=circular)
            except ValidationError as exc:
                raise CommandError(messages_of(exc)) from None
            self.stdout.write(f"已印发，下达督办单 {len(orders)} 份：{'、'.join(o.org.name for o in orders) or '无'}")
            circular.refresh_from_db()
        Path(file).write_bytes(documents.circular_docx(circular))
        self.stdout.write(self.style.SUCCESS(f"已生成：{file}"))

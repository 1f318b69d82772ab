from pathlib import Path

from django.core.management.base import BaseCommand

from shuping.routine import excel

from ._common import get_org


class Command(BaseCommand):
    help = "生成某月日常考核评分的 Excel 模板（已预填单位、指标和现有得分）"

    def add_arguments(self, parser):
        parser.add_argument("organiser", help="组织单位的组织编码")
        parser.add_argument("year", type=int)
        parser.add_argument("month", type=int)
        parser.add_argument("file", help="输出的 .xlsx 文件")

    def handle(self, *args, organiser, year, month, file, **options):
        org = get_org(organiser)
        Path(file).write_bytes(excel.scores_template(org, year, month))
        self.stdout.write(self.style.SUCCESS(f"已生成模板：{file}"))

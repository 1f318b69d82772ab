from django.core.management.base import BaseCommand, CommandError

from shuping.core.xlsx import ImportFailed
from shuping.routine import excel

from ._common import get_org


class Command(BaseCommand):
    help = "从 Excel 导入某月的日常考核评分（工作表“月度评分”：单位编码、单位名称、指标编码、得分），全部校验通过才写入"

    def add_arguments(self, parser):
        parser.add_argument("organiser", help="组织单位的组织编码，如 DL-YC-QH")
        parser.add_argument("year", type=int, help="年度")
        parser.add_argument("month", type=int, help="月份 1～12")
        parser.add_argument("file", help=".xlsx 文件")

    def handle(self, *args, organiser, year, month, file, **options):
        org = get_org(organiser)
        try:
            summary = excel.scores_import(file, actor="命令行导入", organiser=org, year=year, month=month)
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{file}") from None
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"{org.name}{year}年{month}月：{summary.describe()}"))

from pathlib import Path

from django.core.management.base import BaseCommand

from shuping.campaigns import excel

from ._common import get_campaign


class Command(BaseCommand):
    help = "导出考核结果 .xlsx（“结果”“指标明细”“说明”工作表）；已发布的导出最新版本，否则导出预览"

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="考核编号")
        parser.add_argument("out", help="输出文件 .xlsx")

    def handle(self, *args, campaign, out, **options):
        campaign = get_campaign(campaign)
        content, table = excel.results_export(campaign)
        Path(out).write_bytes(content)
        if table.is_preview:
            note = "预览（结果尚未发布）"
        else:
            note = f"第 {table.version.number} 版，内容哈希 {table.version.content_hash}"
        self.stdout.write(self.style.SUCCESS(f"已导出 {len(table.rows)} 名述职人的结果到 {out}：{note}"))

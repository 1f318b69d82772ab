from django.core.management.base import BaseCommand, CommandError

from shuping.campaigns import excel
from shuping.campaigns.services import CampaignError
from shuping.core.xlsx import ImportFailed, WorkbookError

from ._common import get_campaign


class Command(BaseCommand):
    help = "从 Excel 评分表导入测评票（“评分”“民主测评”两个工作表），全部校验通过才写入"

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="考核编号")
        parser.add_argument("file", help=".xlsx 文件")

    def handle(self, *args, campaign, file, **options):
        campaign = get_campaign(campaign)
        try:
            summary = excel.ballots_import(file, actor="命令行导入", campaign=campaign, note=str(file))
        except FileNotFoundError:
            raise CommandError(f"文件不存在：{file}") from None
        except (WorkbookError, CampaignError) as exc:
            raise CommandError(exc.messages[0] if hasattr(exc, "messages") else str(exc)) from None
        except ImportFailed as exc:
            for error in exc.errors:
                self.stderr.write(str(error))
            raise CommandError(str(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"{campaign.title}：{summary.describe()}"))

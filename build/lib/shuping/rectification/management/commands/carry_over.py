"""`shuping carry-over <考核编号>`: link last year's problems into a campaign (idempotent)."""

from django.core.management.base import BaseCommand, CommandError

from shuping.campaigns.models import Campaign
from shuping.rectification.services import carry_over


class Command(BaseCommand):
    help = "把上一年度考核中各述职单位的问题和仍未销号的问题结转到指定考核（可重复运行，不会重复结转）"

    def add_arguments(self, parser):
        parser.add_argument("campaign", type=int, help="考核编号（考核页面地址中的数字）")

    def handle(self, *args, **options):
        campaign = Campaign.objects.filter(pk=options["campaign"]).first()
        if campaign is None:
            raise CommandError(f"找不到编号为 {options['campaign']} 的考核")
        if not campaign.previous_id:
            raise CommandError(f"“{campaign.title}”没有设置上一年度考核")
        count = carry_over(actor="命令行", campaign=campaign)
        self.stdout.write(f"“{campaign.title}”：新结转 {count} 个问题")

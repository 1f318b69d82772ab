from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from shuping.campaigns.management.commands._common import get_campaign
from shuping.routine import services

from ._common import messages_of


class Command(BaseCommand):
    help = "将月度评分折算的日常考核得分写入考核各述职人的“日常考核得分”（发布前执行；默认不覆盖手工录入）"

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="考核编号")
        parser.add_argument("--overwrite", action="store_true", help="覆盖已手工录入的得分")

    def handle(self, *args, campaign, overwrite, **options):
        campaign = get_campaign(campaign)
        try:
            count = services.campaign_routine_apply(actor="命令行", campaign=campaign, overwrite=overwrite)
        except ValidationError as exc:
            raise CommandError(messages_of(exc)) from None
        self.stdout.write(self.style.SUCCESS(f"{campaign.title}：已写入 {count} 名述职人的日常考核得分"))

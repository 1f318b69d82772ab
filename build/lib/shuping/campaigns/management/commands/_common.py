from django.core.management.base import CommandError

from shuping.campaigns.models import Campaign


def get_campaign(value) -> Campaign:
    try:
        return Campaign.objects.select_related("organiser").get(pk=int(value))
    except (ValueError, Campaign.DoesNotExist):
        raise CommandError(f"找不到编号为 {value} 的考核（CAMPAIGN 为考核编号，见考核页面地址中的数字）") from None

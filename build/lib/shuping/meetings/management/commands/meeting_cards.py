"""shuping meeting-cards: issue evaluator credentials and write the QR cards PDF (offline printing)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from shuping.meetings import pdf, services
from shuping.meetings.models import Meeting


class Command(BaseCommand):
    help = "为述职评议会发放评议凭证并生成二维码评议卡 PDF"

    def add_arguments(self, parser):
        parser.add_argument("meeting", type=int, help="会议编号（会议页面地址 /meetings/<编号>/ 中的数字）")
        parser.add_argument("--group", required=True, help="评议组编码，如 CW、LD、DB、QZ")
        parser.add_argument("--count", type=int, default=0, help="匿名评议组的人数")
        parser.add_argument("--names", help="姓名文件（UTF-8 文本，每行一人），实名评议组必填")
        parser.add_argument("--base-url", required=True, help="会场访问地址，如 http://192.168.1.10:8000")
        parser.add_argument("--out", required=True, help="输出 PDF 文件路径")

    def handle(self, *args, meeting, group, count, names, base_url, out, **options):
        record = Meeting.objects.select_related("campaign").filter(pk=meeting).first()
        if record is None:
            raise CommandError(f"会议 {meeting} 不存在")
        evaluator_group = record.campaign.evaluator_groups.filter(code=group).first()
        if evaluator_group is None:
            raise CommandError(f"评议组编码 {group} 不存在")
        name_list = Path(names).read_text(encoding="utf-8").splitlines() if names else []
        try:
            cards = services.credentials_issue(actor="命令行", meeting=record, group=evaluator_group,
                                               count=count, names=name_list)
        except services.MeetingError as error:
            raise CommandError("；".join(error.messages)) from error
        Path(out).write_bytes(pdf.cards_pdf(record, cards, base_url))
        self.stdout.write(self.style.SUCCESS(f"已发放 {len(cards)} 张评议卡，已写入 {out}"))

"""`shuping registers-rollup`: recompute the register dashboards' subtree totals from the confirmed sheets.

The totals are kept current on every confirmation, return and org move; this is for data loaded past the
services (a restored backup, a bulk load) and as a check.
"""

from django.core.management.base import BaseCommand

from shuping.registers.rollup import rebuild


class Command(BaseCommand):
    help = "重新计算基层台账统计看板的汇总数据"

    def handle(self, *args, **options):
        self.stdout.write(f"已重新计算基层台账汇总：{rebuild()} 条")

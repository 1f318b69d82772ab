import json

from django.core.management.base import BaseCommand

from shuping.campaigns import excel
from shuping.scoring.numbers import format_percent

from ._common import get_campaign


def _width(text: str) -> int:
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)


def _pad(text, width: int, right: bool = False) -> str:
    text = "—" if text in (None, "") else str(text)
    gap = " " * max(0, width - _width(text))
    return gap + text if right else text + gap


class Command(BaseCommand):
    help = "计算考核结果（已发布的考核显示最新发布版本，否则为实时预览）"

    def add_arguments(self, parser):
        parser.add_argument("campaign", help="考核编号")
        parser.add_argument("--json", action="store_true", help="以 JSON 输出（每名述职人一条）")

    def handle(self, *args, campaign, json: bool = False, **options):
        campaign = get_campaign(campaign)
        table = excel.result_table(campaign)
        if json:
            self._json(campaign, table)
        else:
            self._table(campaign, table)

    def _json(self, campaign, table):
        version = table.version
        payload = {
            "campaign": campaign.pk,
            "title": campaign.title,
            "preview": table.is_preview,
            "version": version.number if version else None,
            "content_hash": version.content_hash if version else None,
            "results": table.rows,
        }
        self.stdout.write(json_dumps(payload))

    def _table(self, campaign, table):
        groups = list(campaign.evaluator_groups.all())
        status = "预览（未发布）" if table.is_preview else (
            f"已发布第 {table.version.number} 版  哈希 {table.version.content_hash}")
        self.stdout.write(f"{campaign.title}  [{status}]")
        columns = [("排名", 4, True), ("述职单位", 28, False), ("述职人", 8, False),
                   *[(g.name[:6], 12, True) for g in groups],
                   ("现场测评", 8, True), ("民主测评", 8, True), ("好评率", 8, True), ("日常考核", 8, True),
                   ("加分", 6, True), ("扣分", 6, True), ("综合得分", 8, True), ("等次", 4, False)]
        current = object()
        for row in table.rows:
            if row["ranking_group"] != current:
                current = row["ranking_group"]
                self.stdout.write(f"\n【{current}】")
                self.stdout.write("  ".join(_pad(name, w, r) for name, w, r in columns))
            scores = row["group_scores"]
            values = [row["rank"], row["org"], row["reporter"],
                      *[scores[g.code]["score"] if g.code in scores else None for g in groups],
                      row["meeting_score"], row["democratic_score"],
                      format_percent(row["good_rate"], empty=None),
                      row["routine_score"], row["bonus"], row["deduction"], row["composite"],
                      (row["grade"] or "") + ("（否决）" if row["vetoed"] else "")]
            self.stdout.write("  ".join(_pad(v, w, r) for v, (_n, w, r) in zip(values, columns, strict=True)))


def json_dumps(payload) -> str:
    return json.dumps(payload, ensure_ascii=False, indent=2)

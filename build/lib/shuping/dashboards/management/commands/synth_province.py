from django.core.management.base import BaseCommand, CommandError

from shuping.dashboards.synth import AlreadyGenerated, counts_for, generate


class Command(BaseCommand):
    help = "生成合成省份数据（14 个市州、120 个县、1500 个乡镇、25000 个村，五年月度日常考核、考核结果和问题），用于压力测试"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="规模比例，如 0.01 仅生成百分之一（默认 1）")
        parser.add_argument("--years", type=int, default=5, help="生成的年数（默认 5，截至今年）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子")

    def handle(self, *args, scale, years, seed, **options):
        if not 0 < scale <= 1 or not 1 <= years <= 10:
            raise CommandError("--scale 应在 (0, 1] 之间，--years 应在 1 到 10 之间")
        counts = counts_for(scale)
        self.stdout.write(f"规模：{counts['prefectures']} 个市州、{counts['counties']} 个县、{counts['townships']} 个乡镇、"
                          f"{counts['villages']} 个村（社区），{years} 年")
        try:
            stats = generate(scale=scale, years=years, seed=seed, progress=self.stdout.write)
        except AlreadyGenerated as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"已生成：组织 {stats.orgs} 个，月度得分 {stats.monthly_scores} 条，考核 {stats.campaigns} 个，"
            f"考核结果 {stats.results} 条，问题 {stats.problems} 个；用时 {stats.seconds} 秒"))

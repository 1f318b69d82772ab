from django.core.management.base import BaseCommand, CommandError

from shuping.dashboards.synth import AlreadyGenerated, counts_for, generate


class Command(BaseCommand):
    help = "生成合成省份数据（14 个市州、120 个县、1500 个乡镇、25000 个村，五年月度日常考核、考核结果和问题），用于压力测试"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="规模比例，如 0.01 仅生成百分之一（默认 1）")
        parser.add_argument("--years", type=int, default=5, help="生成的年数（默认 5，截至今年）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子")
        parser.add_argument("--background", action="store_true",
                            help="作为后台任务提交，由 shuping worker 执行（可在网页“我的后台任务”查看进度）")
        parser.add_argument("--owner", help="后台任务归属的用户名（该用户可在网页上查看进度）")
        parser.add_argument("--wait", action="store_true", help="与 --background 一起使用：在终端显示进度直到完成")

    def handle(self, *args, scale, years, seed, **options):
        if not 0 < scale <= 1 or not 1 <= years <= 10:
            raise CommandError("--scale 应在 (0, 1] 之间，--years 应在 1 到 10 之间")
        if options.get("background"):
            return self._background(scale, years, seed, options)
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

    def _background(self, scale, years, seed, options):
        from django.contrib.auth import get_user_model

        from shuping.jobs.services import job_start, job_wait

        owner = None
        if options.get("owner"):
            owner = get_user_model().objects.filter(username=options["owner"]).first()
            if owner is None:
                raise CommandError(f"用户不存在：{options['owner']}")
        job = job_start(actor=owner, kind="dashboards.synth_province", title=f"生成合成省份数据（规模 {scale:g}，{years} 年）",
                        params={"scale": scale, "years": years, "seed": seed})
        self.stdout.write(f"已提交后台任务 {job.pk}（进度页面 /jobs/{job.pk}/），由 shuping worker 执行")
        if not options.get("wait"):
            return
        job = job_wait(job, report=lambda j: self.stdout.write(f"  {j.percent}% {j.step}"))
        if job.status != "succeeded":
            raise CommandError(job.error)
        self.stdout.write(self.style.SUCCESS(job.step))

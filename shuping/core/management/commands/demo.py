import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from shuping.accounts.models import Role
from shuping.core.demo import DemoRefused, build_demo
from shuping.orgs.models import Org


class Command(BaseCommand):
    help = "创建演示县（可重复执行）并启动服务：http://127.0.0.1:8000"

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true", help="只创建演示数据，不启动服务")
        parser.add_argument("--addrport", default="127.0.0.1:8000", help="监听地址，默认 127.0.0.1:8000")

    def handle(self, *args, no_serve=False, addrport="127.0.0.1:8000", **options):
        if settings.PRODUCTION:
            raise CommandError("生产模式（SHUPING_PRODUCTION=1）下不能运行演示：演示账号的密码是公开的")
        started = time.monotonic()
        self.stdout.write("正在初始化数据库……")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("正在创建演示县（清河县）……")
        try:
            context = build_demo()
        except DemoRefused as exc:
            raise CommandError(str(exc)) from exc
        subtree = context.county.subtree()
        self.stdout.write(self.style.SUCCESS(
            f"演示县已就绪：{context.county.name}，乡镇/街道/园区 "
            f"{subtree.filter(depth=context.county.depth + 1, unit_type__in=['township', 'street', 'park']).count()} 个，"
            f"县直部门 {subtree.filter(depth=context.county.depth + 1).exclude(unit_type__in=['township', 'street', 'park']).count()} 个，"
            f"村/社区 {subtree.filter(unit_type__in=['village', 'community']).count()} 个"
            f"（用时 {time.monotonic() - started:.1f} 秒）"
        ))
        self.stdout.write("\n演示账号（用户名 / 密码）：")
        for role, (username, password) in context.users.items():
            label = Role(role).label if role in Role.values else role  # e.g. the other review levels
            self.stdout.write(f"  {label:<8}  {username:<10} / {password}")
        for label, username, password in context.accounts:
            self.stdout.write(f"  {label}  {username} / {password}")
        for label, path in context.links:
            self.stdout.write(f"\n{label}：http://{addrport}{path}")
        self.stdout.write(f"\n组织总数：{Org.objects.count()}")
        if no_serve:
            return
        # Serving the demo is demo mode: its published passwords need not be changed.
        settings.DEMO_MODE = True
        if not addrport.startswith(("127.", "localhost", "[::1]")) and "*" not in settings.ALLOWED_HOSTS:
            # Phones in the hall reach the laptop by its LAN address, whatever that is.
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "*"]
        host = addrport
        # Exports and other long work run on the job queue; the demo works it in this same process.
        from shuping.jobs.inprocess import start_worker_thread

        start_worker_thread()
        self.stdout.write("后台任务处理程序已在本进程中启动（导出等耗时操作在后台执行并显示进度）。")
        self.stdout.write(self.style.SUCCESS(f"\n请在浏览器打开 http://{host}/ ，按 Ctrl+C 停止服务。\n"))
        call_command("runserver", addrport, insecure_serving=True, use_reloader=False)

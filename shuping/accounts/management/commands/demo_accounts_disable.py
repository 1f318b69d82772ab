from django.core.management.base import BaseCommand

from shuping.accounts.services import demo_accounts_disable


class Command(BaseCommand):
    help = "停用 shuping demo 创建的演示账号（停用、清除密码、撤销角色），生产环境启动前必须执行"
    # Must run while the production start-up check still refuses demo accounts.
    requires_system_checks = []

    def handle(self, *args, **options):
        names = demo_accounts_disable(actor="系统管理员（命令行）")
        if names:
            self.stdout.write(self.style.SUCCESS(f"已停用演示账号 {len(names)} 个：{'、'.join(names)}"))
        else:
            self.stdout.write("没有需要停用的演示账号")

"""`shuping worker`: the background worker of one node (django-tasks' database worker).

Run one per app node (systemd). A stable worker id (SHUPING_WORKER_ID, default the host name)
lets a restarted worker put back on the queue the jobs it was running when it was killed.
"""

from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand

from shuping.jobs.services import jobs_recover, node_name


class Command(DbWorkerCommand):
    help = "运行后台任务处理程序（导出、导入等耗时任务）；每台应用服务器运行一个"

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(worker_id=node_name(), reload=False)

    def handle(self, *args, worker_id, **options):
        recovered = jobs_recover(worker_id=worker_id)
        if recovered and options.get("verbosity", 1):
            self.stdout.write(f"已重新排队 {recovered} 个中断的后台任务")
        return super().handle(*args, worker_id=worker_id, **options)

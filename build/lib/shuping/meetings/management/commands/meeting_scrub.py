"""shuping meeting-scrub: after a meeting closes, rewrite the ballot tables' files so that no
pre-shuffle row survives in freed database pages (docs/threat-model.md, "运维人员要做的事")."""

from django.core.management.base import BaseCommand
from django.db import connection

from shuping.campaigns.models import Ballot, BallotScore
from shuping.meetings.models import Credential, NamedBallot

TABLES = [model._meta.db_table for model in (Ballot, BallotScore, NamedBallot, Credential)]


class Command(BaseCommand):
    help = "会议关闭后清理数据库空闲页中残留的旧测评票行（PostgreSQL：VACUUM FULL；SQLite：VACUUM）"

    def handle(self, *args, **options):
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                for table in TABLES:
                    self.stdout.write(f"正在重写 {table} ……")
                    cursor.execute(f"VACUUM FULL {table}")
            else:
                self.stdout.write("正在重写 SQLite 数据库文件 ……")
                cursor.execute("VACUUM")
                cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.stdout.write(self.style.SUCCESS("已完成：旧的测评票行不再留在数据库文件的空闲页中"))

"""`shuping doctor`: what an administrator gets wrong after an install, each with a fix hint in Chinese.

Each check returns a Finding; none of them changes anything (the media check writes and removes one
temporary file). The command prints them and exits non-zero when any is an error.
"""

import datetime
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from shuping.clock import now
from shuping.core.marks import job_last_run

OK, WARNING, ERROR = "ok", "warning", "error"
LEVEL_LABELS = {OK: "正常", WARNING: "注意", ERROR: "错误"}

# Scheduled jobs and how long each may stay silent before we call it stopped.
SCHEDULED_JOBS = {"mark-overdue": ("每日逾期检查（shuping mark-overdue）", datetime.timedelta(hours=26))}
# Keys kept in files outside the database: (variable, what it is, default file in the data folder or None).
KEYS = [("SHUPING_SECRET_KEY", "系统密钥", "secret_key"), ("SHUPING_AUDIT_KEY", "审计密钥", "audit_key"),
        ("SHUPING_BACKUP_KEY", "备份密钥", None)]
MIN_FREE_BYTES = 2 * 1024**3
MAX_CLOCK_SKEW = datetime.timedelta(minutes=2)


@dataclass
class Finding:
    topic: str
    level: str
    message: str
    hint: str = ""

    @property
    def level_label(self) -> str:
        return LEVEL_LABELS[self.level]


def check_database() -> list[Finding]:
    try:
        connection.ensure_connection()
    except Exception as exc:  # any driver error means the same to an administrator
        return [Finding("数据库", ERROR, f"无法连接数据库：{str(exc).strip().splitlines()[0][:200]}",
                        "检查 DATABASE_URL、数据库服务是否启动、用户名口令和防火墙")]
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        return [Finding("数据库", ERROR, f"数据库结构不是最新：还有 {len(plan)} 个迁移未执行",
                        "执行 shuping upgrade（先自动备份再升级）；全新安装执行 shuping migrate")]
    return [Finding("数据库", OK, f"已连接（{connection.vendor}），数据库结构为最新")]


def _zh_font_names() -> set[str]:
    try:
        out = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=20).stdout
    except (OSError, subprocess.SubprocessError):
        return set()
    return {_normalise_font(name) for line in out.splitlines() for name in line.split(",") if name.strip()}


def _normalise_font(name: str) -> str:
    return re.sub(r"[\s\-_]", "", name).lower()


def pdf_font_names(pdf: bytes) -> set[str]:
    """Font names embedded in an uncompressed PDF, without the subset prefix (ABCDEF+)."""
    return {
        _normalise_font(match.decode("latin-1").split("+", 1)[-1])
        for match in re.findall(rb"/BaseFont\s*/([^\s/<>\[\]()]+)", pdf)
    }


# Rendered in a child process: with no usable font at all pango crashes the process (SIGSEGV).
FONT_PROBE = """
import sys
from weasyprint import HTML
sys.stdout.buffer.write(HTML(string="<p style=\\"font-family: 'WenQuanYi Micro Hei', sans-serif\\">述职评议考核</p>")
                        .write_pdf(uncompressed_pdf=True))
"""


def check_fonts() -> list[Finding]:
    hint = "安装文泉驿微米黑字体：apt-get install fonts-wqy-microhei（离线包中的 fonts/ 目录附有字体文件，见部署指南“离线部署”）"
    try:
        probe = subprocess.run([sys.executable, "-c", FONT_PROBE], capture_output=True, timeout=120)
    except (OSError, subprocess.SubprocessError) as exc:
        return [Finding("PDF 字体", ERROR, f"无法生成 PDF：{exc}", hint)]
    if probe.returncode != 0:
        reason = "生成 PDF 的进程崩溃（系统中没有任何可用字体）" if probe.returncode < 0 else "无法生成 PDF"
        detail = probe.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
        return [Finding("PDF 字体", ERROR, f"{reason}：{detail[0][:200]}",
                        hint + "；并安装 WeasyPrint 所需的系统库 libpango-1.0-0 libpangoft2-1.0-0")]
    used = pdf_font_names(probe.stdout)
    if not used & _zh_font_names():
        shown = "、".join(sorted(used)) or "无"
        return [Finding("PDF 字体", ERROR, f"PDF 中的汉字没有可用的中文字体（实际使用：{shown}），打印的测评表和报告会显示方框", hint)]
    return [Finding("PDF 字体", OK, "PDF 中文字体正常")]


def check_media() -> list[Finding]:
    media = Path(settings.MEDIA_ROOT)
    try:
        media.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=media, prefix=".doctor-"):
            pass
    except OSError as exc:
        return [Finding("上传目录", ERROR, f"上传目录 {media} 不可写：{exc.strerror or exc}",
                        "创建该目录并交给运行服务的用户：chown -R shuping: 目录；或修改 SHUPING_MEDIA_ROOT")]
    return [Finding("上传目录", OK, f"{media} 可写")]


def _key_file_paths() -> list[tuple[str, Path]]:
    paths = []
    for variable, label, default in KEYS:
        if os.environ.get(variable):
            continue  # given directly; reported below in production
        if os.environ.get(f"{variable}_FILE"):
            paths.append((label, Path(os.environ[f"{variable}_FILE"])))
        elif default:
            paths.append((label, Path(settings.DATA_DIR) / default))
    return paths


def check_keys() -> list[Finding]:
    findings = []
    for label, path in _key_file_paths():
        if not path.exists():
            findings.append(Finding("密钥文件", ERROR, f"{label}文件 {path} 不存在",
                                    "按部署指南生成密钥文件，并在 /etc/shuping.env 中指向它"))
            continue
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            findings.append(Finding("密钥文件", ERROR, f"{label}文件 {path} 权限为 {mode:o}，其他用户可读",
                                    f"执行 chmod 600 {path}，属主为运行服务的用户"))
        else:
            findings.append(Finding("密钥文件", OK, f"{label}文件权限正确（{mode:o}）"))
    for variable, label, _default in KEYS:
        if settings.PRODUCTION and os.environ.get(variable):
            findings.append(Finding("密钥文件", WARNING, f"{label}直接写在环境变量 {variable} 中",
                                    f"改用 {variable}_FILE 指向权限为 600 的文件，避免在进程列表和日志中泄露"))
    if not os.environ.get("SHUPING_BACKUP_KEY") and not os.environ.get("SHUPING_BACKUP_KEY_FILE"):
        findings.append(Finding("密钥文件", WARNING, "未配置备份密钥，定时备份（shuping backup）会拒绝运行",
                                "生成备份密钥文件（权限 600），在 /etc/shuping.env 中设置 SHUPING_BACKUP_KEY_FILE，并与备份分开保管"))
    return findings


def _database_now() -> datetime.datetime | None:
    if connection.vendor != "postgresql":
        return None  # SQLite reads the same clock as this process: nothing to compare
    with connection.cursor() as cursor:
        cursor.execute("SELECT CURRENT_TIMESTAMP")
        return cursor.fetchone()[0]


def check_clock() -> list[Finding]:
    findings = []
    if settings.TIME_ZONE != "Asia/Shanghai" or not settings.USE_TZ:
        findings.append(Finding("时钟与时区", ERROR, f"时区为 {settings.TIME_ZONE}，文件和通报上的日期会错",
                                "不要修改 TIME_ZONE 设置；系统按北京时间（Asia/Shanghai）显示和打印日期"))
    current = now()
    if current.year < 2024:
        findings.append(Finding("时钟与时区", ERROR, f"系统时间为 {current:%Y-%m-%d}，明显不对",
                                "校准服务器时间并开启 NTP 同步（timedatectl set-ntp true 或内网时间服务器）"))
    try:
        db_now = _database_now()
    except Exception:
        db_now = None
    if db_now is not None and abs(db_now - current) > MAX_CLOCK_SKEW:
        findings.append(Finding("时钟与时区", ERROR,
                                f"应用服务器与数据库服务器时间相差 {abs(db_now - current).total_seconds():.0f} 秒",
                                "两台服务器都开启 NTP 时间同步"))
    return findings or [Finding("时钟与时区", OK, "北京时间，时钟正常")]


def check_scheduled_jobs() -> list[Finding]:
    findings = []
    for job, (label, allowed) in SCHEDULED_JOBS.items():
        try:
            last = job_last_run(job)
        except Exception:
            last = None
        if last is None:
            findings.append(Finding("定时任务", WARNING, f"{label}从未运行",
                                    "按部署指南“定时任务”一节配置 cron 或任务队列的定时执行"))
        elif now() - last > allowed:
            hours = (now() - last).total_seconds() / 3600
            findings.append(Finding("定时任务", ERROR, f"{label}已 {hours:.0f} 小时未运行",
                                    "检查 cron（crontab -l -u shuping）或任务队列进程是否在运行，日志中是否有错误"))
        else:
            findings.append(Finding("定时任务", OK, f"{label}最近一次运行：{timezone.localtime(last):%Y-%m-%d %H:%M}"))
    return findings


def check_ballot_scores() -> list[Finding]:
    """Score rows whose ballot is gone: the database keeps no foreign key for them (see
    BallotScore.ballot), so this is where one would show."""
    from django.db.models import Exists, OuterRef

    from shuping.campaigns.models import Ballot, BallotScore

    orphans = BallotScore.objects.filter(~Exists(Ballot.objects.filter(pk=OuterRef("ballot_id")))).count()
    if orphans:
        return [Finding("测评票数据", ERROR, f"有 {orphans} 条分项得分找不到所属的测评票",
                        "可能有人绕过系统直接删改了数据库；请从备份恢复或联系技术支持，计票结果以系统内测评票为准")]
    return [Finding("测评票数据", OK, "每条分项得分都有所属的测评票")]


def check_disk() -> list[Finding]:
    usage = shutil.disk_usage(settings.DATA_DIR)
    free_gib = usage.free / 1024**3
    if usage.free < MIN_FREE_BYTES or usage.free < usage.total * 0.05:
        return [Finding("磁盘空间", ERROR, f"数据目录所在磁盘只剩 {free_gib:.1f} GiB",
                        "清理过期备份（/var/backups/shuping）或扩容磁盘；空间不足时上传和备份会失败")]
    return [Finding("磁盘空间", OK, f"剩余 {free_gib:.1f} GiB")]


CHECKS: list[Callable[[], list[Finding]]] = [
    check_database, check_fonts, check_media, check_keys, check_clock, check_scheduled_jobs, check_ballot_scores,
    check_disk,
]
# read from the database: they say nothing new when that is down
NEEDS_DATABASE = (check_scheduled_jobs, check_ballot_scores)


def run_checks() -> list[Finding]:
    findings = []
    database_ok = True
    for check in CHECKS:
        if check in NEEDS_DATABASE and not database_ok:
            continue
        result = check()
        if check is check_database:
            database_ok = all(f.level == OK for f in result)
        findings.extend(result)
    return findings

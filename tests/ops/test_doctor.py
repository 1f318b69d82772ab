"""`shuping doctor`: each fault an administrator makes is reported, with a Chinese fix hint."""

import datetime
import os
import subprocess
import sys
from collections import namedtuple
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shuping.clock import now
from shuping.core import doctor
from shuping.core.marks import job_ran
from shuping.core.models import SystemMark

REPO = Path(__file__).resolve().parents[2]


def levels(check) -> set[str]:
    return {f.level for f in check()}


def run_doctor(env_overrides: dict, tmp_path: Path) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update(SHUPING_DATA_DIR=str(tmp_path / "data"), PYTHONPATH=str(REPO), **env_overrides)
    return subprocess.run([sys.executable, "-m", "shuping.cli", "doctor"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)


def test_unreachable_database_is_an_error(tmp_path):
    result = run_doctor({"DATABASE_URL": "postgresql://postgres@127.0.0.1:1/nothing"}, tmp_path)
    assert result.returncode != 0
    assert "无法连接数据库" in result.stdout and "DATABASE_URL" in result.stdout


def test_unmigrated_database_is_an_error_with_the_upgrade_hint(tmp_path):
    result = run_doctor({}, tmp_path)
    assert result.returncode != 0
    assert "迁移未执行" in result.stdout and "shuping upgrade" in result.stdout


def fontconfig_with(tmp_path: Path, *font_dirs: Path) -> Path:
    config = tmp_path / "fonts.conf"
    dirs = "".join(f"<dir>{d}</dir>" for d in font_dirs)
    config.write_text(f'<?xml version="1.0"?><fontconfig>{dirs}<cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>')
    return config


def test_server_without_a_chinese_font_is_an_error(tmp_path):
    # Latin fonts only: what a server without fonts-wqy-microhei looks like to pango.
    latin = [d for d in (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/truetype/liberation")) if d.is_dir()]
    if not latin:
        pytest.skip("no Latin-only font directory on this machine")
    result = run_doctor({"FONTCONFIG_FILE": str(fontconfig_with(tmp_path, *latin))}, tmp_path)
    assert "没有可用的中文字体" in result.stdout and "fonts-wqy-microhei" in result.stdout


def test_server_without_any_font_is_an_error_not_a_crash(tmp_path):
    empty = tmp_path / "no-fonts"
    empty.mkdir()
    result = run_doctor({"FONTCONFIG_FILE": str(fontconfig_with(tmp_path, empty))}, tmp_path)
    assert "PDF 字体" in result.stdout and "fonts-wqy-microhei" in result.stdout
    assert "数据库" in result.stdout  # the other checks still ran


def test_installed_fonts_render_chinese():
    assert levels(doctor.check_fonts) == {doctor.OK}


@pytest.mark.django_db
def test_migrated_database_is_ok():
    assert levels(doctor.check_database) == {doctor.OK}


def test_media_directory_that_cannot_be_created_is_an_error(settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    settings.MEDIA_ROOT = str(blocker / "files")
    [finding] = doctor.check_media()
    assert finding.level == doctor.ERROR and "不可写" in finding.message and "chown" in finding.hint
    settings.MEDIA_ROOT = str(tmp_path / "files")
    assert levels(doctor.check_media) == {doctor.OK}


def key_findings(label: str):
    return [f for f in doctor.check_keys() if label in f.message]


@pytest.mark.parametrize(("variable", "label"), [("SHUPING_SECRET_KEY_FILE", "系统密钥"), ("SHUPING_AUDIT_KEY_FILE", "审计密钥"),
                                                 ("SHUPING_BACKUP_KEY_FILE", "备份密钥")])
def test_world_readable_key_file_is_an_error(monkeypatch, tmp_path, variable, label):
    key = tmp_path / "secret"
    key.write_text("k" * 50)
    key.chmod(0o644)
    monkeypatch.setenv(variable, str(key))
    [finding] = key_findings(label)
    assert finding.level == doctor.ERROR and "644" in finding.message and f"chmod 600 {key}" in finding.hint
    key.chmod(0o600)
    assert {f.level for f in key_findings(label)} == {doctor.OK}


def test_missing_key_file_is_an_error(monkeypatch, tmp_path):
    monkeypatch.setenv("SHUPING_SECRET_KEY_FILE", str(tmp_path / "absent"))
    [finding] = key_findings("系统密钥")
    assert finding.level == doctor.ERROR and "不存在" in finding.message


def test_unconfigured_backup_key_is_a_warning(monkeypatch):
    monkeypatch.delenv("SHUPING_BACKUP_KEY", raising=False)
    monkeypatch.delenv("SHUPING_BACKUP_KEY_FILE", raising=False)
    [finding] = key_findings("备份密钥")
    assert finding.level == doctor.WARNING and "SHUPING_BACKUP_KEY_FILE" in finding.hint


def test_wrong_time_zone_is_an_error(settings):
    settings.TIME_ZONE = "UTC"
    assert any(f.level == doctor.ERROR and "时区为 UTC" in f.message for f in doctor.check_clock())


def test_clock_far_in_the_past_is_an_error(monkeypatch):
    monkeypatch.setattr(doctor, "now", lambda: datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    monkeypatch.setattr(doctor, "_database_now", lambda: None)
    assert any("明显不对" in f.message and "NTP" in f.hint for f in doctor.check_clock())


def test_database_clock_skew_is_an_error(monkeypatch):
    monkeypatch.setattr(doctor, "_database_now", lambda: now() + datetime.timedelta(minutes=10))
    assert any("相差 600 秒" in f.message for f in doctor.check_clock())


@pytest.mark.django_db
def test_scheduled_job_never_run_stale_and_fresh():
    [never] = doctor.check_scheduled_jobs()
    assert never.level == doctor.WARNING and "从未运行" in never.message
    SystemMark.objects.create(name="job:mark-overdue", updated_at=now() - datetime.timedelta(hours=50))
    [stale] = doctor.check_scheduled_jobs()
    assert stale.level == doctor.ERROR and "50 小时未运行" in stale.message and "cron" in stale.hint
    job_ran("mark-overdue")
    assert levels(doctor.check_scheduled_jobs) == {doctor.OK}


@pytest.mark.django_db
def test_mark_overdue_records_its_run():
    call_command("mark_overdue")
    assert SystemMark.objects.get(name="job:mark-overdue").updated_at > now() - datetime.timedelta(minutes=1)


def test_low_disk_space_is_an_error(monkeypatch):
    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr(doctor.shutil, "disk_usage", lambda path: usage(100 * 1024**3, 99.5 * 1024**3, 512 * 1024**2))
    [finding] = doctor.check_disk()
    assert finding.level == doctor.ERROR and "0.5 GiB" in finding.message


@pytest.mark.django_db
def test_command_exits_non_zero_on_error_and_zero_when_healthy(settings, tmp_path, capsys):
    settings.MEDIA_ROOT = str(tmp_path / "files")
    job_ran("mark-overdue")
    call_command("doctor")
    out = capsys.readouterr().out
    assert "自检通过" in out and "✘" not in out
    settings.TIME_ZONE = "UTC"
    with pytest.raises(CommandError, match="自检发现 1 个错误"):
        call_command("doctor")


@pytest.mark.django_db
def test_score_rows_without_their_ballot_are_an_error(tree):
    """The database keeps no foreign key from score rows to ballots (issue 18); a ballot deleted
    behind the system's back leaves its scores, and the doctor says so."""
    from django.db import connection

    from shuping.campaigns.models import Ballot, BallotScore
    from shuping.meetings import services
    from tests.meetings.conftest import build_hall

    hall = build_hall(tree)
    services.ballot_cast(token=hall.token(), participant_id=hall.participants[0].pk, raw_scores=hall.scores("5"),
                         democratic="好")
    assert doctor.check_ballot_scores()[0].level == doctor.OK
    Ballot.objects.all().delete()  # the ORM's cascade takes the scores along
    assert not BallotScore.objects.exists() and doctor.check_ballot_scores()[0].level == doctor.OK
    services.ballot_cast(token=hall.token(), participant_id=hall.participants[0].pk, raw_scores=hall.scores("5"),
                         democratic="好")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Ballot._meta.db_table}")
    [finding] = doctor.check_ballot_scores()
    assert finding.level == doctor.ERROR
    assert f"有 {len(hall.scores('5'))} 条分项得分找不到所属的测评票" in finding.message

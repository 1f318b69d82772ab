"""The backup key for `shuping backup` and `shuping restore`: a key file, the environment, or a
passphrase typed at the terminal (never a command-line argument: it would show in `ps`)."""

import getpass
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import CommandError


def add_key_arguments(parser):
    parser.add_argument("--key-file", default="", help="备份密钥文件（默认取环境变量 SHUPING_BACKUP_KEY_FILE）")
    parser.add_argument("--passphrase", action="store_true", help="在终端输入备份口令")


def key_from_options(options, *, confirm: bool) -> str:
    if options.get("key_file"):
        try:
            return Path(options["key_file"]).read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise CommandError(f"无法读取备份密钥文件：{exc}") from exc
    if not options.get("passphrase") and settings.SHUPING_BACKUP_KEY:
        return settings.SHUPING_BACKUP_KEY
    if not sys.stdin.isatty():
        raise CommandError("未提供备份密钥：请用 --key-file 指定密钥文件，或设置 SHUPING_BACKUP_KEY_FILE")
    passphrase = getpass.getpass("备份口令：")
    if confirm and getpass.getpass("再次输入备份口令：") != passphrase:
        raise CommandError("两次输入的备份口令不一致")
    return passphrase

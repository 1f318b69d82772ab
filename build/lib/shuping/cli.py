"""The `shuping` console command: Django's management commands under one name.

`shuping demo`, `shuping audit-verify`, `shuping migrate` … Hyphenated names map to the
underscored command modules so the commands read naturally on the shell.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuping.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and args[1] in ("--version", "-V", "version"):
        # Our release, not Django's (which `execute_from_command_line` would print).
        from shuping import __version__

        print(f"述评 {__version__}")
        return
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    args[0] = "shuping"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()

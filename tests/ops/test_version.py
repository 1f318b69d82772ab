import subprocess
import sys
from pathlib import Path

import shuping

REPO = Path(__file__).resolve().parents[2]


def test_command_line_prints_our_version_not_djangos():
    result = subprocess.run([sys.executable, "-m", "shuping.cli", "--version"], cwd=REPO, capture_output=True, text=True)
    assert result.stdout.strip() == f"述评 {shuping.__version__}"


def test_every_page_footer_shows_the_version(client, db):
    page = client.get("/login/")
    assert f"版本 {shuping.__version__}" in page.content.decode()

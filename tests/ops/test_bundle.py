"""The offline bundle, followed as docs/offline-install.md says: built, unpacked, installed with no network,
and the demo county runs from the installed copy."""

import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.conf import settings

import shuping

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.bundle


def without_network(command: list[str]) -> list[str]:
    # A network namespace of its own has no route anywhere: pip cannot reach an index even if it tried.
    unshare = shutil.which("unshare")
    if unshare and subprocess.run([unshare, "-n", "true"], capture_output=True).returncode == 0:
        return [unshare, "-n", *command]
    return command


@pytest.mark.skipif(settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
                    reason="the bundle does not depend on the database: built and installed once, in the SQLite pass")
def test_bundle_installs_offline_and_runs_the_demo(tmp_path):
    built = subprocess.run([sys.executable, str(REPO / "scripts" / "bundle.py"), "--out", str(tmp_path / "dist")],
                           capture_output=True, text=True, timeout=900)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    name = f"shuping-{shuping.__version__}-py311-x86_64"
    archive = tmp_path / "dist" / f"{name}.tar.gz"
    with tarfile.open(archive) as tar:
        members = tar.getnames()
        tar.extractall(tmp_path / "media", filter="data")
    assert f"{name}/install.sh" in members and f"{name}/SHA256SUMS" in members
    assert f"{name}/fonts/wqy-microhei.ttc" in members
    assert any(m.startswith(f"{name}/wheels/shuping-{shuping.__version__}-") for m in members)
    assert any("/wheels/psycopg_binary-" in m and "x86_64" in m for m in members)
    bundle = tmp_path / "media" / name
    prefix = tmp_path / "srv"

    env = {key: value for key, value in os.environ.items() if not key.startswith(("DATABASE_URL", "PIP_", "VIRTUAL_ENV"))}
    env.update(PIP_NO_INDEX="1", SHUPING_FONT_DIR=str(tmp_path / "fonts"), PYTHON=shutil.which("python3.11") or "python3")
    tampered = bundle / "CHANGELOG.md"
    original = tampered.read_bytes()
    tampered.write_bytes(original + b"\n")
    refused = subprocess.run(without_network(["./install.sh", str(prefix)]), cwd=bundle, env=env,
                             capture_output=True, text=True, timeout=900)
    assert refused.returncode != 0 and "安装包文件损坏" in refused.stderr
    tampered.write_bytes(original)

    installed = subprocess.run(without_network(["./install.sh", str(prefix)]), cwd=bundle, env=env,
                               capture_output=True, text=True, timeout=900)
    assert installed.returncode == 0, installed.stdout[-2000:] + installed.stderr[-2000:]
    assert f"安装完成：述评 {shuping.__version__}" in installed.stdout
    assert (tmp_path / "fonts" / "wqy-microhei.ttc").exists()

    shuping_bin = prefix / "venv" / "bin" / "shuping"
    run_env = {**env, "SHUPING_DATA_DIR": str(tmp_path / "data")}
    run_env.pop("PYTHONPATH", None)
    outside = tmp_path / "elsewhere"  # not the repository: the installed copy must stand on its own
    outside.mkdir()
    upgraded = subprocess.run([str(shuping_bin), "upgrade"], cwd=outside, env=run_env, capture_output=True, text=True, timeout=600)
    assert upgraded.returncode == 0, upgraded.stderr[-2000:]
    demo = subprocess.run([str(shuping_bin), "demo", "--no-serve"], cwd=outside, env=run_env,
                          capture_output=True, text=True, timeout=900)
    assert demo.returncode == 0, demo.stderr[-2000:]
    assert "演示县已就绪" in demo.stdout
    located = subprocess.run([str(prefix / "venv" / "bin" / "python"), "-c", "import shuping; print(shuping.__file__)"],
                             cwd=outside, env=run_env, capture_output=True, text=True)
    assert str(prefix) in located.stdout
    doctor = subprocess.run([str(shuping_bin), "doctor"], cwd=outside, env=run_env, capture_output=True, text=True, timeout=300)
    assert "✔ PDF 字体" in doctor.stdout and "✔ 数据库" in doctor.stdout, doctor.stdout

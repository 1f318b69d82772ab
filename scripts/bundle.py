"""Build the offline installation bundle for an intranet machine with no package index.

    scripts/bundle [--target x86_64|aarch64] [--out dist]

The archive shuping-<version>-py311-<target>.tar.gz holds:
  wheels/        the project wheel and a wheel of every runtime dependency, for CPython 3.11 on the target
  fonts/         WenQuanYi Micro Hei (the PDFs' CJK font) and its licence
  install.sh     creates a virtualenv and installs with `pip install --no-index --find-links wheels`
  SHA256SUMS     checksums of every file, verified by install.sh before anything is installed
"""

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON_VERSION = "3.11"
PLATFORMS = {
    "x86_64": ["manylinux_2_17_x86_64", "manylinux2014_x86_64", "manylinux_2_28_x86_64", "linux_x86_64"],
    "aarch64": ["manylinux_2_17_aarch64", "manylinux2014_aarch64", "manylinux_2_28_aarch64", "linux_aarch64"],
}
FONT_FILES = [Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"), Path("/usr/share/doc/fonts-wqy-microhei/copyright")]


def say(text: str) -> None:
    print(f"[述评打包] {text}", flush=True)


def pip(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *args], check=True)


def version() -> str:
    namespace: dict = {}
    exec((ROOT / "shuping" / "__init__.py").read_text(), namespace)
    return namespace["__version__"]


def build_wheels(target: str, wheels: Path, scratch: Path) -> None:
    """Every runtime dependency as a wheel for CPython 3.11 on the target.

    The set of pinned versions is resolved once on this machine (sdist-only packages such as jieba are
    built into pure-Python wheels here); each platform-specific wheel is then fetched again for the target.
    """
    resolved = scratch / "resolved"
    say("解析依赖并构建项目 wheel")
    # Build from a clean copy: setuptools leaves build/ and *.egg-info beside the sources it builds.
    source = scratch / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(
        ".git", ".venv", "data", "dist", "build", "*.egg-info", "__pycache__", "test-artifacts", ".ruff_cache",
        ".pytest_cache", ".hypothesis", "node_modules"))
    pip("wheel", "--quiet", "--wheel-dir", str(resolved), str(source))
    for wheel in sorted(resolved.glob("*.whl")):
        name, release = wheel.name.split("-")[:2]
        if wheel.name.endswith("-none-any.whl"):
            shutil.copy2(wheel, wheels / wheel.name)
            continue
        platform_args = [arg for tag in PLATFORMS[target] for arg in ("--platform", tag)]
        pip("download", "--quiet", "--no-deps", "--only-binary=:all:", "--dest", str(wheels),
            "--python-version", PYTHON_VERSION, "--implementation", "cp", *platform_args, f"{name}=={release}")
    say(f"wheel 共 {len(list(wheels.glob('*.whl')))} 个")


def write_checksums(bundle: Path) -> None:
    lines = []
    for path in sorted(p for p in bundle.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        lines.append(f"{digest}  {path.relative_to(bundle).as_posix()}")
    (bundle / "SHA256SUMS").write_text("\n".join(lines) + "\n")


def main() -> int:
    parser = argparse.ArgumentParser(description="生成离线安装包（内网无软件源时使用）")
    parser.add_argument("--target", choices=sorted(PLATFORMS), default="x86_64", help="目标机器架构，默认 x86_64")
    parser.add_argument("--out", default=str(ROOT / "dist"), help="输出目录，默认 dist/")
    args = parser.parse_args()
    started = time.monotonic()
    name = f"shuping-{version()}-py311-{args.target}"
    out = Path(args.out).resolve()
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch_dir:
        scratch = Path(scratch_dir)
        bundle = scratch / name
        (bundle / "wheels").mkdir(parents=True)
        (bundle / "fonts").mkdir()
        build_wheels(args.target, bundle / "wheels", scratch)
        for font in FONT_FILES:
            if not font.exists():
                say(f"缺少字体文件 {font}：请先安装 fonts-wqy-microhei")
                return 1
            shutil.copy2(font, bundle / "fonts" / (font.name if font.suffix else "wqy-microhei-copyright.txt"))
        shutil.copy2(ROOT / "scripts" / "offline-install.sh", bundle / "install.sh")
        os.chmod(bundle / "install.sh", 0o755)
        for doc in ("CHANGELOG.md", "docs/offline-install.md"):
            shutil.copy2(ROOT / doc, bundle / Path(doc).name)
        write_checksums(bundle)
        archive = out / f"{name}.tar.gz"
        with tarfile.open(archive, "w:gz") as tar:
            tar.add(bundle, arcname=name)
    size = archive.stat().st_size / 1024**2
    say(f"完成：{archive}（{size:.1f} MB，用时 {time.monotonic() - started:.0f} 秒）")
    return 0


if __name__ == "__main__":
    sys.exit(main())

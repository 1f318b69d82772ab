#!/usr/bin/env bash
# Offline installer shipped inside the bundle as install.sh. Needs python3 (3.11+) with venv; no network.
#   ./install.sh [安装目录，默认 /srv/shuping]
# Environment: SHUPING_FONT_DIR overrides where the CJK font is put (default: system font directory when
# run as root, else ~/.local/share/fonts).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX="${1:-/srv/shuping}"
PYTHON="${PYTHON:-python3}"
say() { printf '[述评安装] %s\n' "$*"; }
fail() { printf '[述评安装] 错误：%s\n' "$*" >&2; exit 1; }

cd "$HERE"
say "校验安装包完整性（SHA256SUMS）"
sha256sum --quiet -c SHA256SUMS || fail "安装包文件损坏或被修改，请重新拷贝"

command -v "$PYTHON" >/dev/null || fail "找不到 $PYTHON：请从操作系统安装介质安装 python3 和 python3-venv"
"$PYTHON" -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' \
  || fail "需要 Python 3.11（本安装包的 wheel 按 3.11 构建），当前为 $("$PYTHON" -V 2>&1)"

say "创建虚拟环境 $PREFIX/venv"
mkdir -p "$PREFIX"
"$PYTHON" -m venv "$PREFIX/venv" || fail "创建虚拟环境失败：请安装 python3-venv"

say "从本地 wheel 安装（不访问网络）"
PIP_NO_INDEX=1 "$PREFIX/venv/bin/pip" install --quiet --disable-pip-version-check \
  --no-index --find-links "$HERE/wheels" --upgrade shuping || fail "安装失败，见上方 pip 输出"

if [ -n "${SHUPING_FONT_DIR:-}" ]; then
  FONT_DIR="$SHUPING_FONT_DIR"
elif [ "$(id -u)" -eq 0 ]; then
  FONT_DIR=/usr/local/share/fonts/shuping
else
  FONT_DIR="$HOME/.local/share/fonts/shuping"
fi
if fc-list :lang=zh family 2>/dev/null | grep -qi "WenQuanYi Micro Hei" && [ -z "${SHUPING_FONT_DIR:-}" ]; then
  say "系统已有文泉驿微米黑字体"
else
  say "安装 PDF 中文字体到 $FONT_DIR"
  mkdir -p "$FONT_DIR"
  cp "$HERE/fonts/"* "$FONT_DIR/"
  command -v fc-cache >/dev/null && fc-cache -f "$FONT_DIR" >/dev/null 2>&1 || true
fi

say "安装完成：$("$PREFIX/venv/bin/shuping" --version)"
cat <<EOF
下一步：
  1. 编写 /etc/shuping.env（见 offline-install.md 与部署指南），然后：
     set -a; . /etc/shuping.env; set +a
  2. $PREFIX/venv/bin/shuping upgrade        # 新装时建表；升级时先备份再迁移
  3. $PREFIX/venv/bin/shuping doctor         # 自检：数据库、字体、目录、密钥、时钟、定时任务、磁盘
  想先看看效果：SHUPING_DATA_DIR=/tmp/shuping-demo $PREFIX/venv/bin/shuping demo
EOF

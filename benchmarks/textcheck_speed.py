"""Throughput of textcheck.analyze() in characters per second.

Usage: python benchmarks/textcheck_speed.py [target_chars]   (default 2,000,000)
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textcheck import analyze  # noqa: E402
from textcheck.prior import _get_jieba  # noqa: E402

CORPUS = ROOT / "tests" / "textcheck" / "corpus"
PRIOR = [
    "软弱涣散村整顿进度慢", "党员活动场所利用率不高", "财务公开不及时", "巡察反馈问题整改进度慢",
    "小区党组织覆盖不全", "社区工作者流失率高", "党建与业务工作融合不够", "党员发展工作不规范",
    "村级后备干部储备不足", "党员教师作用发挥不明显",
]


def build_text(target: int) -> str:
    parts = [p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))]
    base = "\n".join(parts)
    return (base + "\n") * (target // (len(base) + 1) + 1)


def run(text: str, prior: list[str]) -> float:
    start = time.perf_counter()
    analyze(text, prior_problems=prior)
    return time.perf_counter() - start


def main() -> None:
    target = int(sys.argv[1]) if len(sys.argv) > 1 else 2_000_000
    text = build_text(target)
    _get_jieba()  # dictionary loading is a one-off cost, not throughput
    analyze(text[:5000], prior_problems=PRIOR[:1])
    for label, prior in (("without prior_problems", []), ("with 10 prior_problems", PRIOR)):
        best = min(run(text, prior) for _ in range(2))
        print(f"{label:24} {len(text):>10,} chars  {best:7.2f} s  {len(text) / best:>12,.0f} chars/s")


if __name__ == "__main__":
    main()

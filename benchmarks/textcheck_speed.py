"""Throughput of textcheck.analyze() in characters per second, without and with 10 prior problems.

Usage: python benchmarks/textcheck_speed.py [target_chars] [--real] [--once]

The text is the synthetic report corpus (tests/textcheck/corpus) repeated to target_chars (default 2,000,000);
--real uses the real corpus (benchmarks/corpus: reports, critiques and meeting news) instead. jieba's dictionary
is loaded before timing (a one-off cost, not throughput); each figure is the best of 3 runs.
--once analyses the text once with the 10 prior problems and prints nothing: a whole-process command for
external timers.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textcheck import analyze  # noqa: E402
from textcheck.prior import _get_jieba  # noqa: E402

SYNTHETIC = ROOT / "tests" / "textcheck" / "corpus"
REAL = ROOT / "benchmarks" / "corpus"
PRIOR = [
    "软弱涣散村整顿进度慢", "党员活动场所利用率不高", "财务公开不及时", "巡察反馈问题整改进度慢",
    "小区党组织覆盖不全", "社区工作者流失率高", "党建与业务工作融合不够", "党员发展工作不规范",
    "村级后备干部储备不足", "党员教师作用发挥不明显",
]


def build_text(target: int, real: bool = False) -> str:
    if real:
        # Drop each file's source line: it is not part of the text.
        parts = [p.read_text(encoding="utf-8").partition("\n")[2] for p in sorted(REAL.glob("*.txt"))]
    else:
        parts = [p.read_text(encoding="utf-8") for p in sorted(SYNTHETIC.glob("*.txt"))]
    base = "\n".join(parts)
    return (base + "\n") * (target // (len(base) + 1) + 1)


def run(text: str, prior: list[str]) -> float:
    start = time.perf_counter()
    analyze(text, prior_problems=prior)
    return time.perf_counter() - start


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    target = int(args[0]) if args else 2_000_000
    text = build_text(target, real="--real" in sys.argv)
    _get_jieba()  # dictionary loading is a one-off cost, not throughput
    analyze(text[:5000], prior_problems=PRIOR[:1])
    if "--once" in sys.argv:
        analyze(text, prior_problems=PRIOR)
        return
    for label, prior in (("without prior_problems", []), ("with 10 prior_problems", PRIOR)):
        best = min(run(text, prior) for _ in range(3))
        print(f"{label:24} {len(text):>10,} chars  {best:7.2f} s  {len(text) / best:>12,.0f} chars/s")


if __name__ == "__main__":
    main()

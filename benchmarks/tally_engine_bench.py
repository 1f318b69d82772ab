"""Time the pure tally engine on 20,000 participants x 30 evaluators (600,000 ballot totals).

Run: .venv/bin/python benchmarks/tally_engine_bench.py [participants] [evaluators]
Input generation is not timed; peak memory (tracemalloc) covers the tally call only.
"""

import random
import sys
import time
import tracemalloc
from decimal import Decimal
from pathlib import Path

# Run from a checkout without installing: the repository root holds the shuping package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GROUPS = {"standing": Decimal(4), "members": Decimal(3), "delegates": Decimal(2), "masses": Decimal(1)}
OPTIONS = ("好", "较好", "一般", "差")


def build(participants: int, evaluators: int, seed: int = 20240101):
    from shuping.scoring.tally import ParticipantInput

    rng = random.Random(seed)
    codes = list(GROUPS)
    # A few thousand distinct Decimal values, reused, as the ORM would hand over 2-place totals.
    cents = [Decimal(c) / 100 for c in range(5000, 10001)]
    people = [
        ParticipantInput(
            id=i,
            ranking_group=f"rg{i % 8}",
            routine_score=Decimal(rng.randint(6000, 10000)) / 100,
            bonus=Decimal(rng.randint(0, 3)),
            deduction=Decimal(rng.randint(0, 2)),
            vetoed=(i % 997 == 0),
        )
        for i in range(participants)
    ]
    ballots = [
        (i, codes[e % len(codes)], cents[rng.randrange(len(cents))])
        for i in range(participants)
        for e in range(evaluators)
    ]
    votes = [
        (i, codes[e % len(codes)], OPTIONS[rng.randrange(4)])
        for i in range(participants)
        for e in range(evaluators)
    ]
    return people, ballots, votes


def measure(label, config, people, ballots, votes):
    from shuping.scoring.tally import tally

    tracemalloc.start()
    start = time.perf_counter()
    results = tally(config, people, ballots, votes)
    seconds = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # A second, untraced run: tracemalloc slows allocation-heavy code down.
    start = time.perf_counter()
    tally(config, people, ballots, votes)
    plain = time.perf_counter() - start
    print(
        f"{label}: {plain:.3f} s (untraced), {seconds:.3f} s under tracemalloc, "
        f"peak {peak / 2**20:.1f} MiB, {len(results)} results"
    )
    return results


def main() -> None:
    from shuping.scoring.tally import TallyConfig, content_hash

    participants = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    evaluators = int(sys.argv[2]) if len(sys.argv) > 2 else 30
    people, ballots, votes = build(participants, evaluators)
    config = TallyConfig(groups=GROUPS)
    print(f"{participants} participants x {evaluators} evaluators = {len(ballots)} ballot totals")
    measure("ballot totals only", config, people, ballots, [])
    results = measure("ballot totals + democratic votes", config, people, ballots, votes)
    start = time.perf_counter()
    digest = content_hash(results)
    print(f"content_hash: {time.perf_counter() - start:.3f} s ({digest[:16]}...)")


if __name__ == "__main__":
    main()

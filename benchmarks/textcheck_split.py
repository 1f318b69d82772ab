"""Assign every corpus text to dev or test, once, before any rule is tuned.

Usage: python benchmarks/textcheck_split.py   (writes benchmarks/corpus/split.json)

Stratified by genre (speech counts with critique), 40 % test, fixed seed. Re-running gives the same split;
texts added later are appended without moving the existing ones. Since round 2 the held-out sets are ``test2`` and
``test3`` (fresh texts recorded by hand before textcheck saw them) and ``test`` is empty: texts not yet assigned
anywhere go to ``dev`` (``--held-out NAME`` puts them into a new held-out list instead, before any tuning).
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

CORPUS = Path(__file__).resolve().parent / "corpus"
SEED = 20261201
TEST_SHARE = 0.4


def main() -> None:
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    split_file = CORPUS / "split.json"
    split = json.loads(split_file.read_text(encoding="utf-8")) if split_file.exists() else {"seed": SEED}
    held = ("test", "test2", "test3", "test4", "old_test")
    assigned = set(split.get("dev", [])).union(*(split.get(k, []) for k in held))
    strata: dict[str, list[str]] = {}
    for tid, lab in sorted(labels.items()):
        if tid in assigned:
            continue
        genre = "critique" if lab["genre"] == "speech" else lab["genre"]
        strata.setdefault(genre, []).append(tid)
    rng = random.Random(SEED)
    dev, test = list(split.get("dev", [])), list(split.get("test", []))
    if "test2" in split:  # round 2: the random test split is retired
        new = sorted(t for ids in strata.values() for t in ids)
        target = sys.argv[sys.argv.index("--held-out") + 1] if "--held-out" in sys.argv else "dev"
        split[target] = sorted(split.get(target, []) + new)
        split_file.write_text(json.dumps(split, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{len(new)} new texts put into {target}")
        return
    for genre in sorted(strata):
        ids = strata[genre]
        rng.shuffle(ids)
        n_test = round(len(ids) * TEST_SHARE)
        test += ids[:n_test]
        dev += ids[n_test:]
    split.update({"seed": SEED, "dev": sorted(dev), "test": sorted(test)})
    split_file.write_text(json.dumps(split, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"dev {len(dev)} texts, test {len(test)} texts")


if __name__ == "__main__":
    main()

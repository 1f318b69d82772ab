"""Assign every corpus text to dev or test, once, before any rule is tuned.

Usage: python benchmarks/textcheck_split.py   (writes benchmarks/corpus/split.json)

Stratified by genre (speech counts with critique), 40 % test, fixed seed. Re-running gives the same split;
texts added later are appended without moving the existing ones. Since round 2 the held-out sets are ``test2`` and
``test3`` (fresh texts recorded by hand before textcheck saw them) and ``test`` is empty: texts not yet assigned
anywhere go to ``dev`` (``--held-out NAME`` puts them into a new held-out list instead, before any tuning).

``--draw NAME SEED`` (round 4): a seeded draw stratified by genre (speech with critique) holds out TEST_SHARE of each
genre's new texts (rounded, at least one where a genre has two or more) as the new held-out list NAME; the rest go to
``dev`` and are listed under ``added_in_round_4_dev`` (``--dev-list NAME`` names that list in later rounds, e.g.
``added_in_round_5_dev``). Run once, in the same commit as the texts and labels.
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
    held = [k for k, v in split.items() if isinstance(v, list) and (k.startswith("test") or k == "old_test")]
    assigned = set(split.get("dev", [])).union(*(split.get(k, []) for k in held))
    strata: dict[str, list[str]] = {}
    for tid, lab in sorted(labels.items()):
        if tid in assigned:
            continue
        genre = "critique" if lab["genre"] == "speech" else lab["genre"]
        strata.setdefault(genre, []).append(tid)
    rng = random.Random(SEED)
    dev, test = list(split.get("dev", [])), list(split.get("test", []))
    if "--draw" in sys.argv:  # round 4: a seeded stratified draw into a new held-out list
        i = sys.argv.index("--draw")
        name, seed = sys.argv[i + 1], int(sys.argv[i + 2])
        rng = random.Random(seed)
        held_out: list[str] = []
        for genre in sorted(strata):
            ids = sorted(strata[genre])
            rng.shuffle(ids)
            n = max(round(len(ids) * TEST_SHARE), 1 if len(ids) >= 2 else 0)
            held_out += ids[:n]
        new = sorted(t for ids in strata.values() for t in ids)
        to_dev = [t for t in new if t not in held_out]
        split[name] = sorted(split.get(name, []) + held_out)
        split["dev"] = sorted(split.get("dev", []) + to_dev)
        dev_list = sys.argv[sys.argv.index("--dev-list") + 1] if "--dev-list" in sys.argv else "added_in_round_4_dev"
        split[dev_list] = sorted(split.get(dev_list, []) + to_dev)
        split[name + "_seed"] = seed
        split_file.write_text(json.dumps(split, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        print(f"{len(held_out)} new texts held out as {name}, {len(to_dev)} into dev")
        return
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

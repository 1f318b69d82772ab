"""How well textcheck.analyze() agrees with the labelled corpus, per split, genre and key.

Usage: python benchmarks/textcheck_eval.py [--details] [--dev] [--no-sector] [--no-model] [--cv [--rules-only]]

Corpus: benchmarks/corpus (real texts, labels.json, split.json; rules in textcheck_labelling_rules.md) and the
synthetic texts in tests/textcheck/corpus (dev only, never counted as real). Splits: ``dev`` (tuned on; since
round 2 it includes the first test split), ``old_test`` (those 34 first-round test texts again, printed apart for
continuity: no longer held out), ``test2`` (the fresh held-out set of round 2, fixed before any tuning) and
``test3`` (ten more fresh texts labelled after the first tuning round, before textcheck saw them); ``fresh`` is
test2 and test3 together; ``test4`` (round 3: 21 fresh texts drawn by seed from 41 new ones, fixed before any
rule or classifier change; the other 20 went to dev), ``test5`` (round 4: 25 fresh texts drawn by seed from 63 new
ones, fixed before any rule or classifier change; the other 38 went to dev), ``test6`` (round 5: 11 fresh texts
drawn by seed from 28 new ones in the commit that added them; the other 17 went to dev), ``test7`` (round 8: 10 fresh
texts drawn by seed from 25 new ones in the commit that added them; the other 15 went to dev); ``held_out`` is
test2 to test7 pooled. Figures are printed per split and genre. ``--details`` lists
disagreements text by text for dev only: held-out errors are never shown one by one. ``--cv`` prints only the
dev-only estimates for new text: topics and data points on real dev texts per collection round (the proxy round 7
judged its changes by; their keyword lists and figure rules do not record which text called for which entry, so no
fold can be left out of them), then the named-practice figures of grouped cross-validation on dev (leave one
collection round out, and folds by publishing site; see benchmarks/textcheck_train_practices.py), the estimate
round 6 judged its changes by. ``--cv --rules-only`` prints the first table alone.

Keys
- data_points, named_practices: precision / recall / F1 over strings (one-to-one; equal first, then containment);
  a text with neither labels nor predictions adds nothing. Placeholder figures (X, xx, *) predicted are counted
  apart: they must be 0.
- problems, measures: share of texts whose count is exact (all labelled texts, and complete texts only).
- topics: reports only; yes/no = absent vs mentioned (covered or partly), 3-way = degree.
- kind: document kind (report / critique / news / speech) accuracy.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textcheck import analyze  # noqa: E402

CORPUS = ROOT / "benchmarks" / "corpus"
SYNTHETIC = ROOT / "tests" / "textcheck" / "corpus"
GENRES = ("report", "critique", "news")
PLACEHOLDER_RE = re.compile(r"[Xx×Ｘｘ*＊]")
NO_SECTOR = "--no-sector" in sys.argv  # topics without the org's sector wording, for comparison
if "--no-model" in sys.argv:  # named practices by the rules alone, without the trained classifier, for comparison
    import textcheck.practice_model as _pm

    _pm.load_model = lambda *args, **kwargs: None


def load_corpus() -> list[dict]:
    """Every labelled text as {id, split, genre, text, labels, synthetic}."""
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    split = json.loads((CORPUS / "split.json").read_text(encoding="utf-8"))
    where = dict.fromkeys(split["dev"], "dev") | dict.fromkeys(split.get("test", []), "test")
    where |= dict.fromkeys(split.get("test2", []), "test2") | dict.fromkeys(split.get("test3", []), "test3")
    where |= dict.fromkeys(split.get("test4", []), "test4") | dict.fromkeys(split.get("test5", []), "test5")
    where |= dict.fromkeys(split.get("test6", []), "test6") | dict.fromkeys(split.get("test7", []), "test7")
    old_test = set(split.get("old_test", []))
    items = []
    for tid, lab in sorted(labels.items()):
        raw = (CORPUS / f"{tid}.txt").read_text(encoding="utf-8")
        first, _, body = raw.partition("\n")
        assert first.startswith("来源："), f"{tid}: first line must name the source"
        items.append({"id": tid, "split": where[tid], "genre": lab["genre"], "text": body, "labels": lab,
                      "synthetic": False, "old_test": tid in old_test, "source": first[3:].strip()})
    for txt in sorted(SYNTHETIC.glob("*.txt")):
        old = json.loads(txt.with_name(txt.stem + ".labels.json").read_text(encoding="utf-8"))
        lab = {
            "genre": "report", "complete": True, "synthetic": True,
            "data_points": old["data_points"], "named_practices": old["named_practices"],
            "problems": len(old["problems"]), "problem_items": old["problems"],
            "measures": len(old["measures"]), "measure_items": old["measures"],
            "topics_covered": old["topics_covered"], "prior_problems": old.get("prior_problems", []),
        }
        items.append({"id": "syn_" + txt.stem, "split": "dev", "genre": "report", "text": txt.read_text(encoding="utf-8"),
                      "labels": lab, "synthetic": True, "source": "synthetic"})
    return items


def match_strings(pred: list[str], gold: list[str]) -> tuple[int, int, int, list[str], list[str]]:
    """One-to-one greedy matching; equal strings first, then containment either way."""
    pred, gold = list(pred), list(gold)
    tp = 0
    for rule in (lambda p, g: p == g, lambda p, g: p in g or g in p):
        for g in list(gold):
            for p in pred:
                if rule(p, g):
                    pred.remove(p)
                    gold.remove(g)
                    tp += 1
                    break
    return tp, len(pred), len(gold), pred, gold


def _genre_group(genre: str) -> str:
    return "critique" if genre == "speech" else genre


def score(items: list[dict], details: bool = False) -> dict:
    """Totals per (split, group) where group is a genre, 'all' or 'synthetic'."""
    acc: dict = defaultdict(lambda: defaultdict(lambda: [0, 0, 0]))
    for it in items:
        lab, text = it["labels"], it["text"]
        prior = [p["problem"] for p in lab.get("prior_problems", [])]
        r = analyze(text, prior_problems=prior, sector=None if NO_SECTOR else lab.get("sector"))
        group = _genre_group(it["genre"])
        groups = ["synthetic"] if it["synthetic"] else [group, "all"] + (["critique+news"] if group != "report" else [])
        rows: dict[str, tuple] = {}
        preds = [d["text"] for d in r["data_points"]]
        placeholders = [p for p in preds if PLACEHOLDER_RE.search(p)]
        rows["data_points"] = match_strings(preds, lab["data_points"])
        names = list(dict.fromkeys(d["text"] for d in r["named_practices"]))
        rows["named_practices"] = match_strings(names, list(dict.fromkeys(lab["named_practices"])))
        for key in ("problems", "measures"):
            want = lab.get(key)
            if want is None:
                continue
            got = len(r[key])
            rows[key + "_exact"] = (int(got == want), 1)
            if lab.get("complete"):
                rows[key + "_exact_complete"] = (int(got == want), 1)
            if details and it["split"] == "dev" and got != want:
                print(f"{it['id']:14} {key:16} got {got} want {want}: {[x['text'][:24] for x in r[key]]}")
        if "kind" in r:
            same = _genre_group(r["kind"]) == _genre_group(it["genre"])
            rows["kind"] = (int(same), 1)
            if details and it["split"] == "dev" and not same:
                print(f"{it['id']:14} kind             got {r['kind']} want {it['genre']}")
        topics = {t["topic"]: t for t in r["topics"]}
        if "topics" in lab:
            yes = three = 0
            for name, degree in lab["topics"].items():
                t = topics[name]
                got_degree = t.get("degree", "covered" if t["covered"] else "absent")
                yes += int((got_degree != "absent") == (degree != "absent"))
                three += int(got_degree == degree)
                if details and it["split"] == "dev" and got_degree != degree:
                    print(f"{it['id']:14} topic {name:12} got {got_degree} want {degree}")
            rows["topics_yes_no"] = (yes, len(lab["topics"]))
            rows["topics_3way"] = (three, len(lab["topics"]))
        elif "topics_covered" in lab:
            n = len(topics)
            ok = sum(int(t["covered"] == (name in lab["topics_covered"])) for name, t in topics.items())
            rows["topics_yes_no"] = (ok, n)
        rows["placeholders_counted"] = (len(placeholders), 0)
        if lab.get("prior_problems"):
            tp = fp = fn = 0
            for gold, got in zip(lab["prior_problems"], r["prior_problems"], strict=True):
                tp += gold["answered"] and got["answered"]
                fp += got["answered"] and not gold["answered"]
                fn += gold["answered"] and not got["answered"]
                if details and it["split"] == "dev" and gold["answered"] != got["answered"]:
                    print(f"{it['id']:14} prior            {gold['problem']} got {got['answered']} ({got['score']})")
            rows["prior_problems"] = (tp, fp, fn)
        extra = "old_test" if it.get("old_test") else "fresh" if it["split"] in ("test2", "test3") else None
        pooled = "held_out" if it["split"] in HELD_OUT else None  # every held-out set together
        for split_name, g in [(it["split"], g) for g in groups] + [(x, g) for x in (extra, pooled) if x for g in groups]:
            bucket = acc[(split_name, g)]
            bucket["texts"][0] += 1
            for key, row in rows.items():
                if key in ("data_points", "named_practices", "prior_problems"):
                    for i in range(3):
                        bucket[key][i] += row[i]
                else:
                    bucket[key][0] += row[0]
                    bucket[key][1] += row[1]
        if details and it["split"] == "dev":
            for key in ("data_points", "named_practices"):
                _, _, _, extra, missing = rows[key]
                if extra or missing:
                    print(f"{it['id']:14} {key:16} FP={extra} FN={missing}")
            if placeholders:
                print(f"{it['id']:14} placeholders     {placeholders}")
    return acc


HELD_OUT = ("test2", "test3", "test4", "test5", "test6", "test7")


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


_PRF_KEYS = ("data_points", "named_practices", "prior_problems")
_RATE_KEYS = ("problems_exact", "problems_exact_complete", "measures_exact", "measures_exact_complete",
              "topics_yes_no", "topics_3way", "kind")


def _cell(bucket: dict | None, key: str) -> str:
    if not bucket or (key not in bucket and key != "false_data_points"):
        return "-"
    if key in _PRF_KEYS:
        tp, fp, fn = bucket[key]
        if tp + fn == 0:  # nothing labelled (news without figures of their own): F1 says nothing, count the errors
            return f"no labels, {fp} false"
        p, r, f = prf(tp, fp, fn)
        return f"F1 {f:.2f} P{p:.2f} R{r:.2f}"
    if key == "false_data_points":  # meaningful where texts have no figures of their own (news)
        return f"{bucket['data_points'][1]} in {bucket['texts'][0]} texts"
    ok, n = bucket[key][:2]
    return str(ok) if key == "placeholders_counted" else f"{ok / n:.2f} ({ok}/{n})"


def report(acc: dict, splits: tuple[str, ...] = ("dev", "old_test", "test2")) -> None:
    groups = [*GENRES, "critique+news", "all", "synthetic"]
    for split in splits:
        if not any(k[0] == split for k in acc):
            continue
        print(f"\n=== {split} ===")
        print(f"{'key':24}" + "".join(f"{g:>20}" for g in groups))
        for key in ("texts", *_PRF_KEYS, "false_data_points", *_RATE_KEYS, "placeholders_counted"):
            cells = [_cell(acc.get((split, g)), key) if key != "texts" else
                     str(acc[(split, g)]["texts"][0]) if (split, g) in acc else "-" for g in groups]
            print(f"{key:24}" + "".join(f"{c:>20}" for c in cells))


def evaluate(split: str | None = None, details: bool = False) -> dict:
    items = [i for i in load_corpus() if split is None or i["split"] == split]
    return score(items, details)


def grouped_cv() -> None:
    """Named practices in grouped cross-validation on dev (folds by collection round and by publishing site, the
    exclusions only the held-out fold calls for taken out of the rules): a dev-only estimate for new text."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import textcheck_train_practices as trainer

    from textcheck.practice_model import load_model

    model = load_model()
    docs = trainer.build()
    fixed = {"l2s": (model["l2"],), "rws": (model["rule_weight"],), "ths": (model["threshold"],)} if model else {}
    print("\nnamed practices, grouped cross-validation on dev (real texts; the model retrained without the fold):")
    for how in ("round", "site"):
        trainer.print_cv(trainer.cross_validate(docs, how, **fixed))


ROUND_NAMES = {1: "rounds 1-2", 2: "rounds 1-2", 3: "round 3", 4: "round 4", 5: "round 5", 8: "round 8"}


def per_round(items: list[dict] | None = None) -> dict:
    """Topics and data points on real dev texts, per collection round and genre: the proxy for new text of the
    rule-based parts. Their keyword lists and figure rules carry no record of which text called for which entry, so
    nothing can be taken out per fold; what is printed is how the rules do on each round's dev texts (rounds 3-5
    came after most of the rules were written, though each round's fixes were made on its own dev texts too)."""
    items = items if items is not None else load_corpus()
    dev = [dict(it, split=ROUND_NAMES[it["labels"].get("round") or 2], old_test=False) for it in items
           if it["split"] == "dev" and not it["synthetic"]]
    return score(dev)


def _rate(bucket: dict, key: str) -> str:
    return f"{bucket[key][0] / bucket[key][1]:.3f} ({bucket[key][0]}/{bucket[key][1]})" if bucket.get(key) else "-"


def print_per_round(acc: dict) -> None:
    print("\ntopics and data points on real dev texts per collection round (the proxy for new text; reports / news):")
    print(f"{'round':12}{'texts':>8}{'data F1 report':>16}{'data F1 news':>14}{'topics y/n':>17}{'topics 3-way':>17}")
    total: dict = defaultdict(lambda: [0, 0, 0])
    later: dict = defaultdict(lambda: [0, 0, 0])  # rounds 3-8: texts collected after most rules were written
    rows = []
    for name in ("rounds 1-2", "round 3", "round 4", "round 5", "round 8"):
        rep, news = acc.get((name, "report"), {}), acc.get((name, "news"), {})
        row = {"texts": [acc[(name, "all")]["texts"][0], 0, 0], "report": list(rep.get("data_points", (0, 0, 0))),
               "news": list(news.get("data_points", (0, 0, 0)))}
        row |= {key: list(rep[key]) for key in ("topics_yes_no", "topics_3way") if key in rep}
        for sums in (total, later) if name != "rounds 1-2" else (total,):
            for key, values in row.items():
                sums[key] = [a + b for a, b in zip(sums[key], values + [0] * (3 - len(values)), strict=False)]
        rows.append((name, row))
    rows.append(("rounds 3-8", {k: v[:2] if k.startswith("topics") else v for k, v in later.items()}))
    rows.append(("all", {k: v[:2] if k.startswith("topics") else v for k, v in total.items()}))
    for name, row in rows:
        f1 = [f"{prf(*row[g])[2]:.3f}" if sum(row[g]) else "-" for g in ("report", "news")]
        print(f"{name:12}{row['texts'][0]:>8}{f1[0]:>16}{f1[1]:>14}{_rate(row, 'topics_yes_no'):>17}"
              f"{_rate(row, 'topics_3way'):>17}")


def main() -> None:
    if "--cv" in sys.argv:
        print_per_round(per_round())
        if "--rules-only" not in sys.argv:
            grouped_cv()
        return
    details = "--details" in sys.argv
    dev_only = "--dev" in sys.argv  # while tuning: not even the test totals
    items = [i for i in load_corpus() if not dev_only or i["split"] == "dev"]
    splits = ("dev", "old_test") if dev_only else ("dev", "old_test", "test", "test2", "test3", "fresh", "test4", "test5", "test6",
                                                    "test7", "held_out")
    report(score(items, details), splits)


if __name__ == "__main__":
    main()

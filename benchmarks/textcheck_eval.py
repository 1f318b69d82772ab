"""Precision/recall of textcheck.analyze() per finding key over the labelled corpus.

Usage: python benchmarks/textcheck_eval.py [--details]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from textcheck import analyze  # noqa: E402

CORPUS = ROOT / "tests" / "textcheck" / "corpus"
KEYS = ("sections", "data_points", "named_practices", "problems", "measures", "topics", "label_only",
        "prior_problems")


def _match_strings(pred: list[str], gold: list[str]) -> tuple[int, int, int, list, list]:
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


def _match_spans(text: str, items: list[dict], gold: list[str]) -> tuple[int, int, int, list, list]:
    """A gold string is found when it lies inside the predicted item's span."""
    pred = list(items)
    missing = []
    tp = 0
    for g in gold:
        hit = next((p for p in pred if g in text[p["span"][0]:p["span"][1]]), None)
        if hit is None:
            missing.append(g)
        else:
            pred.remove(hit)
            tp += 1
    return tp, len(pred), len(missing), [p.get("text", "")[:30] for p in pred], missing


def evaluate(details: bool = False) -> dict[str, list[int]]:
    totals = {k: [0, 0, 0] for k in KEYS}
    for txt in sorted(CORPUS.glob("*.txt")):
        text = txt.read_text(encoding="utf-8")
        labels = json.loads(txt.with_name(txt.stem + ".labels.json").read_text(encoding="utf-8"))
        prior = [p["problem"] for p in labels.get("prior_problems", [])]
        r = analyze(text, prior_problems=prior)
        res = {
            "sections": _match_strings(sorted({s["kind"] for s in r["sections"]} - {"other"}),
                                       sorted(set(labels["sections"]))),
            "data_points": _match_strings([d["text"] for d in r["data_points"]], labels["data_points"]),
            "named_practices": _match_strings([d["text"] for d in r["named_practices"]], labels["named_practices"]),
            "problems": _match_spans(text, r["problems"], labels["problems"]),
            "measures": _match_spans(text, r["measures"], labels["measures"]),
            "topics": _match_strings([t["topic"] for t in r["topics"] if t["covered"]], labels["topics_covered"]),
            "label_only": _match_spans(text, r["label_only"], labels["label_only"]),
        }
        tp = fp = fn = 0
        wrong = []
        for gold, got in zip(labels.get("prior_problems", []), r["prior_problems"], strict=True):
            if gold["answered"] and got["answered"]:
                tp += 1
            elif got["answered"]:
                fp += 1
                wrong.append(("FP", gold["problem"], got["score"]))
            elif gold["answered"]:
                fn += 1
                wrong.append(("FN", gold["problem"], got["score"]))
        res["prior_problems"] = (tp, fp, fn, [w for w in wrong if w[0] == "FP"], [w for w in wrong if w[0] == "FN"])
        for key, (t, f_p, f_n, extra, missing) in res.items():
            totals[key][0] += t
            totals[key][1] += f_p
            totals[key][2] += f_n
            if details and (extra or missing):
                print(f"{txt.name:24} {key:16} FP={extra} FN={missing}")
    return totals


def main() -> None:
    details = "--details" in sys.argv
    totals = evaluate(details)
    print(f"{'key':18}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for key, (tp, fp, fn) in totals.items():
        prec = tp / (tp + fp) if tp + fp else 1.0
        rec = tp / (tp + fn) if tp + fn else 1.0
        print(f"{key:18}{tp:5}{fp:5}{fn:5}{prec:11.2f}{rec:8.2f}")


if __name__ == "__main__":
    main()

"""Train the named-practice classifier (textcheck/practice_model.py) on the dev split only.

Usage: python benchmarks/textcheck_train_practices.py [--write] [--cv] [--nested] [--show]

Every quoted span of every dev text (real and synthetic) is a candidate; it is positive when it is one of the text's
labelled names (equal, or one contains the other and covers at least half of it). The regularisation, the weight
given to the rules' verdict and the threshold are chosen on 5 random folds (fixed seed), scored end to end (the same
matching as benchmarks/textcheck_eval.py, after the context rules of practices.finalize); the final model is then
trained on all dev candidates and --write stores it in textcheck/models/practice_model.json.

Round 6: the random-fold figure says little about new text (the rules were fitted to every dev text), so the script
prints grouped cross-validation of the chosen settings (``cross_validate``): leave one collection round out (the
figure the round-6 changes were judged by) and, with --cv, folds by publishing site, random folds and the in-sample
figure. In each fold the exclusions that only the held-out texts call for (lexicon entries, not-a-name patterns,
generic plus parts, idiom openings) are taken out of the rules, and only real texts are scored. --nested compares
ways of choosing the settings with the choice itself out of fold. Held-out texts (test2 … test7) are never read.
"""

from __future__ import annotations

import json
import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from textcheck_eval import load_corpus, match_strings, prf  # noqa: E402

from textcheck import practice_model  # noqa: E402
from textcheck.practices import candidates, finalize, find_quotes  # noqa: E402
from textcheck.sections import unflatten  # noqa: E402

SEED = 20261203
# Rounds 4-5 chose the settings on random folds with the newest dev texts weighing as much as all dev
# (``select_random``, kept to compare procedures in ``nested_cv``).
FRESH_ROUNDS = (4, 5)
FOLDS = 5
L2S = (0.5, 1.0, 2.0, 4.0)
RULE_WEIGHTS = (0.0, 1.0, 2.0, 3.0, 4.0)
THRESHOLDS = tuple(x / 4 for x in range(-8, 13))
PRUNE = 0.005  # weights smaller than this are left out of the shipped file


def positive(name: str, gold: list[str]) -> bool:
    for g in gold:
        if name == g:
            return True
        short, long_ = sorted((name, g), key=len)
        if short and short in long_ and len(short) * 2 >= len(long_):
            return True
    return False


_SECOND_LEVEL = frozenset(("com", "edu", "gov", "org", "net", "ac"))


def source_site(source: str) -> str:
    """The publishing site of a 来源 line, as its registrable domain (m.news.example.com.cn -> example.com.cn)."""
    if source == "synthetic":
        return "synthetic"
    m = re.match(r"(?:https?://)?([A-Za-z0-9.-]+)", source)
    if not m or "." not in m.group(1) or source.startswith("/"):
        return "seed"
    parts = m.group(1).lower().split(".")
    keep = 3 if len(parts) >= 3 and parts[-1] == "cn" and parts[-2] in _SECOND_LEVEL else 2
    return ".".join(parts[-keep:])


def _genre(it: dict) -> str:
    return "synthetic" if it["synthetic"] else "report" if it["genre"] == "report" else \
        "news" if it["genre"] == "news" else "critique"


def build() -> list[dict]:
    docs = []
    for it in load_corpus():
        if it["split"] != "dev":
            continue
        text = unflatten(it["text"])
        quotes = find_quotes(text)
        cands = candidates(text, quotes)
        gold = list(dict.fromkeys(it["labels"]["named_practices"]))
        ys = [int(positive(q[2].strip(), gold)) for q in quotes]
        docs.append({"id": it["id"], "text": text, "quotes": quotes, "cands": cands, "ys": ys, "gold": gold,
                     "fresh": it["labels"].get("round") in FRESH_ROUNDS, "genre": _genre(it),
                     "site": source_site(it["source"]), "round": it["labels"].get("round") or 2,
                     "synthetic": it["synthetic"]})
    return docs


def end_to_end(docs: list[dict], decisions: list[list[bool]]) -> tuple[int, int, int]:
    tp = fp = fn = 0
    for d, acc in zip(docs, decisions, strict=True):
        names = list(dict.fromkeys(x["text"] for x in finalize(d["text"], d["quotes"], acc)))
        a, b, c, _, _ = match_strings(names, d["gold"])
        tp, fp, fn = tp + a, fp + b, fn + c
    return tp, fp, fn


def samples(docs: list[dict]) -> list[tuple[list[str], int]]:
    return [(feats, y) for d in docs for (_, feats), y in zip(d["cands"], d["ys"], strict=True) if feats is not None]


def _show(docs, l2, rw, th, folds) -> None:
    for k in range(FOLDS):
        held = set(folds[k])
        model = {"weights": practice_model.train(samples([docs[i] for i in range(len(docs)) if i not in held]), l2=l2),
                 "rule_weight": rw, "threshold": th}
        for i in sorted(held):
            d = docs[i]
            dec = [f is not None and practice_model.combine(model, practice_model.probability(model, f), ok)
                   for ok, f in d["cands"]]
            names = list(dict.fromkeys(x["text"] for x in finalize(d["text"], d["quotes"], dec)))
            _, _, _, fp, fn = match_strings(names, d["gold"])
            if fp or fn:
                probs = {q[2].strip(): round(practice_model.probability(model, f), 2) for q, (ok, f) in
                         zip(d["quotes"], d["cands"], strict=True) if f is not None}
                print(f"{d['id']:10} {'R4' if d['fresh'] else '  '} FP={[(x, probs.get(x)) for x in fp]} "
                      f"FN={[(x, probs.get(x)) for x in fn]}")


# --- Grouped cross-validation: an estimate of how the rules and the model do on text from sites they never saw ---
# Random folds put texts of one site (and one collection round) on both sides, and the rules' exact-string lexicon
# was filled from dev errors, so the plain out-of-fold figure is far above the held-out sets. Here
#   * folds are whole publishing sites (``site``) or whole collection rounds (``round``: leave one round out);
#   * a standard formula of the lexicon that only the held-out fold's texts contain is dropped while that fold is
#     predicted (it would not be in the lexicon had those texts not been seen), for the rules and the model alike.
# Only real texts are scored; synthetic texts always train.
CV_GENRES = ("report", "news", "critique", "all")


def cv_folds(docs: list[dict], how: str) -> list[list[int]]:
    if how == "random":
        order = list(range(len(docs)))
        random.Random(SEED).shuffle(order)
        return [order[k::FOLDS] for k in range(FOLDS)]
    if how == "round":
        rounds = sorted({d["round"] for d in docs if not d["synthetic"]})
        return [[i for i, d in enumerate(docs) if d["round"] == r and not d["synthetic"]] for r in rounds]
    groups: dict[str, list[int]] = {}
    for i, d in enumerate(docs):
        groups.setdefault(d["site"], []).append(i)
    names = sorted(groups)
    random.Random(SEED).shuffle(names)
    names.sort(key=lambda n: -len(groups[n]))  # stable: large sites first, ties in seeded order
    folds: list[list[int]] = [[] for _ in range(FOLDS)]
    for n in names:
        if n == "synthetic":
            continue  # synthetic texts train every fold and are never scored
        min(folds, key=len).extend(groups[n])
    return folds


def _alternatives(pattern: str) -> list[str]:
    """The top-level alternatives of a regular expression (outside groups and character classes)."""
    out, depth, in_class, cur, i = [], 0, False, "", 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            cur += pattern[i:i + 2]
            i += 2
            continue
        if in_class:
            in_class = ch != "]"
        elif ch == "[":
            in_class = True
        elif ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        elif ch == "|" and depth == 0:
            out.append(cur)
            cur = ""
            i += 1
            continue
        cur += ch
        i += 1
    return out + [cur]


class rules_without:
    """Take some dev-fitted exclusions out of practices' rules for a while: lexicon entries (``SLOGANS``, read by
    the rules and by find_quotes), alternatives of the not-a-name pattern, generic plus parts and idiom openings."""

    def __init__(self, drop: dict[str, set[str]]):
        self.drop = drop

    def __enter__(self):
        from textcheck import practices as P

        self.saved = (P.SLOGANS, P._LONG_FORMULA_RE, P._NOT_NAME_RE, P._GENERIC_PLUS_PARTS, P.IDIOM_STARTS)
        if self.drop.get("lexicon"):
            P.SLOGANS = frozenset(P.SLOGANS - self.drop["lexicon"])
            longs = sorted((f for f in P.SLOGANS if len(f) >= 3), key=len, reverse=True)
            P._LONG_FORMULA_RE = re.compile("|".join(re.escape(f) for f in longs))
        if self.drop.get("not_name"):
            P._NOT_NAME_RE = re.compile("|".join(a for a in _alternatives(P._NOT_NAME_RE.pattern)
                                                 if a not in self.drop["not_name"]))
        if self.drop.get("plus"):
            P._GENERIC_PLUS_PARTS = frozenset(P._GENERIC_PLUS_PARTS - self.drop["plus"])
        if self.drop.get("idiom"):
            P.IDIOM_STARTS = tuple(x for x in P.IDIOM_STARTS if x not in self.drop["idiom"])
        return self

    def __exit__(self, *exc):
        from textcheck import practices as P

        P.SLOGANS, P._LONG_FORMULA_RE, P._NOT_NAME_RE, P._GENERIC_PLUS_PARTS, P.IDIOM_STARTS = self.saved


def _fitted_exclusions() -> dict[str, list[tuple[str, object]]]:
    """Each exclusion as (key, test on a quoted span's inner text)."""
    from textcheck import practices as P

    return {
        "lexicon": [(e, lambda inner, text, e=e: e in text) for e in P.SLOGANS],
        "not_name": [(a, lambda inner, text, rx=re.compile(a): bool(rx.search(inner)))
                     for a in _alternatives(P._NOT_NAME_RE.pattern)],
        "plus": [(x, lambda inner, text, x=x: x in inner) for x in P._GENERIC_PLUS_PARTS],
        "idiom": [(x, lambda inner, text, x=x: inner.startswith(x)) for x in P.IDIOM_STARTS],
    }


def _fires(docs: list[dict], test) -> bool:
    return any(test(q[2].strip(), d["text"]) for d in docs for q in d["quotes"])


def _fold_view(docs: list[dict], held: list[int], lexicon_out: bool) -> list[dict]:
    """The held-out docs as the rules see them without the exclusions that only those docs call for: a lexicon
    entry only their texts contain, a not-a-name alternative, a generic plus part or an idiom opening only their
    quotes match (each would not be in the rules had these texts not been seen)."""
    if not lexicon_out:
        return [docs[i] for i in held]
    held_set = set(held)
    inside = [docs[i] for i in held]
    outside = [d for j, d in enumerate(docs) if j not in held_set]
    drop = {k: {key for key, test in tests if _fires(inside, test) and not _fires(outside, test)}
            for k, tests in _fitted_exclusions().items()}
    out = []
    with rules_without(drop):
        for i in held:
            d = docs[i]
            quotes = find_quotes(d["text"])
            out.append(d | {"quotes": quotes, "cands": candidates(d["text"], quotes),
                            "ys": [int(positive(q[2].strip(), d["gold"])) for q in quotes], "dropped": drop})
    return out


def cross_validate(docs: list[dict], how: str, l2s=L2S, rws=RULE_WEIGHTS, ths=THRESHOLDS,
                   lexicon_out: bool = True) -> dict:
    """Rules alone and rules+model, scored per genre on folds ``how``; the model's settings are chosen on the same
    folds (all real texts' F1), so the model's figure is slightly optimistic."""
    folds = cv_folds(docs, how)
    views = [_fold_view(docs, f, lexicon_out) for f in folds]

    def totals(decide) -> dict[str, tuple[int, int, int]]:
        acc = {g: [0, 0, 0] for g in CV_GENRES}
        for k, vs in enumerate(views):
            for j, v in enumerate(vs):
                if v["synthetic"]:
                    continue
                _count(acc, v, decide(k, j, v))
        return {g: tuple(x) for g, x in acc.items()}

    rules = totals(lambda k, j, v: [ok and f is not None for ok, f in v["cands"]])
    best = None
    for l2 in l2s:
        models = []
        for f in folds:
            held = set(f)
            models.append({"weights": practice_model.train(samples([d for i, d in enumerate(docs) if i not in held]), l2=l2)})
        probs = [[[None if ft is None else practice_model.probability(models[k], ft) for _, ft in v["cands"]]
                  for v in vs] for k, vs in enumerate(views)]
        for rw in rws:
            for th in ths:
                m = {"rule_weight": rw, "threshold": th}
                t = totals(lambda k, j, v, m=m, probs=probs: [p is not None and practice_model.combine(m, p, ok)
                                            for p, (ok, _) in zip(probs[k][j], v["cands"], strict=True)])
                key = (round(prf(*t["all"])[2], 4), -abs(th))
                if best is None or key > best[0]:
                    best = (key, (l2, rw, th), t)
    return {"how": how, "folds": [len(f) for f in folds], "rules": rules, "model": best[2], "settings": best[1]}


def select_random(docs: list[dict]) -> tuple[float, float, float]:
    """The settings the round-5 procedure picks: random 5 folds, the newest dev rounds weighing as much as all dev."""
    order = list(range(len(docs)))
    random.Random(SEED).shuffle(order)
    folds = [order[k::FOLDS] for k in range(FOLDS)]
    fresh = [i for i, d in enumerate(docs) if d["fresh"]]
    best = None
    for l2 in L2S:
        probs: list[list[float | None]] = [[None] * len(d["ys"]) for d in docs]
        for k in range(FOLDS):
            held = set(folds[k])
            model = {"weights": practice_model.train(samples([docs[i] for i in range(len(docs)) if i not in held]), l2=l2)}
            for i in held:
                probs[i] = [None if f is None else practice_model.probability(model, f) for _, f in docs[i]["cands"]]
        for rw in RULE_WEIGHTS:
            for th in THRESHOLDS:
                m = {"rule_weight": rw, "threshold": th}
                dec = [[p is not None and practice_model.combine(m, p, ok) for p, (ok, _) in zip(probs[i], d["cands"], strict=True)]
                       for i, d in enumerate(docs)]
                f_fresh = prf(*end_to_end([docs[i] for i in fresh], [dec[i] for i in fresh]))[2]
                f_all = prf(*end_to_end(docs, dec))[2]
                key = (round(f_fresh + f_all, 4), round(f_fresh, 4), -abs(th))
                if best is None or key > best[0]:
                    best = (key, (l2, rw, th))
    return best[1]


def nested_cv(docs: list[dict], how: str, procedure: str) -> dict:
    """The model's settings chosen inside each outer fold (``procedure``: 'random' = the round-5 way, 'grouped' =
    grouped folds of the same kind on the other texts), then scored on the outer fold: the settings' choice is
    itself out of fold, so procedures can be compared."""
    folds = cv_folds(docs, how)
    acc = {g: [0, 0, 0] for g in CV_GENRES}
    chosen = []
    for f in folds:
        held = set(f)
        train_docs = [d for i, d in enumerate(docs) if i not in held]
        if procedure == "random":
            l2, rw, th = select_random(train_docs)
        else:
            l2, rw, th = cross_validate(train_docs, how)["settings"]
        chosen.append((l2, rw, th))
        model = {"weights": practice_model.train(samples(train_docs), l2=l2), "rule_weight": rw, "threshold": th}
        for v in _fold_view(docs, f, True):
            if v["synthetic"]:
                continue
            _count(acc, v, [ft is not None and practice_model.combine(model, practice_model.probability(model, ft), ok)
                            for ok, ft in v["cands"]])
    return {"how": f"{how}, settings chosen by {procedure} folds inside each fold {chosen}", "folds": [len(f) for f in folds],
            "settings": "nested", "model": {g: tuple(x) for g, x in acc.items()}}


def _count(acc: dict, doc: dict, decisions: list[bool]) -> None:
    """Add one text's true/false positives and misses to its genre's and to the overall totals."""
    names = list(dict.fromkeys(x["text"] for x in finalize(doc["text"], doc["quotes"], decisions)))
    hits, false, missed, _, _ = match_strings(names, doc["gold"])
    for genre in (doc["genre"], "all"):
        acc[genre][0] += hits
        acc[genre][1] += false
        acc[genre][2] += missed


def in_sample(docs: list[dict], model: dict | None) -> dict:
    """Rules alone and the given model on the texts they were fitted to (the figure printed before round 6)."""
    acc = {g: [0, 0, 0] for g in CV_GENRES}
    for d in docs:
        if d["synthetic"]:
            continue
        dec = [f is not None and (practice_model.combine(model, practice_model.probability(model, f), ok)
                                  if model else ok) for ok, f in d["cands"]]
        _count(acc, d, dec)
    return {g: tuple(x) for g, x in acc.items()}


def print_cv(res: dict) -> None:
    print(f"grouped CV by {res['how']} (folds of {res['folds']} texts; model settings l2, rule weight, threshold "
          f"{res['settings']}):")
    for what in ("rules", "model"):
        cells = []
        for g in CV_GENRES:
            p, r, f = prf(*res[what][g])
            cells.append(f"{g} F1 {f:.3f} P {p:.3f} R {r:.3f}")
        print(f"  {what:6} " + " | ".join(cells))


def main() -> None:
    docs = build()
    n_cand = sum(len(d["ys"]) for d in docs)
    n_pos = sum(sum(d["ys"]) for d in docs)
    print(f"dev texts {len(docs)}, quoted candidates {n_cand}, positive {n_pos}")
    # The settings are chosen as in rounds 4-5 (random folds, the newest dev rounds weighing as much as all dev);
    # the grouped figures below are printed for the chosen settings.
    l2, rw, th = select_random(docs)
    fixed = {"l2s": (l2,), "rws": (rw,), "ths": (th,)}
    if "--cv" in sys.argv:
        shipped = practice_model.load_model()
        if shipped:
            print_cv({"how": "nothing (in sample: dev texts the rules and the shipped model were fitted to)",
                      "folds": [], "settings": (shipped["l2"], shipped["rule_weight"], shipped["threshold"]),
                      "rules": in_sample(docs, None), "model": in_sample(docs, shipped)})
        for how in ("random", "site"):
            print_cv(cross_validate(docs, how, **fixed))
    res = cross_validate(docs, "round", **fixed)
    print_cv(res)
    if "--nested" in sys.argv:  # the choice of settings itself out of fold (slow: about a minute)
        for how in ("round", "site"):
            for procedure in ("random", "grouped"):
                r = nested_cv(docs, how, procedure)
                print(f"nested, folds by {r['how']}:")
                print("  model  " + " | ".join(f"{g} F1 {prf(*r['model'][g])[2]:.3f} P {prf(*r['model'][g])[0]:.3f} "
                                              f"R {prf(*r['model'][g])[1]:.3f}" for g in CV_GENRES))
    if "--show" in sys.argv:  # dev errors of the chosen combination, out of fold (random folds)
        order = list(range(len(docs)))
        random.Random(SEED).shuffle(order)
        _show(docs, l2, rw, th, [order[k::FOLDS] for k in range(FOLDS)])
    score = prf(*res["model"]["all"])
    print(f"chosen: l2 {l2}, rule_weight {rw}, threshold {th}; leave-one-round-out (grouped CV): real dev P {score[0]:.3f} "
          f"R {score[1]:.3f} F1 {score[2]:.3f}")
    w = practice_model.train(samples(docs), l2=l2)
    weights = {f: round(v, 4) for f, v in sorted(w.items()) if abs(v) >= PRUNE}
    out = {
        "about": "named-practice classifier for textcheck; trained on the dev split only by "
                 "benchmarks/textcheck_train_practices.py",
        "trained_on": {"texts": len(docs), "candidates": n_cand, "positive": n_pos},
        "l2": l2, "rule_weight": rw, "threshold": th,
        "leave_one_round_out_dev": {g: {"precision": round(x[0], 3), "recall": round(x[1], 3), "f1": round(x[2], 3)}
                                    for g, x in ((g, prf(*res["model"][g])) for g in ("report", "news", "all"))},
        "weights": weights,
    }
    print(f"{len(weights)} weights kept of {len(w)}")
    if "--write" in sys.argv:
        path = practice_model.MODEL_PATH
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(out, ensure_ascii=False, separators=(",", ":"), sort_keys=False) + "\n", encoding="utf-8")
        print(f"written {path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

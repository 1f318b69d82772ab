"""A small trained classifier for quoted spans: is this the name of a local practice or brand?

Logistic regression over sparse features of one candidate (a quoted span): the span's character 1–3-grams, its
length, the characters right after the closing quote (工程, 品牌, 模式 …) and right before the opening one, whether
it is in the standard-formula lexicon, idiom-likeness, numerals, a plus sign, enumeration commas, the evidence
flags of the hand-written rules in ``practices`` and (round 4) the document's kind (report, news, critique, speech). Pure Python: the weights ship as ``models/practice_model.json``
(trained on the dev split only by ``benchmarks/textcheck_train_practices.py``; the held-out splits never reach it).

``practices.find_practices`` combines the model with the rules: the model's probability decides, and the rules'
verdict counts as one more piece of evidence (see ``combine``).
"""

from __future__ import annotations

import json
import math
import re
from functools import lru_cache
from pathlib import Path

MODEL_PATH = Path(__file__).with_name("models") / "practice_model.json"

_LEN_BUCKETS = ((2, "1-2"), (3, "3"), (4, "4"), (6, "5-6"), (9, "7-9"), (15, "10-15"))
_DIGITS = set("0123456789０１２３４５６７８９")
# Verbs that introduce a named practice a few characters before the opening quote: 「深入实施“…”」「打造“…”品牌」.
_INTRO_RE = re.compile(r"(打造|创建|创新|实施|推行|推出|开展|探索|建立|构建|深化|擦亮|培育|形成|启动|以|依托|围绕|通过|采取|坚持|树立|提出)")
# The kind of thing named, after the closing quote: 「”党建品牌」「”工作法」「”服务队」.
_KIND_RE = re.compile(
    r"[^，。；、\n“”]{0,4}?(工作法|工作室|工作机制|机制|模式|工程|品牌|行动|计划|活动|服务队|队伍|队|体系|平台|制度|阵地|项目|载体|"
    r"清单|目标|要求|标准|原则|精神|理念|意识|作用|会议|会|号召|口号|讲话|问题|现象|状态|氛围)")
_NUMERALS = set("二两三四五六七八九十百千双") | _DIGITS


def _len_bucket(n: int) -> str:
    for top, name in _LEN_BUCKETS:
        if n <= top:
            return name
    return "16+"


def features(text: str, start: int, end: int, inner: str, closed: bool, flags: dict[str, bool]) -> list[str]:
    """Feature names of one quoted span. ``flags`` are the rules' evidence (name -> present)."""
    name = inner.strip()
    feats = ["bias", "len:" + _len_bucket(len(name))]
    padded = "^" + name + "$"
    for n in (1, 2, 3):
        for i in range(len(padded) - n + 1):
            gram = padded[i:i + n]
            if gram not in ("^", "$"):
                feats.append("g:" + gram)
    # What follows the closing quote says most: 「…”工程」「…”品牌」「…”的目标」; what precedes: 「开展“」「他说：“」.
    after = text[end:end + 3]
    for n in (1, 2, 3):
        if len(after) >= n:
            feats.append(f"a{n}:" + after[:n])
    before = text[max(0, start - 2):start]
    for n in (1, 2):
        if len(before) >= n:
            feats.append(f"b{n}:" + before[-n:])
    intro = _INTRO_RE.search(text, max(0, start - 6), start)
    if intro:
        feats.append("intro:" + intro.group(1))
    kind = _KIND_RE.match(text, end)
    if kind:
        feats.append("kind:" + kind.group(1))
    if not closed:
        feats.append("unclosed")
    if any(c in _NUMERALS for c in name):
        feats.append("numeral")
    if any(c in _DIGITS for c in name):
        feats.append("digit")
    if "+" in name or "＋" in name:
        feats.append("plus")
    commas = name.count("、") + name.count("，") + name.count(",")
    if commas:
        feats.append("commas:" + ("1" if commas == 1 else "2+"))
    if any(c in name for c in "“”‘’「」"):
        feats.append("nested_quote")
    feats.extend("r:" + k for k, v in flags.items() if v)
    return feats


@lru_cache(maxsize=1)
def load_model(path: str | None = None) -> dict | None:
    """The shipped weights, or None when no model file is present (the rules then decide alone)."""
    p = Path(path) if path else MODEL_PATH
    if not p.exists():
        return None
    return json.loads(p.read_text(encoding="utf-8"))


def probability(model: dict, feats: list[str]) -> float:
    w = model["weights"]
    z = sum(w.get(f, 0.0) for f in feats)
    if z >= 0:
        return 1.0 / (1.0 + math.exp(-z))
    e = math.exp(z)
    return e / (1.0 + e)


def combine(model: dict, p: float, rule_ok: bool) -> bool:
    """Accept a candidate: the model's log-odds plus a fixed weight for the rules' verdict, against a threshold.

    Both numbers were chosen on out-of-fold predictions over the dev split (the training script prints them).
    """
    p = min(max(p, 1e-9), 1 - 1e-9)
    z = math.log(p / (1 - p)) + (model["rule_weight"] if rule_ok else 0.0)
    return z >= model["threshold"]


def train(samples: list[tuple[list[str], int]], l2: float = 1.0, epochs: int = 60, lr: float = 0.2,
          seed: int = 1) -> dict[str, float]:
    """Plain L2-regularised logistic regression by stochastic gradient descent (deterministic order per seed)."""
    import random

    w: dict[str, float] = {}
    order = list(range(len(samples)))
    rng = random.Random(seed)
    n = len(samples)
    for epoch in range(epochs):
        rng.shuffle(order)
        rate = lr / (1 + epoch * 0.1)
        for i in order:
            feats, y = samples[i]
            z = sum(w.get(f, 0.0) for f in feats)
            p = 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))
            g = p - y
            for f in feats:
                old = w.get(f, 0.0)
                reg = 0.0 if f == "bias" else l2 * old / n
                w[f] = old - rate * (g + reg)
    return w

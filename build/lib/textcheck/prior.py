"""Does the report answer last year's problems?

Each problem is cut into jieba tokens (generic words dropped). Every occurrence of a
token in the report is mapped to its sentence; a candidate answer is a sentence (or a
sentence and its neighbour, at 0.85), scored by the share of the problem's token weight
found there; a token weighs its length times its idf over the report's sentences. Windows in a rectification section or containing
rectification words (整改, 解决, 已完成 …) get a bonus; windows inside the report's own
problem/cause sections without such words are penalised, since restating a problem
is not answering it. A problem is answered when the best window scores at least
ANSWER_THRESHOLD and carries a rectification cue, or scores STRONG_THRESHOLD outside
the problem and cause sections.
"""

from __future__ import annotations

import io
import logging
import math
import re
import threading
from contextlib import redirect_stderr

from ._text import TextIndex
from .lexicon import PRIOR_STOPWORDS, RECTIFY_WORDS
from .sections import Section

ANSWER_THRESHOLD = 0.55  # enough with a rectification cue
STRONG_THRESHOLD = 0.8  # enough on its own outside the report's problem sections
_RECTIFY_RE = re.compile("|".join(sorted(RECTIFY_WORDS, key=len, reverse=True)))
_CJK_RE = re.compile(r"[\u4e00-\u9fff]+")
_jieba = None
_jieba_lock = threading.Lock()


def _get_jieba():
    """Import and initialise jieba once, without its start-up chatter."""
    global _jieba
    if _jieba is None:
        with _jieba_lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                with redirect_stderr(io.StringIO()):
                    jieba.initialize()
                _jieba = jieba
    return _jieba


def problem_terms(problem: str) -> dict[str, float]:
    jieba = _get_jieba()
    terms: dict[str, float] = {}
    # Search-mode cut also yields the parts of long words (发展党员 -> 发展, 党员),
    # so "发展预备党员" still shares words with "未发展党员".
    for tok in jieba.lcut_for_search(problem):
        tok = tok.strip()
        if len(tok) < 2 or tok in PRIOR_STOPWORDS or not _CJK_RE.fullmatch(tok):
            continue
        terms[tok] = float(len(tok))
    if len(terms) < 2:
        # Too few content words: fall back on character bigrams of the problem.
        for run in _CJK_RE.findall(problem):
            for i in range(len(run) - 1):
                bg = run[i:i + 2]
                if bg not in PRIOR_STOPWORDS:
                    terms.setdefault(bg, 1.0)
    return terms


def check_prior(text: str, idx: TextIndex, sections: list[Section], problems) -> list[dict]:
    results = []
    sents = idx.sentences
    for problem in problems:
        problem = (problem or "").strip()
        if not problem:
            continue
        terms = problem_terms(problem)
        total = sum(terms.values())
        best = None
        if terms and sents:
            pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)))
            found: dict[int, set[str]] = {}
            df: dict[str, set[int]] = {t: set() for t in terms}
            for m in pattern.finditer(text):
                si = idx.sentence_index(m.start())
                found.setdefault(si, set()).add(m.group())
                df[m.group()].add(si)
            # Words found in many sentences of this report say little: weight by idf.
            n = len(sents)
            terms = {t: w * math.log(1.0 + n / (1.0 + len(df[t]))) for t, w in terms.items()}
            total = sum(terms.values())
            for si in found:
                # A single sentence first; a two-sentence window counts a little less.
                for wi, width in ((si, 0), (si - 1, 1), (si, 1)):
                    if wi < 0 or wi + width >= len(sents):
                        continue
                    cand = _score_window(text, idx, sections, found, terms, total, wi, width)
                    if cand and (best is None or cand["score"] > best["score"]):
                        best = cand
        answered = bool(best and (
            best["score"] >= ANSWER_THRESHOLD and best["cue"]
            or best["score"] >= STRONG_THRESHOLD and best["kind"] not in ("problems", "causes")
        ))
        results.append({
            "problem": problem,
            "answered": answered,
            "score": round(min(best["score"], 1.0), 3) if best else 0.0,
            "matched_terms": best["terms"] if best else [],
            "evidence": {"span": best["span"], "sentence": best["sentence"]} if answered else None,
        })
    return results


def _score_window(text, idx, sections, found, terms, total, wi, width):
    sents = idx.sentences
    last = wi + width
    hit = set(found.get(wi, ())) | set(found.get(last, ()))
    if not hit:
        return None
    s, e = sents[wi].start, sents[last].end
    base = sum(terms[t] for t in hit) / total * (0.85 if width else 1.0)
    window = text[s:e]
    kind = _section_kind(sections, s)
    cue = kind == "rectification" or bool(_RECTIFY_RE.search(window))
    score = base
    if kind == "rectification":
        score += 0.15
    elif cue:
        score += 0.1
    if kind in ("problems", "causes") and not _RECTIFY_RE.search(window):
        score *= 0.5
    return {"score": score, "cue": cue, "kind": kind, "span": [s, e], "sentence": window[:300],
            "terms": sorted(hit, key=lambda t: -len(t))}


def _section_kind(sections: list[Section], pos: int) -> str | None:
    for sec in sections:
        if sec.start <= pos < sec.end:
            return sec.kind
    return None

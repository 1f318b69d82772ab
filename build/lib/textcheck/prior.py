"""Does the report answer last year's problems?

Each problem is cut into jieba keywords (generic words dropped), each keyword widened by a synonym table
(阵地 ~ 活动场所). All keywords of all problems are found in one pass over the report and mapped to sentences.
A sentence scores by the share of the problem's keyword weight found in it (a keyword weighs its length times
its idf over the report's sentences) or, for paraphrases that share few whole words, by the character-bigram
overlap with the problem, whichever is higher; a sentence and its neighbour in the same paragraph may answer
together at 0.85.

Sentences in a rectification section or containing rectification words (整改, 解决, 已完成 …) get a bonus;
sentences inside the report's own problem/cause sections without such words are penalised, since restating a
problem is not answering it. A problem is answered when the best window scores at least ANSWER_THRESHOLD and
carries a rectification cue, or scores STRONG_THRESHOLD outside the problem and cause sections. Each result
names the sentence it matched.
"""

from __future__ import annotations

import io
import logging
import math
import re
import threading
from bisect import bisect_right
from contextlib import redirect_stderr
from functools import lru_cache

from ._text import TextIndex
from .lexicon import PRIOR_STOPWORDS, PRIOR_SYNONYMS, RECTIFY_WORDS
from .sections import Section

ANSWER_THRESHOLD = 0.55  # enough with a rectification cue
STRONG_THRESHOLD = 0.8  # enough on its own outside the report's problem sections
_CANDIDATES = 6  # best single sentences looked at more closely per problem
_RECTIFY_RE = re.compile("|".join(sorted(RECTIFY_WORDS, key=len, reverse=True)))
_CJK_RE = re.compile(r"[\u4e00-\u9fff]+")
_jieba = None
_jieba_lock = threading.Lock()

# synonym -> canonical, and canonical -> itself
_CANONICAL: dict[str, str] = {}
for _canon, _others in PRIOR_SYNONYMS.items():
    for _w in _others:
        _CANONICAL.setdefault(_w, _canon)


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


@lru_cache(maxsize=1024)
def problem_terms(problem: str) -> tuple[tuple[str, float], ...]:
    """Keywords of one problem with their base weight (their length)."""
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
    return tuple(terms.items())


def _surface_forms(term: str) -> tuple[str, ...]:
    canon = _CANONICAL.get(term, term)
    return tuple(dict.fromkeys((term, canon, *PRIOR_SYNONYMS.get(canon, ()))))


def _bigrams(s: str) -> set[str]:
    out = set()
    for run in _CJK_RE.findall(s):
        out.update(run[i:i + 2] for i in range(len(run) - 1))
    return out


def check_prior(text: str, idx: TextIndex, sections: list[Section], problems) -> list[dict]:
    problems = [(p or "").strip() for p in problems]
    problems = [p for p in problems if p]
    sents = idx.sentences
    n = len(sents)
    terms_of = {p: dict(problem_terms(p)) for p in problems}
    # One pass over the report for the keywords of every problem.
    forms_of = {t: _surface_forms(t) for terms in terms_of.values() for t in terms}
    at: dict[str, set[int]] = {f: set() for forms in forms_of.values() for f in forms}
    starts = idx._sent_starts
    if at and n:
        pattern = re.compile("|".join(re.escape(f) for f in sorted(at, key=len, reverse=True)))
        for m in pattern.finditer(text):
            at[m.group()].add(bisect_right(starts, m.start()) - 1)
    found = {t: set().union(*(at[f] for f in forms)) for t, forms in forms_of.items()}
    ctx = _Context(text, idx, sections)
    results = []
    for problem in problems:
        terms = terms_of[problem]
        best = None
        if terms and n:
            # Keywords found in many sentences of this report say little: weight by idf.
            weights = {t: w * math.log(1.0 + n / (1.0 + len(found[t]))) for t, w in terms.items()}
            total = sum(weights.values()) or 1.0
            score: dict[int, float] = {}
            for t, w in weights.items():
                for si in found[t]:
                    score[si] = score.get(si, 0.0) + w
            top = sorted(score, key=score.get, reverse=True)[:_CANDIDATES]
            pgrams = _bigrams(problem)
            for si in top:
                for wi, width in ((si, 0), (si - 1, 1), (si, 1)):
                    if wi < 0 or wi + width >= n or not ctx.same_paragraph(wi, wi + width):
                        continue
                    cand = ctx.score_window(wi, width, weights, total, found, pgrams)
                    if cand and (best is None or cand["score"] > best["score"]):
                        best = cand
        answered = bool(best and (
            best["score"] >= ANSWER_THRESHOLD and best["cue"]
            or best["score"] >= STRONG_THRESHOLD and best["kind"] not in ("problems", "causes")
        ))
        match = {"span": best["span"], "sentence": best["sentence"]} if best else None
        results.append({
            "problem": problem,
            "answered": answered,
            "score": round(min(best["score"], 1.0), 3) if best else 0.0,
            "matched_terms": best["terms"] if best else [],
            "evidence": match if answered else None,
            "closest": match,
        })
    return results


class _Context:
    """Per-report facts shared by every problem: section kind and rectification cue per sentence."""

    def __init__(self, text: str, idx: TextIndex, sections: list[Section]):
        self.text, self.idx = text, idx
        self.sections = sections
        self._sec_starts = [s.start for s in sections]
        starts = idx._sent_starts
        self.cue_sents = {bisect_right(starts, m.start()) - 1 for m in _RECTIFY_RE.finditer(text)}

    def same_paragraph(self, a: int, b: int) -> bool:
        if a == b:
            return True
        sa, sb = self.idx.sentences[a], self.idx.sentences[b]
        return "\n" not in self.text[sa.end:sb.start]

    def kind_at(self, pos: int) -> str | None:
        i = bisect_right(self._sec_starts, pos) - 1
        if i >= 0 and pos < self.sections[i].end:
            return self.sections[i].kind
        return None

    def score_window(self, wi, width, weights, total, found, pgrams):
        sents = self.idx.sentences
        last = wi + width
        hit = [t for t in weights if wi in found[t] or last in found[t]]
        if not hit:
            return None
        s, e = sents[wi].start, sents[last].end
        window = self.text[s:e]
        token = sum(weights[t] for t in hit) / total
        wgrams = _bigrams(window)
        dice = 2 * len(pgrams & wgrams) / (len(pgrams) + len(wgrams)) if pgrams and wgrams else 0.0
        # A short problem quoted almost verbatim in a long sentence: containment, not dice, says so.
        cover = len(pgrams & wgrams) / len(pgrams) if pgrams else 0.0
        base = max(token, 0.6 * cover + 0.4 * dice) * (0.85 if width else 1.0)
        kind = self.kind_at(s)
        cue = kind == "rectification" or wi in self.cue_sents or last in self.cue_sents
        score = base
        if kind == "rectification":
            score += 0.15
        elif cue:
            score += 0.1
        if kind in ("problems", "causes") and not (wi in self.cue_sents or last in self.cue_sents):
            score *= 0.5
        return {"score": score, "cue": cue, "kind": kind, "span": [s, e], "sentence": window[:300],
                "terms": sorted(hit, key=lambda t: -len(t))}

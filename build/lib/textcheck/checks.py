"""Rubric topic coverage, empty phrases (水分) and "党建+" labels without content."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from functools import lru_cache

from ._text import TextIndex
from .lexicon import DEFAULT_TOPIC_REGEX, DEFAULT_TOPICS, EMPTY_PHRASES, LABEL_PATTERNS, PARTY_CONTENT_WORDS

MAX_EVIDENCE = 5
_WS_CHARS = " \t\r\n\u3000\ufeff"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)


_EMPTY_RE = re.compile(_alternation(EMPTY_PHRASES))
_LABEL_RE = re.compile("|".join(LABEL_PATTERNS))
_CONTENT_RE = re.compile(_alternation(PARTY_CONTENT_WORDS))


def count_chars(text: str) -> int:
    return len(text) - sum(text.count(c) for c in _WS_CHARS)


@lru_cache(maxsize=64)
def _topic_regex(source: str) -> re.Pattern[str]:
    return re.compile(source)


def resolve_topics(rubric_topics: Mapping[str, Iterable[str]] | Iterable[str] | None) -> list[tuple[str, str]]:
    """Return (topic name, regex source) pairs."""
    if rubric_topics is None:
        rubric_topics = list(DEFAULT_TOPICS)
    resolved: list[tuple[str, str]] = []
    if isinstance(rubric_topics, Mapping):
        for name, words in rubric_topics.items():
            words = [words] if isinstance(words, str) else list(words)
            resolved.append((name, _alternation(words) if words else _default_source(name)))
    else:
        for name in rubric_topics:
            resolved.append((name, _default_source(name)))
    return resolved


def _default_source(name: str) -> str:
    key = name if name in DEFAULT_TOPICS else None
    if key is None:
        # Accept a part of a default name, e.g. "工作保障" for "工作保障/经费".
        key = next((k for k in DEFAULT_TOPICS if name in k.split("/")), None)
    if key is None:
        return _alternation(p for p in re.split(r"[/、,，]", name) if p)
    alt = _alternation(DEFAULT_TOPICS[key])
    extra = DEFAULT_TOPIC_REGEX.get(key)
    return f"{extra}|{alt}" if extra else alt


def check_topics(text: str, idx: TextIndex, topics: list[tuple[str, str]]) -> list[dict]:
    out = []
    for name, source in topics:
        evidence = []
        hits = 0
        if source:
            for m in _topic_regex(source).finditer(text):
                hits += 1
                if len(evidence) < MAX_EVIDENCE:
                    sent = idx.sentence_at(m.start())
                    evidence.append({
                        "keyword": m.group(),
                        "span": [m.start(), m.end()],
                        "sentence": text[sent.start:sent.end][:200] if sent else m.group(),
                    })
        out.append({"topic": name, "covered": hits > 0, "hits": hits, "evidence": evidence})
    return out


def check_empty_phrases(text: str, data_count: int) -> dict:
    """Formula phrases and the 水分 index.

    water_index = E / (1 + D), where E and D are the empty-phrase and data-point counts
    per 1000 non-space characters. 0 means no formula phrases at all; a text with
    many formulas and no figures scores high; figures dilute the formulas.
    """
    items = [{"text": m.group(), "span": [m.start(), m.end()]} for m in _EMPTY_RE.finditer(text)]
    chars = count_chars(text)
    per_k = 1000.0 / chars if chars else 0.0
    empty_density = len(items) * per_k
    data_density = data_count * per_k
    return {
        "items": items,
        "count": len(items),
        "chars": chars,
        "empty_per_1000_chars": round(empty_density, 2),
        "data_per_1000_chars": round(data_density, 2),
        "water_index": round(empty_density / (1.0 + data_density), 2),
    }


def check_label_only(text: str, idx: TextIndex, skip: list[tuple[int, int]] = ()) -> list[dict]:
    """Paragraphs that claim "党建+"/党建引领 but say nothing about party building.

    ``skip`` holds spans (the report's own problem and cause sections) where such
    words describe a weakness rather than claim an achievement.
    """
    out = []
    seen: set[int] = set()
    paras = idx.paragraphs
    for m in _LABEL_RE.finditer(text):
        para = idx.paragraph_at(m.start())
        if para is None or para.start in seen or any(s <= para.start < e for s, e in skip):
            continue
        seen.add(para.start)
        start, end = para.start, para.end
        # A short heading line is judged together with the paragraph that follows it.
        if end - start <= 40 and "。" not in text[start:end].rstrip("。"):
            i = bisect_left(idx._para_starts, start)
            if i + 1 < len(paras):
                end = paras[i + 1].end
                seen.add(paras[i + 1].start)
        block = text[start:end]
        labels = [lm.group() for lm in _LABEL_RE.finditer(block)]
        stripped = _LABEL_RE.sub(lambda x: "□" * len(x.group()), block)
        if _CONTENT_RE.search(stripped):
            continue
        shown = "”“".join(dict.fromkeys(labels))
        out.append({
            "text": block[:120],
            "span": [start, end],
            "labels": list(dict.fromkeys(labels)),
            "reason": f"段落以“{shown}”立题，但没有写党员、党组织、组织生活等党建内容，疑似“两张皮”",
        })
    return out

"""Rubric topic coverage, empty phrases (水分) and "党建+" labels without content."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from functools import lru_cache

from ._text import TextIndex, first_char_guard
from .lexicon import (
    DEFAULT_TOPIC_COOCCUR,
    DEFAULT_TOPIC_IMPLICIT,
    DEFAULT_TOPIC_REGEX,
    DEFAULT_TOPIC_WEAK,
    DEFAULT_TOPICS,
    EMPTY_PHRASES,
    LABEL_PATTERNS,
    PARTY_CONTENT_WORDS,
    SECTOR_ALIASES,
    SECTOR_TOPIC_WORDS,
    TOPIC_OTHER_SENSE,
)
from .sections import _HEADING_ANY_RE

MAX_EVIDENCE = 5
# Without a figure or named practice, a topic is covered when this many sentences report work on it.
MIN_DONE_SENTENCES = 1
_WS_CHARS = " \t\r\n\u3000\ufeff"


def _guarded(words: Iterable[str]) -> str:
    words = [w for w in words if w]
    return first_char_guard(words) + "(?:" + _alternation(words) + ")"


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True) if w)


_EMPTY_RE = re.compile(_guarded(EMPTY_PHRASES))
_LABEL_RE = re.compile("|".join(LABEL_PATTERNS))
_CONTENT_RE = re.compile(_guarded(PARTY_CONTENT_WORDS))


def count_chars(text: str) -> int:
    return len(text) - sum(text.count(c) for c in _WS_CHARS)


@lru_cache(maxsize=64)
def _topic_regex(source: str) -> re.Pattern[str]:
    return re.compile(source)


def sector_name(sector: str | None) -> str | None:
    """The sector's Chinese name as SECTOR_TOPIC_WORDS knows it (stored values such as "school" accepted)."""
    if not sector:
        return None
    sector = SECTOR_ALIASES.get(sector, sector)
    return sector if sector in SECTOR_TOPIC_WORDS else None


def resolve_topics(rubric_topics: Mapping[str, Iterable[str]] | Iterable[str] | None,
                   sector: str | None = None) -> list[tuple[str, str, str]]:
    """Return (topic name, regex source, weak regex source) triples.

    Matches of the first source can show the topic covered; the weak source only ever shows it partly.
    Default topics take the wording of the org's ``sector`` as well (SECTOR_TOPIC_WORDS).
    """
    extra = SECTOR_TOPIC_WORDS.get(sector_name(sector) or "", {})
    if rubric_topics is None:
        rubric_topics = list(DEFAULT_TOPICS)
    resolved: list[tuple[str, str, str]] = []
    if isinstance(rubric_topics, Mapping):
        for name, words in rubric_topics.items():
            words = [words] if isinstance(words, str) else list(words)
            resolved.append((name, _alternation(words), "") if words else (name, *_default_sources(name, extra)))
    else:
        for name in rubric_topics:
            resolved.append((name, *_default_sources(name, extra)))
    return resolved


def _default_sources(name: str, extra: Mapping[str, str] | None = None) -> tuple[str, str]:
    key = name if name in DEFAULT_TOPICS else None
    if key is None:
        # Accept a part of a default name, e.g. "工作保障" for "工作保障/经费".
        key = next((k for k in DEFAULT_TOPICS if name in k.split("/")), None)
    if key is None:
        return _alternation(p for p in re.split(r"[/、,，]", name) if p), ""
    parts = [DEFAULT_TOPIC_REGEX.get(key), DEFAULT_TOPIC_IMPLICIT.get(key), (extra or {}).get(key),
             _alternation(DEFAULT_TOPICS[key]), _cooccur(key)]
    return "|".join(p for p in parts if p), DEFAULT_TOPIC_WEAK.get(key, "")


def _cooccur(key: str) -> str:
    """A work verb shortly before a topic noun in the same clause (DEFAULT_TOPIC_COOCCUR), as one regex."""
    if key not in DEFAULT_TOPIC_COOCCUR:
        return ""
    verbs, nouns = DEFAULT_TOPIC_COOCCUR[key]
    return f"(?:{_alternation(verbs)})[^，。；、：\n]{{0,{COOCCUR_GAP}}}?(?:{_alternation(nouns)})"


COOCCUR_GAP = 6  # characters allowed between the verb and the noun
_BOOK_RE = re.compile(r"《[^》\n]{1,60}》")
# A keyword inside a quotation of up to 60 characters is part of a name, a slogan or a motto (「“红色教育 争创师德
#师风先锋”」, and slogans of several clauses: 「“党建+质量，建百姓放心医院；…”」): it mentions the topic, it does not
# report work on it. (Round 7: 30 → 60 characters.)
_OTHER_SENSE_RE = re.compile(TOPIC_OTHER_SENSE)
_QUOTE_RE = re.compile(r"[“〝][^“”〝〞\n]{1,60}[”〞]")
# A sentence reports work done when it has a figure, a named practice or one of these words.
_DONE_RE = re.compile(r"了|已|共|累计|全年|先后|建成|完成|实现|新建|选派|选任|召开|组织|举办|投入|设立|建立|走访|办结")
_NOT_WORK_KINDS = ("problems", "causes", "measures")
_FRAME_BEFORE_RE = re.compile(r"以[^，。；]{0,10}$")
_FRAME_AFTER_RE = re.compile(r"[^，。；]{0,6}?为(?:重点|抓手|载体|目标|核心|主线|导向|契机|切入点|落脚点|出发点|着力点|根本|宗旨)")
_PURPOSE_AFTER_RE = re.compile(r"的(?:重要)?(?:力量|载体|平台|抓手|阵地|目标|宗旨|理念|意识|要求)")
# How far from a topic keyword (in characters, within its clause) the evidence of work may be.
WORK_WINDOW = 60
# 「取得了明显成效」「实现了…目标」: a claim of success, not a report of what was done.
_GENERIC_DONE_RE = re.compile(r"取得")


class _Spans:
    """The non-overlapping spans a pattern matches in a text, and whether a position falls inside one."""

    def __init__(self, pattern: re.Pattern, text: str):
        self.spans = [(m.start(), m.end()) for m in pattern.finditer(text)]
        self._starts = [start for start, _end in self.spans]

    def __contains__(self, pos: int) -> bool:
        i = bisect_left(self._starts, pos + 1) - 1
        return i >= 0 and self.spans[i][0] <= pos < self.spans[i][1]


class _WorkSentences:
    """Which sentences report concrete work; computed once per text, shared by all topics."""

    def __init__(self, text: str, idx: TextIndex, sections, marks: list[int]):
        self.text, self.idx = text, idx
        self.sections = [(s.start, s.end, s.kind) for s in sections]
        self._sec_starts = [s[0] for s in self.sections]
        self.marks = sorted(marks)
        self.books = _Spans(_BOOK_RE, text)
        self.quotes = _Spans(_QUOTE_RE, text)
        self.other_sense = _Spans(_OTHER_SENSE_RE, text)
        self._memo: dict[int, tuple[bool, list[int]]] = {}

    def concrete(self, pos: int, end: int | None = None) -> int:
        """Is there evidence of work done near this keyword: a figure or named practice, or a done-word?

        Evidence counts only in the keyword's own clause (up to the nearest ；, and within WORK_WINDOW characters):
        a long sentence that names a topic in passing and reports other work further on does not cover it.
        """
        end = end or pos
        if pos in self.quotes:
            return 0
        # 「以服务群众为重点」「打造成…服务群众的重要力量」: the topic as a frame or a purpose, not as work done.
        if _FRAME_BEFORE_RE.search(self.text, max(0, pos - 12), pos) and _FRAME_AFTER_RE.match(self.text, end):
            return 0
        if _PURPOSE_AFTER_RE.match(self.text, end):
            return 0
        si = self.idx.sentence_index(pos)
        if si not in self._memo:
            self._memo[si] = self._sentence_evidence(si, pos)
        sent_start, sent_end, marks, done = self._memo[si]
        if sent_end <= sent_start:
            return 0
        lo, hi = max(sent_start, pos - WORK_WINDOW), min(sent_end, end + WORK_WINDOW)
        semi = self.text.rfind("；", lo, pos)
        lo = semi + 1 if semi >= 0 else lo
        semi = self.text.find("；", end, hi)
        hi = semi if semi >= 0 else hi
        # 2: a figure or named practice near the keyword; 1: a done-word near it. A done-word inside the keyword
        # itself (组织 in 组织生活, 发展 in 发展党员) is no evidence of work.
        if any(lo <= m < hi for m in marks):
            return 2
        return int(any(lo <= d < hi and not (pos <= d < end) for d in done))

    def _sentence_evidence(self, si: int, pos: int) -> tuple[int, int, list[int], list[int]]:
        sent = self.idx.sentences[si] if self.idx.sentences else None
        if sent is None or not (sent.start <= pos < sent.end):
            return (0, 0, [], [])
        i = bisect_left(self._sec_starts, pos + 1) - 1
        kind = self.sections[i][2] if i >= 0 and pos < self.sections[i][1] else None
        para = self.idx.paragraph_at(pos)
        heading = para is not None and para.end - para.start <= 30 and "。" not in self.text[para.start:para.end]
        if kind in _NOT_WORK_KINDS or heading:
            return (0, 0, [], [])
        j, k = bisect_left(self.marks, sent.start), bisect_left(self.marks, sent.end)
        done = [m.start() for m in _DONE_RE.finditer(self.text, sent.start, sent.end)
                if not _GENERIC_DONE_RE.match(self.text, max(sent.start, m.start() - 2), m.start())]
        return (sent.start, sent.end, self.marks[j:k], done)


def check_topics(text: str, idx: TextIndex, topics: list[tuple[str, ...]], sections=(),
                 marks: list[int] = ()) -> list[dict]:
    """Coverage of each topic with a degree: covered (concrete work reported), partly (mentioned), absent.

    ``marks`` are offsets of data points and named practices; ``sections`` the report's parts (mentions in the
    problem, cause and plan parts never make a topic covered).
    """
    work = _WorkSentences(text, idx, sections, list(marks))
    out = []
    for topic in topics:
        name, source = topic[0], topic[1]
        weak = topic[2] if len(topic) > 2 else ""
        evidence = []
        hits = 0
        concrete = False
        done_sentences: set[int] = set()
        for src, strong in ((source, True), (weak, False)):
            if not src or (not strong and (hits or concrete)):
                continue
            for m in _topic_regex(src).finditer(text):
                if m.start() in work.books or m.start() in work.other_sense:
                    continue
                hits += 1
                strength = work.concrete(m.start(), m.end()) if strong else 0
                if strength == 1:
                    done_sentences.add(idx.sentence_index(m.start()))
                # Covered: a figure or named practice next to the keyword, or work words in enough sentences.
                concrete = concrete or strength == 2 or len(done_sentences) >= MIN_DONE_SENTENCES
                if len(evidence) < MAX_EVIDENCE:
                    sent = idx.sentence_at(m.start())
                    evidence.append({
                        "keyword": m.group(),
                        "span": [m.start(), m.end()],
                        "sentence": text[sent.start:sent.end][:200] if sent else m.group(),
                    })
                if concrete and len(evidence) >= MAX_EVIDENCE:
                    break
        degree = "covered" if concrete else ("partly" if hits else "absent")
        out.append({"topic": name, "covered": hits > 0, "degree": degree, "hits": hits, "evidence": evidence})
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
        spans = [[start, end]]
        # A short heading line is judged together with the paragraph that follows it, unless that is a heading.
        if end - start <= 40 and "。" not in text[start:end].rstrip("。"):
            i = bisect_left(idx._para_starts, start)
            if i + 1 < len(paras) and not _HEADING_ANY_RE.match(text, paras[i + 1].start, paras[i + 1].end):
                nxt = paras[i + 1]
                end = nxt.end
                seen.add(nxt.start)
                spans.append([nxt.start, nxt.end])
        block = text[start:end]
        labels = [lm.group() for lm in _LABEL_RE.finditer(block)]
        stripped = _LABEL_RE.sub(lambda x: "□" * len(x.group()), block)
        if _CONTENT_RE.search(stripped):
            continue
        shown = "”“".join(dict.fromkeys(labels))
        out.append({
            "text": block[:120],
            "span": [start, end],
            # One span per paragraph: a highlight never runs over a line break into the next heading.
            "spans": spans,
            "labels": list(dict.fromkeys(labels)),
            "reason": f"段落以“{shown}”立题，但没有写党员、党组织、组织生活等党建内容，疑似“两张皮”",
        })
    return out

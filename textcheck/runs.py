"""Problems and requirements listed in running text, as speeches and news items write them.

Two forms are recognised:
* numbered runs: 「存在的突出问题：一是…二是…」, 「提出三点要求：一要…二要…」, 「首先…其次…」, 「（1）…（2）…」;
  a run is 1, 2, 3 … of one marker family, each marker at a clause start. What the run lists is read from its
  lead-in (the last cue word before the first marker wins: 「在肯定成绩的同时提出三点要求」 lists requirements).
  A run that starts inside an item of an earlier run is a list of sub-items and is not counted again.
* unnumbered lists after a lead-in: 「共性问题，比如…、…、…」, 「提出了…、…和…等四个问题」.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._text import TextIndex, strip_span

_CN = "一二三四五六七八九十"
_CN_VALUE = {c: i + 1 for i, c in enumerate(_CN)}
_MARKER_RE = re.compile(
    rf"(?=[ \t\u3000]*[{_CN}首其再最第（(])(?:"
    # At a clause start, or straight after the lead-in word: 「存在的主要问题一是…」.
    rf"(?:(?<![^\n。；;：:，,！？!?\s])|(?<=问题|不足|短板|要求|意见|建议|希望))[ \t\u3000]*(?:"
    rf"(?P<shi>[{_CN}]{{1,2}})是(?![否非的])"
    rf"|第(?P<di>[{_CN}]{{1,2}})[，、,：:]"
    rf"|[（(](?P<par>\d{{1,2}})[)）]"
    rf")"
    # 一要/首先 also follow a subject directly: 「他要求各支部一要…」, 「书记首先要做到…」.
    rf"|(?<![第统唯之同万单专逐不])(?P<yao>[{_CN}]{{1,2}})要(?![求素务件点])(?=[\u4e00-\u9fff“])"
    rf"|(?P<seq>首先|其次|再次|最后)(?=[，,：:]?[\u4e00-\u9fff“])"
    rf")"
)
_SEQ_VALUE = {"首先": 1, "其次": 2, "再次": 3}
_MAX_GAP = 1500  # characters between two markers of one run
_LEAD_WINDOW = 80

_PROBLEM_CUE = r"问题|不足|差距|短板|薄弱|弱项|不够|表现在|症结|不到位"
_MEASURE_CUE = r"要求|建议|希望|意见|强调|努力方向|措施|举措|打算|下一步|下步|以下几点|做好以下|提出"
_STRENGTH_CUE = r"成绩|成效|亮点|特点|感受|评价|肯定|经验|做法|体现在|取得|特色|收获"
# Items that praise («能够…», «都能…») are strengths whatever the lead-in says.
_PRAISE_RE = re.compile(r"(?:能够|都能|较好|均能|普遍)")
# 「会议有三项议程：一是…」: the steps of the meeting itself.
_AGENDA_CUE = r"议程|环节|程序|流程|步骤"
_CUE_RE = re.compile(
    rf"(?P<problem>{_PROBLEM_CUE})|(?P<measure>{_MEASURE_CUE})|(?P<strength>{_STRENGTH_CUE})|(?P<agenda>{_AGENDA_CUE})"
)
_ITEM_END_RE = re.compile(r"[。；;！？!?\n]")

# Unnumbered lists: 「共性问题，比如…」 and 「提出了…等四个问题」.
_LIST_AFTER_RE = re.compile(
    r"(?:问题|不足|短板|差距)[^。；：:\n]{0,4}?(?:包括|比如|例如|主要是|表现为|如)[：:，,]?"
)
_LIST_BEFORE_RE = re.compile(
    rf"(?:提出了?|指出了?|存在(?:着)?)(?P<list>[^。\n]{{6,150}}?)等(?:[{_CN}多几]个|一些)?(?:问题|不足|短板)"
)
_LIST_END_RE = re.compile(rf"等(?:等|[{_CN}多几]个)?(?:问题|不足|方面|现象)?(?=[，,。；;\n]|$)|[。\n]")
_PROBLEM_WORD_RE = re.compile(r"不|缺|弱|难|少|低|差|单一|疏漏|欠缺|有待|需要|亟待|还需|仍需|偏|滞后|老化|流于")


@dataclass
class Item:
    kind: str  # "problems" or "measures"
    start: int
    end: int
    text: str

    def as_dict(self) -> dict:
        return {"text": self.text, "span": [self.start, self.end]}


def _marker_value(m: re.Match[str]) -> tuple[str, int | None]:
    for fam in ("shi", "yao", "di"):
        if m.group(fam):
            digits = m.group(fam)
            if len(digits) == 1:
                return fam, _CN_VALUE[digits]
            return fam, (10 + _CN_VALUE.get(digits[1], 0)) if digits[0] == "十" else None
    if m.group("seq"):
        return "seq", _SEQ_VALUE.get(m.group("seq"))  # 最后 closes a run, numbered below
    return "par", int(m.group("par"))


def _runs(text: str) -> list[list[tuple[int, int]]]:
    """Marker runs as lists of (marker start, marker end)."""
    open_runs: dict[str, tuple[int, int, list[tuple[int, int]]]] = {}  # family -> (last value, last pos, markers)
    done: list[list[tuple[int, int]]] = []
    for m in _MARKER_RE.finditer(text):
        fam, value = _marker_value(m)
        start = m.start(fam) if m.group(fam) else m.start()
        if fam == "di" or fam == "par":
            start = m.start() + len(m.group()) - len(m.group().lstrip(" \t\u3000"))
        cur = open_runs.get(fam)
        if fam == "seq" and value is None and cur and cur[0] >= 2 and start - cur[1] <= _MAX_GAP:
            value = cur[0] + 1  # 最后 closes 首先…其次…
        if value == 1:
            if cur and len(cur[2]) >= 2:
                done.append(cur[2])
            open_runs[fam] = (1, start, [(start, m.end())])
        elif cur and value == cur[0] + 1 and start - cur[1] <= _MAX_GAP:
            cur[2].append((start, m.end()))
            open_runs[fam] = (value, start, cur[2])
    for _, _, markers in open_runs.values():
        # A single first item is a list only when the (excerpted) text stops inside it.
        if len(markers) >= 2 or not text[markers[0][1]:].strip(" \t\u3000\n").count("\n") and len(text) - markers[0][1] < 200:
            done.append(markers)
    done.sort(key=lambda r: r[0][0])
    return done


def _lead_kind(text: str, start: int, floor: int) -> str | None:
    last = None
    for m in _CUE_RE.finditer(text, max(floor, start - _LEAD_WINDOW), start):
        last = m.lastgroup
    return last


def _clause(text: str, start: int, end: int) -> str:
    m = _ITEM_END_RE.search(text, start, end)
    return text[start:m.start() if m else end][:120].rstrip("，,、：: \t\u3000")


def find_listed_items(text: str, idx: TextIndex) -> list[Item]:
    items: list[Item] = []
    covered: list[tuple[int, int]] = []
    # What an unnumbered list may not overlap: a run's last item ends at its first full stop here, so
    # 「五是…。但同时也存在着一些共性问题，比如…」 still reads the list after it.
    tight: list[tuple[int, int]] = []
    floor = 0
    runs = _runs(text)
    for ri, run in enumerate(runs):
        first = run[0][0]
        if any(s <= first < e for s, e in covered):
            continue  # sub-items of an accepted item
        kind = _lead_kind(text, first, floor)
        spans = []
        for i, (ms, me) in enumerate(run):
            if i + 1 < len(run):
                end = run[i + 1][0]
            else:
                end = idx.paragraph_end(ms)
                # A later run in the same paragraph after a full stop is a new list, not sub-items.
                later = [r[0][0] for r in runs[ri + 1:] if me < r[0][0] < end]
                if later and re.search(r"[。！？]", text[me:later[0]]):
                    end = later[0]
            s, e = strip_span(text, me, end)
            while s < e and text[s] in "：:，,、":
                s += 1
            spans.append((s, max(s, e)))
        praise = sum(1 for s, e in spans if _PRAISE_RE.match(text, s))
        if praise * 2 > len(spans):
            kind = "strength"
        elif kind is None:
            yao = sum(1 for s, e in spans if "要" in text[s:min(e, s + 12)])
            kind = "measure" if yao * 2 >= len(spans) else None
        run_end = spans[-1][1]
        # The next run's lead-in may sit in this run's last item, after its first sentence.
        stop = _ITEM_END_RE.search(text, run[-1][1], run_end)
        floor = stop.end() if stop else run_end
        covered.append((first, run_end))
        tight.append((first, floor))
        if kind not in ("problem", "measure"):
            continue
        name = "problems" if kind == "problem" else "measures"
        for s, e in spans:
            para_end = idx.paragraph_end(s)
            items.append(Item(name, s, min(e, para_end), _clause(text, s, e)))
    items.extend(_unnumbered_problems(text, tight))
    items.sort(key=lambda it: it.start)
    return items


def _unnumbered_problems(text: str, covered: list[tuple[int, int]]) -> list[Item]:
    out: list[Item] = []
    spans: list[tuple[int, int]] = []
    for m in _LIST_AFTER_RE.finditer(text):
        end_m = _LIST_END_RE.search(text, m.end())
        spans.append((m.end(), end_m.start() if end_m else len(text)))
    for m in _LIST_BEFORE_RE.finditer(text):
        spans.append((m.start("list"), m.end("list")))
    # 「…不足，包括…」 is read from its lead-in first; a 「提出…等问题」 over the same words is the same list.
    for start, end in spans:
        if any(s < end and start < e for s, e in covered) or end - start < 4:
            continue
        covered.append((start, end))
        out.extend(_split_list(text, start, end))
    return out


def _split_list(text: str, start: int, end: int) -> list[Item]:
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in re.finditer(r"[，,、；;]|和(?=[^，,、；;]*?(?:不|缺|有待|欠))", text[start:end]):
        cut = start + m.start()
        pieces.append((pos, cut))
        pos = start + m.end()
    pieces.append((pos, end))
    merged: list[list[int]] = []
    pending: int | None = None
    for s, e in pieces:
        s, e = strip_span(text, s, e)
        if s >= e:
            continue
        if pending is not None:
            s, pending = pending, None
        if _PROBLEM_WORD_RE.search(text, s, e):
            merged.append([s, e])
        else:
            pending = s  # a fragment without a problem word belongs to the next one
    if pending is not None and merged:
        merged[-1][1] = end
    return [Item("problems", s, e, text[s:e][:120]) for s, e in merged]

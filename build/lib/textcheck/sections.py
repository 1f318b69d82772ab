"""Section and list-item recognition for Chinese report headings."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ._text import TextIndex, strip_span

CN_NUM = "一二三四五六七八九十"
_WS = r"[ \t\u3000]*"

# Heading styles found at the start of a paragraph, ranked from outermost to innermost.
_HEADING_STYLES: list[tuple[int, re.Pattern[str]]] = [
    (0, re.compile(rf"{_WS}第[{CN_NUM}]{{1,3}}(?:部分|篇章)[、，,：:.．\s]?")),
    (1, re.compile(rf"{_WS}[{CN_NUM}]{{1,3}}(?:[、，]|[.．](?!\d))")),
    (2, re.compile(rf"{_WS}[（(][{CN_NUM}]{{1,3}}[)）][、.．]?")),
    (3, re.compile(rf"{_WS}\d{{1,2}}(?:[、．]|\.(?!\d))")),
    (4, re.compile(rf"{_WS}[（(]\d{{1,2}}[)）]")),
    (4, re.compile(rf"{_WS}第[{CN_NUM}]{{1,3}}[，、,：:]")),
    (5, re.compile(rf"{_WS}(?:首先|其次|再次|最后)[，,：:]")),
]
BARE_RANK = -1
# All heading styles in one pattern (first style that matches wins, as in the list), behind a cheap guard.
_HEADING_ANY_RE = re.compile(
    r"(?=[ \t\u3000]*[第一二三四五六七八九十（(0-9首其再最])(?:"
    + "|".join(f"(?P<h{i}>{pat.pattern})" for i, (_, pat) in enumerate(_HEADING_STYLES)) + ")"
)
_HEADING_RANK = {f"h{i}": rank for i, (rank, _) in enumerate(_HEADING_STYLES)}

_RECT_RE = re.compile(
    r"(?:上年度|上一年度|去年|上年|上次|往年|前一年)[^，。]{0,12}(?:问题|整改|点评)|整改(?:落实)?情况|问题整改|整改销号"
)
_PROBLEM_LEAD_RE = re.compile(r"^(?:存在的?|主要|突出|面临的?)?(?:问题|不足|差距|短板)")
_ACTION_LEAD_RE = re.compile(r"(?:聚焦|补齐|破解|解决|针对|着力|狠抓|坚持|强化|推动|加强|提升|深化|完善|突出|围绕|抓)")
_CAUSE_RE = re.compile(r"原因|根源|症结")
_PROBLEM_RE = re.compile(r"问题|不足|差距|短板|薄弱")
_MEASURE_RE = re.compile(r"下一步|下步|打算|今后|思路|措施|计划|举措|努力方向|明年|工作安排|改进方向|工作重点")
_ACHIEVE_RE = re.compile(
    r"成绩|做法|成效|情况|工作开展|主要工作|履职|亮点|经验|特色|成果|取得|开展|完成|工作回顾|主要举措"
)
_DOC_TITLE_RE = re.compile(r"述职|报告|讲话|发言|同志们|材料")
_BRACKETS = "【】[]〔〕<>《》"

# Paragraph/sentence lead-ins used when a report has no heading for a part.
_PROBLEM_INTRO_RE = re.compile(
    r"(?m)(?:^|(?<=[。！？]))[ \t\u3000]*"
    r"(?:(?:但|但是|同时|当然|然而|不过|对照[^，。]{0,12}|回顾[^，。]{0,10})[，,]?[^，。：:]{0,12}?)?"
    r"(?:存在的?(?:主要)?问题|问题和不足|问题与不足|不足和问题|差距和不足|不足之处|短板和不足"
    r"|存在(?:着)?(?:一些|不少|以下|许多|诸多)?(?:差距|不足|短板|问题))"
)
_MEASURE_INTRO_RE = re.compile(
    r"(?m)^[ \t\u3000]*(?:下一步|下步|今后|明年|新的一年|在今后的工作中|20\d\d年(?:，|,)?(?:我|我们|我将|将)"
    r"|接下来)"
)

# List-item marker families inside a problems/measures section.
_ITEM_FAMILIES: list[tuple[str, bool, re.Pattern[str]]] = [
    ("cn_dun", False, re.compile(rf"(?m)^{_WS}[{CN_NUM}]{{1,3}}(?:、|[.．](?!\d))")),
    ("paren_cn", False, re.compile(rf"(?m)^{_WS}[（(][{CN_NUM}]{{1,3}}[)）][、.．]?")),
    ("arabic", False, re.compile(rf"(?m)^{_WS}\d{{1,2}}(?:[、．]|\.(?!\d))")),
    ("paren_ar", False, re.compile(rf"(?m)^{_WS}(?:[（(]\d{{1,2}}[)）]|[①②③④⑤⑥⑦⑧⑨⑩])")),
    ("shi", True, re.compile(rf"(?m)(?:^|(?<=[。；;：:！？ \t\u3000]))[ \t\u3000]*[{CN_NUM}]{{1,3}}是[：:，,]?")),
    ("di", True, re.compile(rf"(?m)(?:^|(?<=[。；;：:！？]))[ \t\u3000]*第[{CN_NUM}]{{1,3}}[，、,：:]")),
    ("seq", False, re.compile(rf"(?m)^{_WS}(?:首先|其次|再次|再者|此外|另外|最后)[，,：:]")),
]
_LEAD_END_RE = re.compile(r"[。；;！？!?\n]")
_CLOSING_RE = re.compile(r"请.{0,6}评议|请予|批评指正|不妥之处|谢谢|以上(?:是|为|就是)?我的?述职")
_SENT_SPLIT_RE = re.compile(r"[^。；;！？!?\n]+[。；;！？!?]?")


@dataclass
class Section:
    kind: str
    title: str
    start: int
    end: int
    body_start: int

    def as_dict(self) -> dict:
        return {"kind": self.kind, "title": self.title, "span": [self.start, self.end]}


@dataclass
class _Heading:
    rank: int
    start: int
    title_end: int
    kind: str | None
    title: str


# A top-level heading inside a long line: 「…述职报告 一、履行职责情况 1、抓责任落实…」.
_FLAT_HEADING_RE = re.compile(
    rf"[ \t\u3000]+(?=(?:[{CN_NUM}]{{1,2}}、|\d{{1,2}}、|[（(][{CN_NUM}]{{1,2}}[)）])[ \t\u3000]?\S)"
)
_FLAT_LINE = 300


def unflatten(text: str) -> str:
    """Give a report flattened into long lines its paragraph breaks back, without moving any offset.

    Only lines longer than _FLAT_LINE are touched, and only a blank right before a numbered heading
    becomes a line break.
    """
    if not any(len(line) > _FLAT_LINE for line in text.split("\n")):
        return text
    chars = list(text)
    pos = 0
    for line in text.split("\n"):
        if len(line) > _FLAT_LINE:
            for m in _FLAT_HEADING_RE.finditer(line):
                chars[pos + m.end() - 1] = "\n"
        pos += len(line) + 1
    return "".join(chars)


def classify_title(title: str) -> str | None:
    t = title.strip(_BRACKETS + " \t\u3000：:")
    if _RECT_RE.search(t):
        return "rectification"
    if _PROBLEM_LEAD_RE.search(t) or (_PROBLEM_RE.search(t) and _CAUSE_RE.search(t)):
        return "problems"  # 「存在的主要问题和原因分析」 lists problems (with their causes)
    if _CAUSE_RE.search(t):
        return "causes"
    if _PROBLEM_RE.search(t):
        # "聚焦短板弱项，…" is a plan or an achievement, not a list of problems.
        return None if _ACTION_LEAD_RE.match(t) else "problems"
    if _MEASURE_RE.search(t):
        return "measures"
    if _ACHIEVE_RE.search(t):
        return "achievements"
    return None


_TITLE_GAP_RE = re.compile(r"(?<=\S{2})[ \t\u3000]+(?=\S)")


def _title_end(text: str, start: int, para_end: int) -> int:
    m = _LEAD_END_RE.search(text, start, para_end)
    end = m.start() + (1 if text[m.start()] in "。" else 0) if m else para_end
    # In a flattened report the title ends at the blank before its first sentence: 「存在问题及原因 一是…」.
    gap = _TITLE_GAP_RE.search(text, start + 1 if text[start:start + 1].isspace() else start, end)
    return gap.start() if gap else end


def _find_headings(text: str, idx: TextIndex) -> list[_Heading]:
    found: list[_Heading] = []
    for para in idx.paragraphs:
        line_len = para.end - para.start
        m = _HEADING_ANY_RE.match(text, para.start, para.end)
        if m and m.end() < para.end:
            tend = _title_end(text, m.end(), para.end)
            name = text[m.end():tend]
            found.append(_Heading(_HEADING_RANK[m.lastgroup], para.start, tend, classify_title(name[:30]),
                                  text[para.start:tend].rstrip("。")))
        else:
            if line_len <= 24:
                line = text[para.start:para.end]
                if not re.search(r"[，。；,;]", line) and not _DOC_TITLE_RE.search(line):
                    kind = classify_title(line)
                    if kind:
                        found.append(_Heading(BARE_RANK, para.start, para.end, kind, line))
    return found


def find_sections(text: str, idx: TextIndex) -> list[Section]:
    headings = _find_headings(text, idx)
    numbered = [h for h in headings if h.rank != BARE_RANK]
    classified_ranks = sorted({h.rank for h in numbered if h.kind})
    if classified_ranks:
        top = classified_ranks[0]
    else:
        counts: dict[int, int] = {}
        for h in numbered:
            counts[h.rank] = counts.get(h.rank, 0) + 1
        multi = sorted(r for r, c in counts.items() if c >= 2)
        top = multi[0] if multi else None
    chosen = [h for h in headings if h.rank == BARE_RANK or h.rank == top]
    chosen.sort(key=lambda h: h.start)

    # Unnamed headings before the first problem/measure part are achievements;
    # after it they are sub-parts and stay inside the previous section.
    bounds: list[tuple[int, int, str, str]] = []  # start, body_start, kind, title
    seen_later_part = False
    last_bare = False
    for h in chosen:
        kind = h.kind
        if kind == "achievements" and seen_later_part:
            kind = None  # achievements come first; later "完成/开展" headings are plans
        if kind in ("problems", "causes", "measures"):
            seen_later_part = True
        if kind is None:
            if last_bare:
                continue  # numbered points under a bare title such as 【工作成效】
            if not seen_later_part:
                kind = "achievements"
            elif last_bare or not bounds or bounds[-1][2] not in ("problems", "causes"):
                continue  # a numbered item inside a bare-titled part, or a sub-part
            else:
                kind = "measures"  # an unnamed part right after the problems: the plans
        bounds.append((h.start, h.title_end, kind, h.title))
        last_bare = h.rank == BARE_RANK

    kinds = {b[2] for b in bounds}
    if "problems" not in kinds:
        m = _PROBLEM_INTRO_RE.search(text)
        if m:
            s, _ = strip_span(text, m.start(), m.end())
            bounds.append((s, s, "problems", _clause(text, s)))
    if "measures" not in kinds:
        after = max((b[0] for b in bounds if b[2] == "problems"), default=0)
        for m in _MEASURE_INTRO_RE.finditer(text):
            s, _ = strip_span(text, m.start(), m.end())
            if s > after:
                bounds.append((s, s, "measures", _clause(text, s)))
                break
    bounds.sort(key=lambda b: b[0])

    sections: list[Section] = []
    first = bounds[0][0] if bounds else len(text)
    pre_s, pre_e = strip_span(text, 0, first)
    if pre_s < pre_e:
        first_line = text[pre_s:pre_e].split("\n", 1)[0][:40]
        sections.append(Section("other", first_line, pre_s, pre_e, pre_s))
    for i, (start, body_start, kind, title) in enumerate(bounds):
        end = bounds[i + 1][0] if i + 1 < len(bounds) else len(text)
        s, e = strip_span(text, start, end)
        if s < e:
            sections.append(Section(kind, title.strip(), s, e, max(body_start, s)))
    return sections


def _clause(text: str, start: int) -> str:
    m = re.compile(r"[，。：:；;\n]").search(text, start, start + 60)
    return text[start:m.start() if m else min(len(text), start + 30)]


def extract_items(text: str, idx: TextIndex, section: Section) -> list[dict]:
    """Split a section body into its listed items."""
    body_s, body_e = section.body_start, section.end
    best: tuple[int, str, bool, list[re.Match[str]]] | None = None
    for name, inline, pat in _ITEM_FAMILIES:
        matches = list(pat.finditer(text, body_s, body_e))
        if matches and (best is None or matches[0].start() < best[0]):
            best = (matches[0].start(), name, inline, matches)
    items: list[dict] = []
    if best is not None:
        _, _, inline, matches = best
        for i, m in enumerate(matches):
            end = matches[i + 1].start() if i + 1 < len(matches) else body_e
            if inline:
                end = min(end, idx.paragraph_end(m.start()))
            _add_item(text, items, m.end(), end)
        return items
    paras = [p for p in idx.paragraphs if p.start >= body_s and p.end <= body_e]
    paras = [p for p in paras if not text[p.start:p.end].rstrip().endswith(("：", ":"))]
    if len(paras) == 1:
        p = paras[0]
        colon = max(text.rfind("：", p.start, p.end), text.rfind(":", p.start, p.end))
        start = colon + 1 if colon >= 0 else p.start
        for m in _SENT_SPLIT_RE.finditer(text, start, p.end):
            _add_item(text, items, m.start(), m.end())
    else:
        for p in paras:
            _add_item(text, items, p.start, p.end)
    return items


def _add_item(text: str, items: list[dict], start: int, end: int) -> None:
    s, e = strip_span(text, start, end)
    while s < e and text[s] in "：:，,、":
        s += 1
    if e - s < 4:
        return
    m = _LEAD_END_RE.search(text, s, e)
    lead = text[s:m.start() if m else e]
    if _CLOSING_RE.search(lead):
        return
    items.append({"text": lead[:120], "span": [s, e]})

"""Concrete figures (data points): number + unit, percentages, Chinese fractions."""

from __future__ import annotations

import re

from ._text import TextIndex

# Units that make a bare number a figure about work done. "年" is handled apart
# because four-digit years are dates, not data.
_UNITS = (
    "人次|课时|学时|批次|平方米|平米|公里|千米|公斤|小时|个月|万元|亿元|千元"
    "|个|项|次|名|人|户|家|场|期|批|篇|件|条|元|天|周|米|㎡|亩|支|所|村|座|处|间|台|套|本"
    "|份|轮|位|分|倍|册|部|张|块|辆|吨|组|类|堂|节|栋|幢|起|年"
)
_ARABIC = r"\d+(?:[.．]\d+)?"
_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_ALL = _CN_DIGITS + "十百千万亿"

_FIGURE_RE = re.compile(
    "|".join(
        [
            # 95% / 95.5％ / 3‰
            rf"(?P<pct>{_ARABIC}\s*[%％‰])",
            # 百分之九十五 / 三分之一 / 二分之一以上
            rf"(?P<frac>(?:百|[{_CN_ALL}]+)分之[{_CN_ALL}点]+)",
            # 120万元 / 3.5万余元 / 300多名 / 18个
            rf"(?P<ar>(?P<ard>{_ARABIC})(?:[万千百亿](?![{_CN_ALL}]))?(?:余|多)?(?P<aru>{_UNITS}))",
            # 二十三个 / 两次 / 五名 (single 一 is excluded below)
            rf"(?P<cn>(?P<cnd>[{_CN_ALL}]{{1,6}}?)(?:余|多)?(?P<cnu>{_UNITS}))",
            # 八成 / 九成以上
            r"(?P<cheng>[一二三四五六七八九]成(?=以上|左右|多|[，。；、,]))",
        ]
    )
)
# Chinese-numeral units where a small count is ordinary prose ("一个", "两个维护",
# "三年" in slogans), so only counts of ten or more are taken with them.
_WEAK_CN_UNITS = {"个", "项", "年", "分", "条", "类", "届", "部", "组", "本", "节", "天", "周", "期", "场", "件", "起"}
_PLACEHOLDER = "Xx×＊*XＸｘ"
_BOOK_OPEN, _BOOK_CLOSE = "《", "》"


def _in_book_title(text: str, pos: int) -> bool:
    # Figures inside 《...》 are part of a document's name.
    o = text.rfind(_BOOK_OPEN, max(0, pos - 60), pos)
    if o < 0:
        return False
    c = text.find(_BOOK_CLOSE, o, pos)
    return c < 0


def find_figures(text: str, idx: TextIndex, quote_spans: list[tuple[int, int]] | None = None) -> list[dict]:
    out: list[dict] = []
    quotes = quote_spans or []
    qi = 0
    for m in _FIGURE_RE.finditer(text):
        s, e = m.start(), m.end()
        value = m.group()
        prev = text[s - 1] if s else ""
        nxt = text[e] if e < len(text) else ""
        if prev in _PLACEHOLDER or nxt in _PLACEHOLDER or prev.isdigit() or prev == ".":
            continue
        if prev == "第" or prev == "前" and value[-1] == "名":
            continue  # ordinals: 第3名, 前3名 are ranks
        kind = m.lastgroup
        if kind == "ar":
            number, unit = m.group("ard"), m.group("aru")
            if unit == "年" and (len(number) == 4 or nxt == "度"):
                continue  # 2019年, 2019年度
        elif kind == "cn":
            digits, unit = m.group("cnd"), m.group("cnu")
            if digits in ("一", "零", "〇") or prev in _CN_ALL:
                continue
            if unit in _WEAK_CN_UNITS and not any(c in digits for c in "十百千万亿"):
                continue
            if unit == "分" or nxt in "会届大中":
                continue
        if nxt == "是" or (kind == "cn" and nxt in "级星"):
            continue
        if _in_book_title(text, s):
            continue
        while qi < len(quotes) and quotes[qi][1] <= s:
            qi += 1
        if qi < len(quotes) and quotes[qi][0] <= s < quotes[qi][1]:
            continue  # part of a quoted practice name, e.g. “三服务三心人”
        sent = idx.sentence_at(s)
        out.append(
            {
                "text": value,
                "span": [s, e],
                "sentence": text[sent.start:sent.end] if sent else value,
            }
        )
    return out

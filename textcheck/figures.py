"""Concrete figures (data points): number + unit, percentages, Chinese fractions."""

from __future__ import annotations

import re

from ._text import TextIndex

# Units that make a bare number a figure about work done. "年" is handled apart
# because four-digit years are dates, not data.
_UNITS = (
    "人次|课时|学时|批次|平方公里|平方米|平米|公里|千米|公斤|小时|个小时|个月|万元|亿元|千元|岁"
    "|个|项|次|名|人|户|家|场|期|批|篇|件|条|元|天|周|米|㎡|亩|支|所|村|座|处|间|台|套|本"
    "|份|轮|位|分|倍|册|部|张|块|辆|吨|组|类|堂|节|栋|幢|起|年|盏|棵|株|头|只|眼|种"
    # 「12大项46小项」「9大类」: a size word between the number and the unit
    "|[大小](?:项|类)"
)
_ARABIC = r"\d+(?:[.．]\d+)?"
_CN_DIGITS = "零〇一二两三四五六七八九"
_CN_ALL = _CN_DIGITS + "十百千万亿"

# The lookahead lets the engine skip positions that cannot start a figure with one test.
_FIGURE_RE = re.compile(
    "(?=[0-9０-９零〇一二两三四五六七八九十百千万亿])(?:" + "|".join(
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
    ) + ")"
)
# Chinese-numeral units where a small count is ordinary prose ("一个", "两个维护",
# "三年" in slogans), so only counts of ten or more are taken with them.
_WEAK_CN_UNITS = {"个", "项", "年", "分", "条", "类", "届", "部", "组", "本", "节", "天", "周", "期", "场", "件", "起", "村", "套",
                  "头", "只", "眼", "种",
                  "大项", "小项", "大类", "小类"}
# 「万家欢庆」「千家万户」: a bare magnitude is a manner of speaking, not a count.
_BARE_MAGNITUDES = {"十", "百", "千", "万", "亿", "千万", "百万", "万千", "成千", "上万"}
# In news, a count of secretaries is the meeting's or the process's (「三位支部书记」「被免职的村支书就有3位」).
_SECRETARY_RE = re.compile(r"书记|支书")
_PLACEHOLDER = "Xx×＊*XＸｘ"
# A small Chinese count with a weak unit is still data when it counts organisations: 六个村, 三个支部.
_ORG_NOUN_RE = re.compile(r"[^，。；、\n]{0,2}?(?:村|支部|社区|党组织|网格|企业|乡镇|单位|小组)")
# Unit characters that start another word: 二支部 (ordinal), 320组织 (a room number), 100周年, 6分钟.
_UNIT_WORD_AFTER = {"支": "部", "组": "织", "周": "年", "分": "钟", "场": "所", "部": "门署分长", "项": "目"}
# Building numbers in an address are followed by a floor, a unit or a room number.
_ADDRESS_UNITS = {"栋", "幢", "座"}
# (「3栋楼」 is a count of buildings; 「3栋23楼」「5幢2单元」 an address.)
_ADDRESS_AFTER_RE = re.compile(r"[0-9０-９一二三四五六七八九十]+(?:楼|层|单元|室|号)|单元")
_RANGE_MARKS = "—–-~～至到"
# A target or a forecast in the figure's clause (「争取上级资金85万元」 is money obtained, so 争取 is not one).
# 「投产达产后可为企业新增产值2000万元以上」: what a project will bring once finished is a forecast too.
_TARGET_RE = re.compile(r"力争|预计|目标是|计划(?:到|于|在)|确保到|到20\d\d年(?:底|末)|(?:建成|投产|达产|投用|运营)后[可将能]")
_RANK_RE = re.compile(r"排名|名列|位列|位居")
# Thresholds and criteria: 收入5万元以上的村, 不少于6次, 至少三分之一的时间.
_THRESHOLD_BEFORE_RE = re.compile(r"(?:不少于|至少|不低于|不超过|不高于|低于)$")
_THRESHOLD_AFTER_RE = re.compile(r"(?:以上|以下|以内|及以上|及以下)(?:的|者)")
# In news and speeches these sentences are about the meeting itself (who came, who reported).
_MEETING_RE = re.compile(
    r"述职|参加|出席|参会|与会|到会|测评|评议|点评|会议|会上|汇报|听取|主持|观摩|发言|报告会|大会|列席|考官|考生"
    r"|提问|发问|打分|评分|满分|等次"
    # A contest or a ranking: entries, finalists, places (「48个党组织…申报」「11支…团队参赛」「46所…中排名第六」).
    r"|申报|入围|参赛|参评|排名"
)
_HEADS_AFTER_RE = re.compile(r"[^，。；、\n]{0,8}?(?:书记|支书|负责人)")
_PERSON_UNITS = {"人", "名", "位", "人次"}
_AUDIENCE_RE = re.compile(r"代表|上台|台下|现场|到场|在场|坐")
_DOC_PART_RE = re.compile(r"(?:措施|意见|规定|要求|举措|方面)")  # 「落实减负的20条措施」「3个方面」: parts, not counts
_CLAUSE_STOP = "，。；！？,;!?\n"
_LONG_QUOTE_RE = re.compile(r"[“\"]([^“”\"\n]{13,}?)[”\"]")
_BOOK_OPEN, _BOOK_CLOSE = "《", "》"


def _in_book_title(text: str, pos: int) -> bool:
    # Figures inside 《...》 are part of a document's name.
    o = text.rfind(_BOOK_OPEN, max(0, pos - 60), pos)
    if o < 0:
        return False
    c = text.find(_BOOK_CLOSE, o, pos)
    return c < 0


def _clause_bounds(text: str, s: int, e: int) -> tuple[int, int]:
    lo = max(text.rfind(c, max(0, s - 80), s) for c in _CLAUSE_STOP) + 1
    his = [i for i in (text.find(c, e, e + 80) for c in _CLAUSE_STOP) if i >= 0]
    return lo, min(his) if his else min(len(text), e + 80)


def find_figures(
    text: str, idx: TextIndex, quote_spans: list[tuple[int, int]] | None = None, kind: str = "report"
) -> list[dict]:
    out: list[dict] = []
    quotes = list(quote_spans or [])
    report = kind == "report"
    if not report:
        # Quoted speech in a news item or a speech is someone else's claim, not the unit's work.
        quotes = sorted(quotes + [(m.start(), m.end()) for m in _LONG_QUOTE_RE.finditer(text)
                                  if "，" in m.group(1) or "。" in m.group(1) or len(m.group(1)) > 20])
    qi = 0
    has_book = _BOOK_OPEN in text
    for m in _FIGURE_RE.finditer(text):
        s, e = m.start(), m.end()
        value = m.group()
        prev = text[s - 1] if s else ""
        nxt = text[e] if e < len(text) else ""
        if prev in _PLACEHOLDER or nxt in _PLACEHOLDER or prev.isdigit() or prev == ".":
            continue
        if prev == "第" or prev == "前" and value[-1] == "名":
            continue  # ordinals: 第3名, 前3名 are ranks
        group = m.lastgroup
        unit = ""
        if group == "ar":
            number, unit = m.group("ard"), m.group("aru")
            if unit == "年" and (len(number) == 4 or nxt == "度"):
                continue  # 2019年, 2019年度
        elif group == "cn":
            digits, unit = m.group("cnd"), m.group("cnu")
            # 「十余个项目」「百余名」: a magnitude with 余/多 is a count; 「万家」「千家万户」 alone is a manner of speaking.
            bare = digits in _BARE_MAGNITUDES and value[len(digits)] not in "余多"
            if digits in ("一", "零", "〇") or bare or prev in _CN_ALL:
                continue
            small = not any(c in digits for c in "十百千万亿")
            if small and "每" in text[max(0, s - 16):s]:
                continue  # 每人联系两个村、四户: a rule, not a count of work
            if unit in _WEAK_CN_UNITS and small and (
                    unit != "个" or prev in "每这那哪几" or not _ORG_NOUN_RE.match(text, e)):
                continue
            if unit == "分" or nxt in "会届大中":
                continue
        if nxt == "是" or (group == "cn" and nxt in "级星"):
            continue
        if unit and nxt and nxt in _UNIT_WORD_AFTER.get(unit, ""):
            continue
        if unit in _ADDRESS_UNITS and _ADDRESS_AFTER_RE.match(text, e):
            continue  # 「小区3栋23楼」「5幢2单元」: an address, not a count
        if unit == "岁" and (nxt in "以及左至到~～-—" or prev in "满到至~～-—"):
            continue  # 35岁以下, 年满18岁, 30岁至50岁: an age bracket, not a figure
        if unit == "年" and prev in _RANGE_MARKS and s >= 2 and (text[s - 2].isdigit() or text[s - 2] in _CN_ALL):
            continue  # 「力争通过3—5年的努力」: a span of years is a target, not a count
        if unit == "分" and text.startswith("的成绩", e):
            continue  # 「以92.87分的成绩…排名第六」: the review's score
        if (prev in "于少" and _THRESHOLD_BEFORE_RE.search(text, max(0, s - 3), s)) or (
                nxt in "以及" and _THRESHOLD_AFTER_RE.match(text, e)):
            continue
        if _RANK_RE.search(text, *_clause_bounds(text, s, e)):
            continue  # 「在全省46所高职高专院校中排名第六」: the field ranked against, not the unit's work
        if _TARGET_RE.search(text, *_clause_bounds(text, s, e)):
            continue  # 「力争年内实现所有村集体经济收入超过10万元」: a target, not work done
        if has_book and _in_book_title(text, s):
            continue
        while qi < len(quotes) and quotes[qi][1] <= s:
            qi += 1
        if qi < len(quotes) and quotes[qi][0] <= s < quotes[qi][1]:
            continue  # part of a quoted practice name, e.g. “三服务三心人”
        sent = idx.sentence_at(s)
        if not report:
            # News: the whole sentence is about the meeting; a speech judges work, so only the clause counts.
            if kind == "news":
                lo, hi = (sent.start, sent.end) if sent else (s, e)
                # 「述职评议会上，书记们分享了…：某公司与30个业务部门座谈交流；…」: after a colon or between
                # semicolons, the part of the sentence that holds the figure decides, not the meeting lead-in.
                cut = max(text.rfind("：", lo, s), text.rfind("；", lo, s))
                lo = cut + 1 if cut >= 0 else lo
                semi = text.find("；", e, hi)
                hi = semi if semi >= 0 else hi
                # 「…硬化道路200米……24个村党支部书记在述职报告中…」: an ellipsis closes a list of the units' work.
                ell = text.find("……", e, hi)
                if ell >= 0 and text.count("“", lo, e) == text.count("”", lo, e) and "”" not in text[e:ell + 3]:
                    hi = ell
                # People counted in a news item are the meeting's: 27名村民代表, 4位村干部上台.
                if unit in _PERSON_UNITS and (_AUDIENCE_RE.search(text, lo, hi)
                                              or _SECRETARY_RE.search(text, max(lo, s - 8), min(hi, e + 6))):
                    continue
                # 「8个基层党组织负责人分别…」「3家企业负责人」: heads of units counted are the meeting's speakers.
                if unit in "个家" and _HEADS_AFTER_RE.match(text, e):
                    continue
            else:
                lo, hi = _clause_bounds(text, s, e)
            if _MEETING_RE.search(text, lo, hi) or _DOC_PART_RE.match(text, e):
                continue
        out.append(
            {
                "text": value,
                "span": [s, e],
                "sentence": text[sent.start:sent.end] if sent else value,
            }
        )
    return out

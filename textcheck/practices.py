"""Named practices and brands written in quotation marks.

Rule (kept deliberately simple so it is predictable for reviewers):
a quoted phrase counts as a named practice when
  * its inner text is 2..30 characters with no sentence-ending punctuation, and
  * it is not a nationally used slogan or term (``SLOGANS``), and
  * it looks like a name: it contains a numeral (“三服务三心人”, “6543”), or a "+"
    (“党建+电商”), or it ends in — or is directly followed by — a practice word such as
    工作法/模式/工程/机制/品牌/行动 (“周计划”工作法).
Quoted emphasis (“过关”, “一把手”), quoted speech and long enumerations are left out.
"""

from __future__ import annotations

import re

from .formulas import IDIOM_STARTS, STANDARD_FORMULAS

# “…〞 is common in pasted documents: 〞 closes a “ too.
_PAIRS = [("“", "”〞"), ("‘", "’"), ("「", "」"), ("『", "』"), ("〝", "〞〟"), ('"', '"'), ("＂", "＂")]
_MAX_INNER = 30
_CLOSED_RES = [
    re.compile(rf"{re.escape(o)}([^{re.escape(o + c)}\n]{{1,{_MAX_INNER + 10}}}?)[{re.escape(c)}]")
    for o, c in _PAIRS
]
_OPENER_RE = re.compile("[“‘「『〝\"＂]")
_UNCLOSED_STOP_RE = re.compile(r"[，。；：、,;:！？!?\n“”‘’「」『』〝〞〟\"＂（）()]")

_OLD_SLOGANS = frozenset(
    ["不忘初心、牢记使命", "不忘初心牢记使命", "不忘初心，牢记使命", "四个意识", "四个自信", "两个维护", "两个确立", "四个全面", "五位一体", "三会一课", "两学一做", "一岗双责", "四风", "四气", "三严三实", "八项规定", "三重一大", "一肩挑", "两委", "两新", "两张皮", "一把手", "放管服", "四个合格", "三个代表", "四议两公开", "两个责任", "一票否决", "党建+", "党建＋", "党建引领", "挤水分", "留干货", "三农", "六稳", "六保", "四个服从", "四下基层", "枫桥经验", "三级联述联评联考", "两个覆盖", "五个清楚", "一线", "三基", "第一责任人", "一起抓", "一线指挥长", "双一流", "两不愁三保障", "三资", "两个务必", "三个务必"]
)
SLOGANS = _OLD_SLOGANS | STANDARD_FORMULAS
_LONG_FORMULAS = sorted((f for f in SLOGANS if len(f) >= 3), key=len, reverse=True)
_LONG_FORMULA_RE = re.compile("|".join(re.escape(f) for f in _LONG_FORMULAS))
_PRACTICE_SUFFIX = (
    "工作法|工作机制|工作模式|工作思路|模式|工程|机制|品牌|行动|做法|活动|平台|体系|计划|项目|载体"
    "|制度|工作室|驿站|服务队|队|岗|卡|法|站|中心|课堂|基金|联盟|书屋|讲堂|夜校|超市|银行|积分|清单|服务|室|厅|会|党日"
)
# 「文化党建」「微笑党建」: a short quoted name ending in 党建 is a brand.
_BRAND_RE = re.compile(r"^[\u4e00-\u9fff]{2,4}党建$")
# Suffixes that follow almost any quoted word («“学习”活动»): the name must say more than one word.
_WEAK_SUFFIX_RE = re.compile(r"[^，。；、\n“”]{0,4}?(?:活动|会|服务|平台|计划|项目|载体|室|厅)(?!伍|长|员)")
# Not names: study topics, events, enumerations, targets.
_NOT_NAME_RE = re.compile(
    r"精神|讲话|思想$|周年|暨|大会$|见成效|大变样|走在前列|什么|怎么|如何|哪些|是否"
    r"|^一[\u4e00-\u9fff]{1,2}一[\u4e00-\u9fff]{0,2}$"  # 「一村一品」「一社区一特色」: a formula for every unit
    # Round 5: the same formulas chained (「一支部一品牌一特色」「一区一特色、一街一品牌」「一机关一品牌 一支部一特色」)
    r"|^(?:[、，\s]*一[\u4e00-\u9fff]{1,3}?(?:一(?:品牌|特色|品|策|案|亮点|示范|特点|典型))+)+$"
    r"|.(?:标准|目标|要求)$"  # an unclosed 「“四有一好标准」 runs into the kind word of a standard
    r"|.(?:党支部|支部|党组织)$"  # 「“红旗党支部”培树活动」「“样板党支部”」: a title a branch earns, not a practice
    r"|^[二两三四五六七八九十]+(?:个|项|大|点|条)?(?:举措|措施|要求|方面|意见|建议|感受|政治|带头)$"
    # 「总结会」「谋划会」: a kind of meeting, not a name (「板凳会」 is one)
    r"|^(?:总结|谋划|动员|推进|部署|座谈|报告|现场|观摩|培训|交流|表彰|联席|评议|誓师|调度|分析|碰头|见面|务虚)会$"
)
# Round 5: a generic modifier before a bare practice or carrier word is a common noun, not a proper name:
# 「“邻里中心”」「“社工岗”」「“小网格”」「“政治生日”」, and a practice word alone (「“积分”」). Modifiers that make brands
# («红色驿站», «先锋驿站») are not in the list.
_GENERIC_TERM_RE = re.compile(
    rf"^(?:邻里|社工|小|大|政治|党员|志愿|便民|综合|网格)?(?:{_PRACTICE_SUFFIX}|网格|阵地|生日)$"
)
# Standard formulas joined by a plus are no name (「“规定内容+自选动作”」「“线上+线下”」「“集中+分散”」).
_GENERIC_PLUS_PARTS = frozenset((
    "规定动作", "自选动作", "规定内容", "自选内容", "必修课", "选修课", "线上", "线下", "集中", "分散", "理论", "实践",
    "集中学习", "个人自学", "请进来", "走出去",
))


def _generic_plus(name: str) -> bool:
    parts = [p.strip() for p in re.split(r"[+＋]", name)]
    return len(parts) >= 2 and all(p in _GENERIC_PLUS_PARTS for p in parts)


# A quotation opened by a verb of saying is someone's words.
_SAID_RE = re.compile(r"(?:说|道|表示|指出|强调|认为|坦言|感慨)[：:，,]?$")
_SUFFIX_END_RE = re.compile(rf"(?:{_PRACTICE_SUFFIX})$")
_SUFFIX_INNER_RE = re.compile(r"(?:工作法|工作制度|工作机制|工作模式|模式|工程|机制|品牌|行动|制度)")
# 「“便民”阵地」「“乐民”阵地」: named zones of a brand. 阵地 is a practice word only after the quote (「“红色阵地”」 alone is
# a generic word).
_SUFFIX_AFTER_RE = re.compile(rf"[^，。；、\n“”的]{{0,4}}?(?:{_PRACTICE_SUFFIX}|阵地)(?!伍|长|员)")
# "一" alone is too common (一线, 一起, 第一) to mark a numbered name.
_NUMERAL_RE = re.compile(r"[二两三四五六七八九十百千双\d]|一.*一")
# 「五个带头」 is a slogan; 「三个三」「三个一」 say more (a count of numbered parts).
_COUNT_SLOGAN_RE = re.compile(r"^[二两三四五六七八九十]个(?![一二两三四五六七八九十\d])")
# 「五个基本」「七个体系」「四个合格」: a count of standard parts is a target, not a name (「三个一」 says more).
_COUNT_TARGET_RE = re.compile(r"^[二两三四五六七八九十]个[^一二两三四五六七八九十\d+＋]+$")
_BAD_INNER_RE = re.compile(r"[。！？!?]")
# Template names such as “XX工作法” or “****” are placeholders, not practices.
# An X after a plus or a digit is a variable part of a formula (“1+1+X”, like “1+1+N”), not a placeholder.
_PLACEHOLDER_RE = re.compile(r"(?<![+＋\d])[Xx×Ｘｘ]{1,3}(?![a-wyzA-WYZ])|[*＊]{2,}")
# Targets and standards to reach, not names of a practice: 「四新两高」「双强型」「四有园区」「五好三强」.
_GOAL_RE = re.compile(
    r"^(?:[二两三四五六七八九十双][有好强新高优])+(?:园区|型|支部|党支部|党组织|班子|干部|队伍|目标|标准)?$"
)
# A quoted word directly followed by one of these is a goal, a principle or a standard: 「“四新两高”目标」.
_GOAL_AFTER_RE = re.compile(r"(?:的[\u4e00-\u9fff]{0,2}?|工作)?(?:目标|要求|标准|原则|理念|精神|总要求|思路)|的(?:方式|形式)")
# Honours and titles conferred on a unit: 「被评为“…”」「授予“…”称号」「“千年古城新崛起”突出贡献单位」.
_HONOUR_BEFORE_RE = re.compile(r"(?:授予|荣获|获评|评为|命名为|入选|获得)[^，。；\n]{0,6}$")
_HONOUR_AFTER_RE = re.compile(r"(?:称号|荣誉|突出贡献|先进单位|先进集体|示范单位|奖)")
# 「“小网格”服务“大民生”」「“小品牌”汇聚成“大品牌”」: a short 小/大 word is rhetoric, not a name.
_SMALL_BIG_RE = re.compile(r"^[小大][\u4e00-\u9fff]{1,2}$")
# Quoted words of a person: first person, a trailing ellipsis, or a long clause with commas.
_SPEECH_RE = re.compile(r"我们|咱们|……|…$")
_CLAUSES_RE = re.compile(r"^[^，,]{2,}[，,][^，,]{6,}")
# Names of meetings and dated titles: 「2018年度党支部书记抓党建述职评议会议」, “2022年，…”.
_DATED_RE = re.compile(r"^\d{2,4}年|会议$|述职评议会$")
# A campaign year: 「国企党建规范提升年」「《条例》落实年」.
_CAMPAIGN_YEAR_RE = re.compile(r"(?:提升|落实|建设|攻坚|推进|突破|深化|创新|巩固|规范|质量|作风|服务)年$")
# 「“白衣天使心向党、不忘初心保健康”党建工作总载体」: a slogan made into the name of a carrier or model.
_CARRIER_AFTER_RE = re.compile(r"的?(?:党建工作|党建|工作)?总?(?:载体|模式|品牌|工程|工作法|行动)")
# Brand words may come after a rating: 「“新欣林庄”三星级党建品牌」.
_BRAND_AFTER_RE = re.compile(r"[一二三四五六七八九\d]星级?[\u4e00-\u9fff]{0,4}?(?:品牌|示范点|党支部)")


def find_quotes(text: str) -> list[tuple[int, int, str, bool]]:
    """All quoted segments as (start, end, inner, closed), sorted by start."""
    found: list[tuple[int, int, str, bool]] = []
    taken: set[int] = set()
    for rx in _CLOSED_RES:
        for m in rx.finditer(text):
            found.append((m.start(), m.end(), m.group(1), True))
            taken.add(m.start())
            taken.add(m.end() - 1)
    # Openers left over are unclosed: take the phrase up to the next clause stop.
    for om in _OPENER_RE.finditer(text):
        i = om.start()
        if i not in taken and _opens(text, i) and not _closes_reversed(text, i):
            nl = text.find("\n", i)
            para_end = len(text) if nl < 0 else nl
            if _has_closer(text, i, para_end):
                continue  # closed later but too long to be a name
            stop = _UNCLOSED_STOP_RE.search(text, i + 1, i + 1 + 20)
            end = _shortest_unclosed(text, i + 1, stop.start() if stop else min(len(text), i + 1 + 20))
            if end > i + 1:
                found.append((i, end, text[i + 1:end], False))
    found.sort()
    return found


def _contains_formula(name: str) -> bool:
    # Longest-first alternation: a formula equal to the whole name was already excluded above.
    return any(m.end() - m.start() < len(name) for m in _LONG_FORMULA_RE.finditer(name))


def _shortest_unclosed(text: str, start: int, end: int) -> int:
    """End of an unclosed quote: the shortest plausible name, not everything up to the next comma.

    「“两学一做学习教育活动」 is the formula 两学一做 followed by ordinary words; 「“三个一工作制度」 is the name
    三个一 followed by a practice word.
    """
    inner = text[start:end]
    m = _LONG_FORMULA_RE.match(inner)
    if m:
        return start + m.end()
    m = _SUFFIX_INNER_RE.search(inner, 2)
    return start + m.start() if m else end


def _closes_reversed(text: str, i: int) -> bool:
    """「部分”两代表一委员“及…」: marks typed the wrong way round; this “ closes the ” before it."""
    if text[i] != "“":
        return False
    j = text.rfind("”", max(0, i - 20), i)
    return j >= 0 and "“" not in text[j:i] and "\n" not in text[j:i] and (j == 0 or text[j - 1] != "“")


def _has_closer(text: str, i: int, para_end: int) -> bool:
    opener = text[i]
    closers = next(c for o, c in _PAIRS if o == opener)
    if opener not in closers:
        # A closer after the next opener of the same kind belongs to that opener.
        nxt = text.find(opener, i + 1, para_end)
        para_end = para_end if nxt < 0 else nxt
    return any(text.find(c, i + 1, para_end) >= 0 for c in closers)


def _opens(text: str, i: int) -> bool:
    # An ASCII quote right after a word character is more likely a closer.
    if text[i] in "\"＂":
        return i + 1 < len(text) and not text[i + 1].isspace()
    return True


def is_practice(text: str, end: int, inner: str, start: int = -1) -> bool:
    name = inner.strip()
    if not 2 <= len(name) <= _MAX_INNER or _BAD_INNER_RE.search(name):
        return False
    if name in SLOGANS or name.replace(" ", "") in SLOGANS or _PLACEHOLDER_RE.search(name):
        return False
    if _GOAL_RE.match(name) or _COUNT_TARGET_RE.match(name) or _DATED_RE.search(name) or _SPEECH_RE.search(name) or _parallel_slogan(name):
        return False
    if _CLAUSES_RE.match(name) and _SUFFIX_AFTER_RE.match(text, end) is None:
        return False  # a sentence of someone's, not a name
    if _GOAL_AFTER_RE.match(text, end) and not _SUFFIX_END_RE.search(name):
        return False
    if _CAMPAIGN_YEAR_RE.search(name) or _BRAND_AFTER_RE.match(text, end):
        return True
    if _NOT_NAME_RE.search(name) or name.startswith(IDIOM_STARTS) or _SMALL_BIG_RE.match(name):
        return False
    if start > 0 and _SAID_RE.search(text, max(0, start - 4), start):
        return False
    if _BRAND_RE.match(name) or (len(name) >= 5 and name.endswith("团")):
        return True  # 「文化党建」, 「述职调研考评团」 (a 3-letter 「评审团」 is just a word)
    if "+" not in name and "＋" not in name and not _SUFFIX_END_RE.search(name) \
            and _contains_formula(name) and not _CARRIER_AFTER_RE.match(text, end):
        return False  # built from standard formulas: 「抓一把手和一把手抓」
    if len(name) >= 3 and _CARRIER_AFTER_RE.match(text, end):
        return True
    if name.count("、") >= 2 or name.count("，") >= 2:
        return _SUFFIX_AFTER_RE.match(text, end) is not None and len(name) <= 16
    if "+" in name or "＋" in name:
        # 「规定内容+自选动作」: standard formulas joined by a plus are still standard wording.
        return not all(part.strip() in SLOGANS for part in re.split(r"[+＋]", name) if part.strip())
    if _SUFFIX_END_RE.search(name):
        return True
    if len(name) >= 3 and _NUMERAL_RE.search(name) and not _COUNT_SLOGAN_RE.match(name):
        return True
    if _SUFFIX_AFTER_RE.match(text, end) is None:
        return False
    return len(name) >= 3 or _WEAK_SUFFIX_RE.match(text, end) is None


def _parallel_slogan(name: str) -> bool:
    """「抓灵魂、抓特色、抓发展、抓安全」: three or more parallel phrases opening with the same word are a motto."""
    parts = [p for p in re.split(r"[、，,]", name) if p]
    return len(parts) >= 3 and len({p[0] for p in parts}) == 1


def _plain_candidate(text: str, end: int, inner: str) -> bool:
    """A quoted phrase that no exclusion rules out (it still needs evidence that it is a name)."""
    name = inner.strip()
    if not 3 <= len(name) <= _MAX_INNER or _BAD_INNER_RE.search(name):
        return False
    if name in SLOGANS or name.replace(" ", "") in SLOGANS or _PLACEHOLDER_RE.search(name):
        return False
    if _NOT_NAME_RE.search(name) or name.startswith(IDIOM_STARTS) or _contains_formula(name):
        return False
    return not (_GOAL_RE.match(name) or _DATED_RE.search(name) or _SPEECH_RE.search(name)
                or _parallel_slogan(name) or _GOAL_AFTER_RE.match(text, end))


def rule_flags(text: str, start: int, end: int, inner: str) -> dict[str, bool]:
    """The rules' pieces of evidence about one quoted span, for the trained model (practice_model.features)."""
    name = inner.strip()
    return {
        "slogan": name in SLOGANS or name.replace(" ", "") in SLOGANS,
        "formula_inside": _contains_formula(name),
        "idiom": name.startswith(IDIOM_STARTS),
        "placeholder": bool(_PLACEHOLDER_RE.search(name)),
        "goal": bool(_GOAL_RE.match(name)),
        "count_target": bool(_COUNT_TARGET_RE.match(name)),
        "count_slogan": bool(_COUNT_SLOGAN_RE.match(name)),
        "dated": bool(_DATED_RE.search(name)),
        "speech": bool(_SPEECH_RE.search(name)),
        "clauses": bool(_CLAUSES_RE.match(name)),
        "parallel": _parallel_slogan(name),
        "not_name": bool(_NOT_NAME_RE.search(name)),
        "said_before": start > 0 and bool(_SAID_RE.search(text, max(0, start - 4), start)),
        "honour": (start > 0 and bool(_HONOUR_BEFORE_RE.search(text, max(0, start - 10), start)))
        or bool(_HONOUR_AFTER_RE.match(text, end)),
        "goal_after": bool(_GOAL_AFTER_RE.match(text, end)),
        "suffix_after": bool(_SUFFIX_AFTER_RE.match(text, end)),
        "weak_suffix_after": bool(_WEAK_SUFFIX_RE.match(text, end)),
        "carrier_after": bool(_CARRIER_AFTER_RE.match(text, end)),
        "brand_after": bool(_BRAND_AFTER_RE.match(text, end)),
        "suffix_end": bool(_SUFFIX_END_RE.search(name)),
        "campaign_year": bool(_CAMPAIGN_YEAR_RE.search(name)),
        "brand_dangjian": bool(_BRAND_RE.match(name)),
        "small_big": bool(_SMALL_BIG_RE.match(name)),
    }


# Evidence against a name that no model score overrides: titles, dates, someone's words, targets, mottos.
_VETO_FLAGS = ("slogan", "placeholder", "dated", "speech", "said_before", "goal", "count_target", "parallel", "idiom",
               "honour")
_EVENT_RE = re.compile(r"周年|暨")
_WORDS_RE = re.compile(r"我|[，。！？]")


def _groups(text: str, quotes: list[tuple[int, int, str, bool]]) -> list[list[int]]:
    """Runs of quotes written side by side (「“三联三带”、“三上门”、“送温暖活动周”」), as lists of indexes."""
    groups: list[list[int]] = []
    group: list[int] = []
    for i in range(len(quotes) + 1):
        joined = i < len(quotes) and group and quotes[group[-1]][3] and \
            text[quotes[group[-1]][1]:quotes[i][0]] in ("、", "，", "和", "及", "与", "")
        if joined:
            group.append(i)
            continue
        if group:
            groups.append(group)
        group = [i] if i < len(quotes) else []
    return groups


# Round 4: the document's kind (report / news / critique / speech, kind.detect_kind) is one more feature; a jieba
# dictionary-word feature and a heading feature were tried and left out (5-fold cross-validation on dev: no gain).
def candidates(text: str, quotes: list[tuple[int, int, str, bool]],
               kind: str | None = None) -> list[tuple[bool, list[str] | None]]:
    """For every quote: (the rules' verdict, the model's features or None when the span can never be a name)."""
    from .practice_model import features

    if kind is None:
        from .kind import detect_kind

        kind = detect_kind(text)

    seen: dict[str, int] = {}
    for _, _, inner, _ in quotes:
        seen[inner.strip()] = seen.get(inner.strip(), 0) + 1
    group_size = [1] * len(quotes)
    for g in _groups(text, quotes):
        for j in g:
            group_size[j] = len(g)
    out: list[tuple[bool, list[str] | None]] = []
    words_start = words_end = -1  # the latest quotation of someone's words seen so far (quotes come sorted)
    for i, (start, end, inner, closed) in enumerate(quotes):
        name = inner.strip()
        if len(inner) >= 15 and end > words_end and _WORDS_RE.search(inner):
            words_start, words_end = start, end
        rule_ok = is_practice(text, end, inner, start)
        if not 2 <= len(name) <= _MAX_INNER or _BAD_INNER_RE.search(name) or name in SLOGANS \
                or _GENERIC_TERM_RE.match(name) or _generic_plus(name) \
                or name.replace(" ", "") in SLOGANS or _PLACEHOLDER_RE.search(name):
            out.append((False, None))  # the lexicon and the form rules stay hard limits
            continue
        flags = rule_flags(text, start, end, inner)
        if any(flags[k] for k in _VETO_FLAGS) or _EVENT_RE.search(name):
            out.append((False, None))
            continue
        if start > words_start and end <= words_end:
            out.append((False, None))  # 「“党建是推动我们企业远航的强大‘红色动能’”」: inside someone's words
            continue
        flags["repeat2"] = seen[name] >= 2
        flags["repeat3"] = seen[name] >= 3
        flags["listed"] = group_size[i] >= 3
        flags["paired"] = group_size[i] == 2
        flags["doc_" + kind] = True
        out.append((rule_ok, features(text, start, end, inner, closed, flags)))
    return out


def decide(cands: list[tuple[bool, list[str] | None]], model: dict | None) -> list[bool]:
    """Accept or reject each candidate: the trained model combined with the rules, or the rules alone."""
    if model is None:
        return [ok and feats is not None for ok, feats in cands]
    from .practice_model import combine, probability

    return [feats is not None and combine(model, probability(model, feats), ok) for ok, feats in cands]


def find_practices(text: str, quotes: list[tuple[int, int, str, bool]], model: dict | None | bool = True,
                   kind: str | None = None) -> list[dict]:
    """Named practices among the quotes. ``model``: True = the shipped model, None/False = the rules alone."""
    if model is True:
        from .practice_model import load_model

        model = load_model()
    return finalize(text, quotes, decide(candidates(text, quotes, kind), model or None))


def finalize(text: str, quotes: list[tuple[int, int, str, bool]], accepted: list[bool]) -> list[dict]:
    """Context rules applied after the per-quote decision: motifs, listed siblings, names nested in names."""
    # A short word quoted again and again before different words is a motif (“红色”体系、“红色”阵地), not a name.
    # The same short name before the same word each time (「“学创”活动」 four times) is still one name.
    seen: dict[str, set[str]] = {}
    for _, end, inner, _ in quotes:
        seen.setdefault(inner.strip(), set()).add(text[end:end + 2])
    accepted = [ok and not (len(q[2].strip()) <= 2 and len(seen[q[2].strip()]) >= 3) for ok, q in zip(accepted, quotes, strict=True)]
    # 「开展了“三联三带”、“三上门”、“送温暖活动周”」: quotes listed side by side are names of one kind, so one
    # evident name in the list vouches for its plain siblings.
    for group in _groups(text, quotes):
        if len(group) >= 3 and any(accepted[j] for j in group):
            for j in group:
                start, end, inner, _ = quotes[j]
                accepted[j] = accepted[j] or _plain_candidate(text, end, inner)
    # A quote inside an accepted quote is part of that name: 「“党徽在‘四赛四比四做’中闪耀”」. Quotes come sorted by
    # start, so the furthest end of the accepted ones that started earlier tells whether this one is inside.
    out = []
    reach, reach_start = -1, -1
    for ok, (start, end, inner, closed) in zip(accepted, quotes, strict=True):
        nested = reach_start < start and end <= reach
        if ok and end > reach:
            reach, reach_start = end, start
        if ok and nested:
            continue
        if ok:
            item = {"text": inner.strip(), "span": [start, end]}
            if not closed:
                item["unclosed"] = True
            out.append(item)
    # 「“136党建链”…“136”党建联建共建模式」「“红色引领，交通先行”…紧扣“红色引领”这个主题」: a name quoted again in
    # part is the same practice.
    names = {x["text"] for x in out}
    part = {n for n in names if any(n != m and n in m for m in names)}
    return [x for x in out if x["text"] not in part]

"""Grouping similar problem statements (共性问题). Plain Python + jieba, no Django.

A problem becomes a set of normalised terms: jieba tokens, minus stopwords and generic words,
with common synonyms of problem-list language folded onto one term (阵地/场所/场地 → 场所,
简陋/不完善/不健全 → 不完善 …), because two units rarely describe the same defect with the same
words. Similarity is Jaccard on those sets; clusters are single-link components of the pairs at
or above the threshold. Candidate pairs come from prefix filtering (tokens ordered rarest first:
two sets with Jaccard ≥ t must share one of the first |s| − ⌈t·|s|⌉ + 1 tokens of each), so a
few thousand problems take well under a second after tokenising.
"""

from __future__ import annotations

import io
import logging
import math
import re
import threading
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from contextlib import redirect_stderr
from dataclasses import dataclass

DEFAULT_THRESHOLD = 0.5

# Generic words of problem statements that say nothing about *which* problem it is.
STOPWORDS = frozenset(["#", "noqa:", "SIM905", "(a", "word", "list", "is", "easier", "to", "read", "and", "extend", "this", "way)", "部分", "个别", "一些", "有的", "有些", "少数", "一定", "存在", "问题", "现象", "情况", "方面", "工作", "党组织", "基层", "党委", "党支部", "支部", "党总支", "我们", "本单位", "不够", "还不", "仍然", "依然", "比较", "较为", "相对", "有待", "进一步", "加强", "提高", "提升", "需要", "需", "仍", "还", "较", "不", "没有", "未", "到位", "落实", "开展", "的", "了", "和", "与", "及", "等", "对", "在", "中", "上", "下", "是", "有", "为", "以", "把", "被", "将", "从", "其", "并", "或", "也", "都", "就", "个", "之", "各", "一", "些", "所", "得", "地", "着", "过", "全面", "深入", "严格", "严重", "突出", "明显", "及时", "有效", "主动", "一是", "二是", "三是", "四是", "五是", "年度", "今年", "去年", "上年", "目前", "当前", "长期", "经常", "往往", "仍有"])

# Surface form → canonical term. Only words that really are used interchangeably in 问题清单.
SYNONYMS = {
    "阵地": "场所", "活动场所": "场所", "场地": "场所", "活动阵地": "场所", "办公场所": "场所", "用房": "场所",
    "面积": "面积", "狭小": "不足", "偏小": "不足", "小": "不足", "不足": "不足", "短缺": "不足",
    "紧张": "不足", "匮乏": "不足", "欠缺": "不足", "缺乏": "不足", "少": "不足", "偏少": "不足", "薄弱": "不足",
    "简陋": "不完善", "不全": "不完善", "不齐全": "不完善", "不完善": "不完善", "完善": "不完善", "不健全": "不完善", "健全": "不完善", "落后": "不完善",
    "陈旧": "不完善", "老化": "不完善", "单一": "不完善",
    "设施": "设施", "功能": "设施", "设备": "设施", "配套": "设施",
    "村级": "村", "村": "村", "村里": "村", "行政村": "村", "村居": "村",
    "三会一课": "组织生活", "组织生活会": "组织生活", "组织生活": "组织生活", "主题党日": "组织生活",
    "党内组织生活": "组织生活", "党课": "组织生活", "支部会": "组织生活", "党员大会": "组织生活",
    "走过场": "形式化", "流于形式": "形式化", "形式": "形式化", "形式主义": "形式化", "随意": "形式化",
    "不规范": "不规范", "规范": "不规范", "不严肃": "不规范", "不正常": "不规范", "不经常": "不规范",
    "记录": "台账", "台账": "台账", "档案": "台账", "会议记录": "台账", "资料": "台账",
    "发展党员": "发展党员", "发展": "发展党员", "入党": "发展党员", "入党积极分子": "发展党员", "积极分子": "发展党员",
    "年轻": "年轻", "青年": "年轻", "35岁": "年轻", "后备": "后备力量", "后备力量": "后备力量", "后备干部": "后备力量",
    "老化严重": "老龄化", "老龄化": "老龄化", "年龄偏大": "老龄化", "年龄结构": "老龄化", "偏大": "老龄化",
    "集体经济": "集体经济", "村集体": "集体经济", "集体收入": "集体经济", "经营性收入": "集体经济", "空壳村": "集体经济",
    "收入": "收入", "增收": "收入", "薄弱村": "集体经济",
    "流动党员": "流动党员", "外出党员": "流动党员", "外出务工": "流动党员", "失联": "失联", "口袋党员": "失联",
    "管理": "管理", "管理松散": "管理", "教育管理": "管理", "管控": "管理",
    "经费": "经费", "资金": "经费", "运转经费": "经费", "办公经费": "经费", "保障": "保障",
    "报酬": "报酬", "待遇": "报酬", "补贴": "报酬", "工资": "报酬",
    "软弱涣散": "软弱涣散", "涣散": "软弱涣散", "软弱": "软弱涣散", "整顿": "整顿", "转化": "整顿",
    "书记": "书记", "带头人": "书记", "第一书记": "第一书记", "驻村": "第一书记", "驻村第一书记": "第一书记",
    "专题研究": "研究", "研究": "研究", "谋划": "研究", "部署": "研究",
    "一岗双责": "一岗双责", "主体责任": "主体责任", "责任": "主体责任", "第一责任人": "主体责任",
    "班子": "班子", "两委": "班子", "领导班子": "班子", "班子成员": "班子",
    "巡察": "巡视巡察", "巡视": "巡视巡察", "反馈": "反馈", "整改": "整改", "销号": "整改",
    "群众": "群众", "百姓": "群众", "服务群众": "服务", "服务": "服务", "为民": "服务", "办实事": "服务",
    "意识形态": "意识形态", "宣传": "宣传", "舆情": "舆情",
    "作风": "作风", "纪律": "纪律", "廉洁": "纪律",
    "党建": "党建", "业务": "业务", "两张皮": "两张皮", "融合": "两张皮", "结合": "两张皮", "脱节": "两张皮",
    "非公": "两新", "非公企业": "两新", "社会组织": "两新", "两新": "两新", "两新组织": "两新",
    "覆盖": "覆盖", "覆盖面": "覆盖", "空白": "覆盖",
    "党员": "党员", "党员干部": "党员", "先锋模范": "作用发挥", "模范": "作用发挥", "作用": "作用发挥",
    "发挥": "作用发挥", "先锋": "作用发挥", "作用发挥": "作用发挥",
    "培训": "培训", "教育培训": "培训", "学习": "学习", "理论学习": "学习",
}

_CJK_OR_WORD = re.compile(r"[\u4e00-\u9fff]+|[A-Za-z0-9]+")
_jieba = None
_lock = threading.Lock()


def _get_jieba():
    global _jieba
    if _jieba is None:
        with _lock:
            if _jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                with redirect_stderr(io.StringIO()):
                    jieba.initialize()
                for word in SYNONYMS:
                    if len(word) > 1:
                        jieba.add_word(word, freq=20000)
                _jieba = jieba
    return _jieba


def terms(text: str) -> frozenset[str]:
    """The normalised term set of one problem statement."""
    jieba = _get_jieba()
    result: set[str] = set()
    for run in _CJK_OR_WORD.findall(text or ""):
        for token in jieba.lcut(run):
            token = token.strip()
            if not token:
                continue
            if token in SYNONYMS:
                result.add(SYNONYMS[token])
                continue
            if token in STOPWORDS:
                continue
            if len(token) == 1:
                continue
            result.add(token)
    return frozenset(result)


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    if not a or not b:
        return 0.0
    common = len(a & b)
    return common / (len(a) + len(b) - common)


@dataclass
class Cluster:
    members: list[Hashable]
    # Mean Jaccard of the linking pairs: how tight the group is.
    strength: float


def similar_pairs(term_sets: dict[Hashable, frozenset[str]], threshold: float,
                  skip=None, on_pair=None) -> list[tuple[Hashable, Hashable, float]]:
    """Pairs with Jaccard ≥ threshold, found with prefix filtering (exact, not approximate).
    `skip(a, b)` may veto scoring a candidate pair (clustering skips pairs already connected)."""
    if not 0 < threshold <= 1:
        raise ValueError("threshold must be in (0, 1]")
    frequency = Counter(term for terms_ in term_sets.values() for term in terms_)
    ordered = {key: sorted(value, key=lambda t: (frequency[t], t)) for key, value in term_sets.items() if value}
    index: dict[str, list[Hashable]] = defaultdict(list)
    pairs = []
    # Shorter sets first: a set only needs comparing with sets of size ≥ t·|s| seen so far.
    for key in sorted(ordered, key=lambda k: (len(ordered[k]), str(k))):
        tokens = ordered[key]
        size = len(tokens)
        prefix = size - math.ceil(threshold * size - 1e-9) + 1
        seen: set[Hashable] = set()
        mine = term_sets[key]
        for token in tokens[:prefix]:
            for other in index[token]:
                if other in seen:
                    continue
                seen.add(other)
                if skip is not None and skip(other, key):
                    continue
                other_terms = term_sets[other]
                if len(other_terms) < threshold * size:
                    continue
                score = jaccard(mine, other_terms)
                if score >= threshold - 1e-9:
                    pairs.append((other, key, score))
                    if on_pair is not None:
                        on_pair(other, key)
            index[token].append(key)
    return pairs


def cluster(texts: dict[Hashable, str] | Iterable[tuple[Hashable, str]], threshold: float = DEFAULT_THRESHOLD,
            min_size: int = 2) -> list[Cluster]:
    """Single-link groups of similar texts, largest first."""
    items = dict(texts.items() if isinstance(texts, dict) else texts)
    term_sets = {key: terms(text) for key, text in items.items()}
    parent = {key: key for key in items}

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(a, b):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[ra] = rb

    scores: dict[Hashable, list[float]] = defaultdict(list)
    # Single link needs connectivity only: a pair already in one group is not scored again.
    pairs = similar_pairs(term_sets, threshold, skip=lambda a, b: find(a) == find(b), on_pair=union)
    for a, b, score in pairs:
        scores[a].append(score)
        scores[b].append(score)
    groups: dict[Hashable, list[Hashable]] = defaultdict(list)
    for key in items:
        groups[find(key)].append(key)
    clusters = []
    for members in groups.values():
        if len(members) < min_size:
            continue
        linked = [s for m in members for s in scores[m]]
        clusters.append(Cluster(members=members, strength=sum(linked) / len(linked) if linked else 0.0))
    clusters.sort(key=lambda c: (-len(c.members), -c.strength))
    return clusters

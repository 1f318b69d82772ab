"""Compare the figures a report states with the register (数据核实). No Django here: rules and the
ledger come in as plain objects, so the same code runs in views, the inspection page and the
labelled evaluation.

A figure found by textcheck is a claim about a fact when a rule's keyword stands in the same
clause before it (or, failing that, right after it), with the rule's unit.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Protocol

_CLAUSE_STOPS = "，,；;。！？!?\n：:（）()"
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_MULTIPLIERS = {"万": Decimal(10000), "千": Decimal(1000), "百": Decimal(100), "亿": Decimal(100000000)}
_FIGURE_RE = re.compile(r"^(?P<num>\d+(?:[.．]\d+)?|[零〇一二两三四五六七八九十百千万亿]+)(?P<mul>[万千百亿])?(?P<approx>余|多)?(?P<unit>.+)$")
# Money and area units converted to the fact's unit; everything else must match as written.
_MONEY = {"元": Decimal("0.0001"), "千元": Decimal("0.1"), "万元": Decimal(1), "亿元": Decimal(10000)}
_AREA = {"平方米": Decimal(1), "平米": Decimal(1), "㎡": Decimal(1)}
_AT_LEAST_BEFORE = ("超过", "不低于", "不少于", "均达", "达到", "都在", "均在")
_AT_LEAST_AFTER = ("以上", "余", "多")
# A figure about another year is not checked against this year's ledger.
_OTHER_YEAR = ("去年", "上年", "上一年", "前年", "上年度")
# "15万元以下": an upper bound on some units, not a total or a floor the register can confirm.
_UPPER_BOUND_AFTER = ("以下", "以内", "之内")
# "每村储备2名": a per-unit figure is not the unit's total; "明年…": a plan, not a result.
_PER_UNIT = ("每村", "村均", "每个村", "每个支部", "平均")
_PLAN_WORDS = ("明年", "下一年", "下步", "力争", "计划", "争取", "目标")


def parse_chinese_number(text: str) -> Decimal | None:
    """二十三 → 23, 一百零五 → 105, 三千 → 3000, 两万 → 20000; None for anything else."""
    total, section, digit = 0, 0, None
    for char in text:
        if char in _CN_DIGITS:
            digit = _CN_DIGITS[char]
        elif char in _CN_UNITS:
            section += (1 if digit is None else digit) * _CN_UNITS[char]
            digit = None
        elif char == "万":
            total += (section + (digit or 0)) * 10000
            section, digit = 0, None
        elif char == "亿":
            total += (section + (digit or 0)) * 100000000
            section, digit = 0, None
        else:
            return None
    value = total + section + (digit or 0)
    return Decimal(value) if text else None


@dataclass
class Figure:
    value: Decimal
    unit: str
    approx: bool  # 余/多: "at least"


def parse_figure(text: str) -> Figure | None:
    match = _FIGURE_RE.match(text.strip())
    if not match:
        return None
    num = match.group("num").replace("．", ".")
    try:
        value = Decimal(num) if num[0].isdigit() else parse_chinese_number(num)
    except InvalidOperation:
        return None
    if value is None:
        return None
    unit = match.group("unit")
    if match.group("mul"):
        # "12万元": the multiplier belongs to the unit when the unit is money ("万元"), else to the number.
        if match.group("mul") + unit in _MONEY:
            unit = match.group("mul") + unit
        else:
            value *= _MULTIPLIERS[match.group("mul")]
    return Figure(value=value, unit=unit, approx=bool(match.group("approx")))


def convert(value: Decimal, unit: str, target: str) -> Decimal | None:
    """`value unit` in the fact's unit, or None when the two cannot be compared."""
    if unit == target or not target:
        return value
    for table in (_MONEY, _AREA):
        if unit in table and target in table:
            return value * table[unit] / table[target]
    return None


@dataclass(frozen=True)
class RuleSpec:
    name: str
    fact_code: str
    fact_name: str
    fact_unit: str
    keywords: tuple[str, ...]
    units: tuple[str, ...]
    mode: str = "equal"
    qualifiers: tuple[str, ...] = ()
    excludes: tuple[str, ...] = ()
    tolerance: Decimal = Decimal(0)


def split_words(text: str) -> tuple[str, ...]:
    return tuple(word.strip() for word in re.split(r"[,，、;；\s]+", text or "") if word.strip())


class Ledger(Protocol):
    def value(self, fact_code: str) -> Decimal | None:
        """The confirmed total of the org and everything under it (each unit enters its own level only)."""

    def sub_values(self, fact_code: str) -> list[tuple[str, Decimal]]:
        """(unit name, value) of every unit under the org (or the org itself) holding the fact."""


@dataclass
class DictLedger:
    """A ledger from plain values, for tests and the labelled evaluation."""

    own: dict[str, Decimal] = field(default_factory=dict)
    subs: dict[str, list[tuple[str, Decimal]]] = field(default_factory=dict)

    def value(self, fact_code):
        parts = [v for _, v in self.subs.get(fact_code, [])]
        if fact_code in self.own:
            parts.append(self.own[fact_code])
        return sum(parts, Decimal(0)) if parts else None

    def sub_values(self, fact_code):
        return self.subs.get(fact_code, [])


@dataclass
class Claim:
    span: tuple[int, int]
    sentence: str
    figure: str
    rule: str
    fact_code: str
    fact_name: str
    status: str  # match | mismatch | nodata
    message: str
    register_text: str = ""

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.sentence}\x00{self.figure}\x00{self.fact_code}".encode()).hexdigest()[:32]

    @property
    def flagged(self) -> bool:
        return self.status == "mismatch"


def _number(value: Decimal) -> str:
    value = Decimal(value)
    if value == value.to_integral_value():
        return str(int(value))
    return str(value.quantize(Decimal("0.01"))).rstrip("0").rstrip(".")


def _windows(text: str, start: int, end: int, previous_end: int) -> tuple[str, str]:
    before_from = max(previous_end, max(text.rfind(c, 0, start) for c in _CLAUSE_STOPS) + 1, start - 30)
    after_to = min([i for i in (text.find(c, end) for c in _CLAUSE_STOPS) if i >= 0] + [len(text), end + 16])
    return text[before_from:start], text[end:after_to]


def _unit_fits(unit: str, rule: RuleSpec) -> bool:
    return unit in rule.units or any(convert(Decimal(1), unit, u) is not None for u in rule.units)


def _rule_for(rules, figure: Figure, before: str, after: str):
    # The clause before the figure is read first: "发展党员12名"; then the words right after: "12个村选派第一书记".
    for window in (before, after):
        for rule in rules:
            if not _unit_fits(figure.unit, rule) or not any(k in window for k in rule.keywords):
                continue
            if rule.qualifiers and not any(q in before + after for q in rule.qualifiers):
                continue
            if any(x in window for x in rule.excludes):
                continue
            return rule
    return None


def check_claims(text: str, data_points: list[dict], rules: list[RuleSpec], ledger: Ledger) -> list[Claim]:
    """One Claim per figure that a rule maps to a register fact."""
    claims: list[Claim] = []
    previous_end = 0
    for point in sorted(data_points, key=lambda p: p["span"][0]):
        start, end = point["span"]
        figure = parse_figure(point["text"])
        before, after = _windows(text, start, end, previous_end)
        previous_end = end
        if figure is None:
            continue
        rule = _rule_for(rules, figure, before, after)
        if rule is None or any(word in before for word in _OTHER_YEAR + _PLAN_WORDS) or after.startswith(_UPPER_BOUND_AFTER):
            continue
        if rule.mode != "all_at_least" and any(word in before for word in _PER_UNIT):
            continue
        claimed = convert(figure.value, figure.unit, rule.fact_unit)
        if claimed is None:
            claimed = figure.value  # 名 and 人 are the same count
        at_least = figure.approx or any(w in before for w in _AT_LEAST_BEFORE) or after.startswith(_AT_LEAST_AFTER)
        status, register_text = _compare(rule, claimed, at_least, ledger, figure.unit)
        said = f"报告称{_claim_words(rule, before, after)}{point['text']}{'以上' if after.startswith('以上') else ''}"
        message = f"{said}，{register_text}" if status != "nodata" else f"{said}，台账无{rule.fact_name}数据"
        claims.append(Claim(span=(start, end), sentence=point.get("sentence", ""), figure=point["text"],
                            rule=rule.name, fact_code=rule.fact_code, fact_name=rule.fact_name, status=status,
                            message=message, register_text=register_text))
    return claims


def _claim_words(rule: RuleSpec, before: str, after: str) -> str:
    """The report's own qualifying words, so 「报告称全部超过5万元」 reads as the report does."""
    if rule.mode != "all_at_least":
        return ""
    words = next((q for q in rule.qualifiers if q in before + after), "")
    return words + next((w for w in _AT_LEAST_BEFORE if w in before), "")


def _display(value: Decimal, rule: RuleSpec, figure_unit: str) -> str:
    # Show the register in the report's own unit when they convert (元 ↔ 万元), so readers compare like with like.
    shown = convert(value, rule.fact_unit, figure_unit)
    if shown is not None and figure_unit:
        return f"{_number(shown)}{figure_unit}"
    return f"{_number(value)}{rule.fact_unit}"


def _compare(rule: RuleSpec, claimed: Decimal, at_least: bool, ledger: Ledger, figure_unit: str) -> tuple[str, str]:
    if rule.mode == "all_at_least":
        values = ledger.sub_values(rule.fact_code)
        if not values:
            return "nodata", ""
        below = [(name, v) for name, v in values if v < claimed]
        if not below:
            return "match", f"台账{len(values)}个单位均不低于{_display(claimed, rule, figure_unit)}"
        names = "、".join(f"{name}{_display(v, rule, figure_unit)}" for name, v in below[:3])
        more = "等" if len(below) > 3 else ""
        return "mismatch", f"台账有{len(below)}个单位低于{_display(claimed, rule, figure_unit)}（{names}{more}）"
    if rule.mode == "count":
        values = ledger.sub_values(rule.fact_code)
        if not values:
            return "nodata", ""
        register = Decimal(sum(1 for _, v in values if v > 0))
    else:
        register = ledger.value(rule.fact_code)
        if register is None:
            return "nodata", ""
    text = f"台账为{_display(register, rule, figure_unit) if rule.mode != 'count' else _number(register) + figure_unit}"
    if at_least:
        return ("match" if register >= claimed * (1 - rule.tolerance / 100) else "mismatch"), text
    allowed = abs(claimed) * rule.tolerance / 100
    return ("match" if abs(register - claimed) <= allowed else "mismatch"), text

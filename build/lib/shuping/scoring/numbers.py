"""Reading and printing numbers, one rule each (no Django import).

parse_score: what a person may type as a score, in a form, a phone ballot or an Excel cell.
format_percent / format_number: how a score or a rate is printed (always 2 places, ROUND_HALF_UP).
"""

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

CENT = Decimal("0.01")
_NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)")
FORMAT_MESSAGE = "请填写数字，最多两位小数（如 8 或 8.5）"


class ScoreError(ValueError):
    """A score that cannot be accepted; str() is the Chinese message for the person who typed it."""


def _plain(value: Decimal) -> str:
    return f"{value.normalize():f}"


def parse_score(text, *, maximum: Decimal | int | None = None, minimum: Decimal | int = 0,
                label: str = "分数") -> Decimal:
    """A number with at most two decimals after dropping trailing zeros ("1.500" is 1.50),
    full-width digits and a trailing 分 accepted, within minimum..maximum; 2 places out.

    Anything else (empty, "1.555", "1e2", "NaN", "八") raises ScoreError with the same message.
    """
    if isinstance(text, Decimal | int) and not isinstance(text, bool):
        raw = str(text)
    elif isinstance(text, float):
        raw = repr(text)
    else:
        raw = unicodedata.normalize("NFKC", str(text if text is not None else "")).strip()
        raw = raw.removesuffix("分").strip().replace(" ", "")
    if not _NUMBER.fullmatch(raw):
        raise ScoreError(f"{label}“{text if text is not None else ''}”无效：{FORMAT_MESSAGE}")
    try:
        value = Decimal(raw)
    except InvalidOperation:  # pragma: no cover - the pattern admits only plain decimals
        raise ScoreError(f"{label}“{text}”无效：{FORMAT_MESSAGE}") from None
    if value != value.quantize(CENT):
        raise ScoreError(f"{label}“{text}”无效：{FORMAT_MESSAGE}")
    value = value.quantize(CENT)
    low = Decimal(minimum)
    if value < low or (maximum is not None and value > Decimal(maximum)):
        high = "" if maximum is None else _plain(Decimal(maximum))
        where = f"应在 {_plain(low)}～{high} 之间" if high else f"不能小于 {_plain(low)}"
        raise ScoreError(f"{label}“{text}”超出范围，{where}")
    return value


def quantize2(value) -> Decimal:
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def format_number(value, empty: str = "—") -> str:
    """90.2 → 「90.20」: every score and figure a reader sees has 2 places."""
    if value is None or value == "":
        return empty
    return f"{quantize2(value):f}"


def format_percent(value, empty: str = "—") -> str:
    """A percentage (83.33 means 83.33 %) → 「83.33%」; 100.0000 → 「100.00%」."""
    if value is None or value == "":
        return empty
    return f"{quantize2(value):f}%"

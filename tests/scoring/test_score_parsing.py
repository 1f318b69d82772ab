"""One score-parsing rule, used by the ballot workbook, the phone/paper ballot and routine marks."""

from decimal import Decimal

import pytest

from shuping.scoring.numbers import ScoreError, format_number, format_percent, parse_score

ACCEPTED = [("8", "8.00"), ("8.5", "8.50"), ("1.500", "1.50"), ("１２．５", "12.50"), ("12分", "12.00"),
            (" 7.25 分 ", "7.25"), ("0", "0.00"), ("15", "15.00"), (Decimal("3.10"), "3.10")]
REFUSED = ["", "1.555", "1e1", "NaN", "inf", "八", "1,5", "--1", "=1+1", "1.5.1", "分"]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepted_forms(text, expected):
    assert parse_score(text, maximum=15) == Decimal(expected)


@pytest.mark.parametrize("text", REFUSED)
def test_everything_else_is_refused_with_one_message(text):
    with pytest.raises(ScoreError, match="请填写数字，最多两位小数"):
        parse_score(text, maximum=15)


def test_range_is_checked_in_chinese():
    with pytest.raises(ScoreError, match="分数“15.01”超出范围，应在 0～15 之间"):
        parse_score("15.01", maximum=Decimal("15.00"))
    with pytest.raises(ScoreError, match="应在 0～15 之间"):
        parse_score("-1", maximum=15)


@pytest.mark.parametrize("text", [t for t, _ in ACCEPTED[:-1]] + REFUSED + ["16"])
def test_the_three_entry_points_agree(text):
    """campaigns.excel (ballot workbook), meetings.parse_scores (phone/paper) and routine agree."""
    from types import SimpleNamespace

    from shuping.campaigns.excel import _decimal
    from shuping.meetings.services import parse_scores
    from shuping.routine.services import RoutineError
    from shuping.routine.services import parse_score as routine_parse

    indicator = SimpleNamespace(pk=1, max_score=Decimal("15"))
    scores, missing, invalid = parse_scores([indicator], {"1": text})
    try:
        routine = routine_parse(text, Decimal("15"))
    except RoutineError:
        routine = None
    workbook = _decimal(text)
    if workbook is not None and not 0 <= workbook <= 15:
        workbook = None
    assert scores.get(1) == routine == workbook


def test_formatters_print_two_places():
    assert format_percent(Decimal("100.0000")) == "100.00%"
    assert format_percent(Decimal("83.3333")) == "83.33%"
    assert format_percent(None) == "—"
    assert format_number(Decimal("90.2")) == "90.20"
    assert format_number(Decimal("90.205")) == "90.21"

"""The cross-check's pure parts: figures, units, and the labelled evaluation (no database)."""

from decimal import Decimal

import pytest

import textcheck
from shuping.registers.claims import DictLedger, check_claims, convert, parse_chinese_number, parse_figure
from shuping.registers.defaults import default_rule_specs
from shuping.registers.labelled import CASES, evaluate


@pytest.mark.parametrize(("text", "value"), [("二十三", 23), ("一百零五", 105), ("三千", 3000), ("两万", 20000),
                                             ("十二", 12), ("九", 9)])
def test_chinese_numbers(text, value):
    assert parse_chinese_number(text) == value


def test_figures_and_units():
    assert (parse_figure("300多名").value, parse_figure("300多名").approx) == (300, True)
    assert parse_figure("12万元").unit == "万元"
    assert convert(parse_figure("50000元").value, "元", "万元") == 5
    assert convert(Decimal(90), "平米", "平方米") == 90
    assert convert(Decimal(3), "名", "万元") is None


def test_last_years_figure_is_not_checked_against_this_years_ledger():
    text = "去年发展党员15名，今年发展党员9名。"
    claims = check_claims(text, textcheck.analyze(text)["data_points"], default_rule_specs(),
                          DictLedger(own={"new_members": Decimal(9)}))
    assert [(c.figure, c.status) for c in claims] == [("9名", "match")]


def test_money_is_compared_in_the_reports_unit():
    text = "全镇村集体经济总收入达到500万元。"
    ledger = DictLedger(subs={"collective_income": [("甲村", Decimal("118.5")), ("乙村", Decimal(200))]})
    [claim] = check_claims(text, textcheck.analyze(text)["data_points"], default_rule_specs(), ledger)
    assert claim.message == "报告称500万元，台账为318.5万元"


def test_labelled_set_precision_and_recall(capsys):
    result = evaluate(default_rule_specs(), textcheck.analyze)
    assert len(CASES) >= 30 and result["cases"] == len(CASES)
    assert result["tp"] + result["fn"] >= 12  # enough real mismatches for recall to mean something
    with capsys.disabled():
        print(f"\n数据核实标注集：{result['cases']} 句，TP={result['tp']} FP={result['fp']} FN={result['fn']} "
              f"TN={result['tn']}，precision={result['precision']} recall={result['recall']}")
    assert result["precision"] >= Decimal("0.85")
    assert result["recall"] >= Decimal("0.80")

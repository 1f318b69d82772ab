from decimal import Decimal

import pytest

from shuping.stars.models import NegativeMode
from shuping.stars.services import StarRule, apply_negative_list, stars_for_score

RULE = StarRule(thresholds=(Decimal("90"), Decimal("80"), Decimal("70"), Decimal("60")))


@pytest.mark.parametrize(("total", "stars"), [
    ("100", 5), ("90", 5), ("89.99", 4), ("80", 4), ("79.99", 3), ("70", 3), ("69.99", 2), ("60", 2),
    ("59.99", 1), ("0", 1),
])
def test_thresholds_map_scores_to_stars(total, stars):
    assert stars_for_score(Decimal(total), RULE) == stars


def test_thresholds_are_configurable():
    strict = StarRule(thresholds=(Decimal("95"), Decimal("85"), Decimal("75"), Decimal("65")))
    assert stars_for_score(Decimal("92"), strict) == 4
    assert stars_for_score(Decimal("64"), strict) == 1


def test_each_negative_hit_removes_one_star():
    assert apply_negative_list(5, [(1, None)], RULE) == 4
    assert apply_negative_list(5, [(1, None), (1, None)], RULE) == 3


def test_negative_list_never_goes_below_one_star():
    assert apply_negative_list(2, [(1, None), (1, None), (1, None)], RULE) == 1


def test_negative_item_with_cap_caps_in_remove_mode():
    assert apply_negative_list(5, [(0, 2)], RULE) == 2
    assert apply_negative_list(3, [(0, 4)], RULE) == 3


def test_cap_mode_caps_instead_of_removing():
    cap_rule = StarRule(thresholds=RULE.thresholds, mode=NegativeMode.CAP)
    assert apply_negative_list(5, [(1, 3)], cap_rule) == 3
    # without an explicit cap: at most 5 − stars removed
    assert apply_negative_list(5, [(1, None)], cap_rule) == 4
    assert apply_negative_list(5, [(1, 3), (1, None)], cap_rule) == 3
    assert apply_negative_list(2, [(1, 3)], cap_rule) == 2


def test_no_hits_keep_the_score_stars():
    assert apply_negative_list(4, [], RULE) == 4

import datetime
from decimal import Decimal

import pytest
from freezegun import freeze_time

from shuping.routine import services

from ..builders import make_org

YEAR = 2026


@pytest.fixture
def frozen():
    # Mid-November 2026: Jan–Oct may be scored, December may not yet.
    with freeze_time("2026-11-16 10:00:00+08:00"):
        yield datetime.date(2026, 11, 16)


@pytest.fixture
def routine(tree, frozen):
    """County A scores its towns on two indicators: X (max 60) and Y (max 40); a third town A-3."""
    tree.town_a3 = make_org("A-3", tree.county_a, name="甲三镇党委")
    tree.ind_x = services.indicator_save(actor=None, organiser=tree.county_a, year=YEAR, code="X", name="组织生活落实",
                                         max_score=Decimal(60), order=1)
    tree.ind_y = services.indicator_save(actor=None, organiser=tree.county_a, year=YEAR, code="Y", name="信息报送",
                                         max_score=Decimal(40), order=2)
    return tree


def score(tree, unit, month, x=None, y=None):
    values = {}
    if x is not None:
        values["X"] = str(x)
    if y is not None:
        values["Y"] = str(y)
    return services.monthly_scores_save(actor=None, organiser=tree.county_a, year=YEAR, month=month, unit=unit,
                                        values=values)

import datetime
from decimal import Decimal

import pytest

from shuping.accounts.models import Role
from shuping.rectification import services as rectification_services
from shuping.rectification.models import Category, Source
from shuping.routine import services as routine_services
from tests.builders import make_user


@pytest.fixture(autouse=True)
def evidence_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def unit_users(tree):
    """The unit roles of 甲一镇 and 甲一村, granted on the unit's own org."""
    return {
        "town_sec": make_user("town_sec", Role.REPORTER, tree.town_a1),
        "town_liaison": make_user("town_liaison", Role.LIAISON, tree.town_a1),
        "village_liaison": make_user("village_liaison", Role.LIAISON, tree.village_a1),
    }


def pushed_problem(org, text="巡察反馈：党委会议记录不规范", source=Source.TOUR):
    return rectification_services.problem_create(actor=None, org=org, description=text, source=source,
                                                 category=Category.TEAM, found_on=datetime.date(2026, 3, 1))


def responsibility_item(tree, org=None, *, year=2026):
    return routine_services.responsibility_save(
        actor=None, organiser=tree.county_a, year=year, org=org or tree.town_a1, task="书记到村调研不少于12次",
        target_value=Decimal("12"), target_unit="次", deadline=datetime.date(year, 12, 31))


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64

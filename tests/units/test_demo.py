"""The demo step gives every unit account work on its 工作台, and the county its side of the loop."""

import types

import pytest
from django.contrib.auth import get_user_model

from shuping.accounts.models import Role
from shuping.accounts.scope import UserScope
from shuping.orgs.models import OrgKind, UnitType
from shuping.units.demo import ACCOUNTS, build_demo_units
from shuping.units.models import QuarterlyReport
from shuping.workbench.selectors import tasks_for
from tests.builders import make_org, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_county(db):
    county = make_org("DL-YC-QH", name="清河县委", unit_type=UnitType.COUNTY, sector="")
    for town_code, town_name, villages in [("QH-T01", "城关镇党委", ["QH-T01-V01", "QH-T01-V02"]),
                                           ("QH-T02", "河口镇党委", ["QH-T02-V01"]), ("QH-T03", "柳林镇党委", [])]:
        town = make_org(town_code, county, name=town_name)
        for code in villages:
            make_org(code, town, name=f"{code}村党支部", unit_type=UnitType.VILLAGE, kind=OrgKind.BRANCH)
    make_user("admin", Role.ADMIN, county)
    make_user("inspector", Role.INSPECTOR, county)
    return county


def test_every_unit_account_has_work_waiting(demo_county):
    context = types.SimpleNamespace(county=demo_county, accounts=[])
    build_demo_units(context)
    build_demo_units(context)  # idempotent
    assert QuarterlyReport.objects.count() == 1
    users = {u.username: u for u in get_user_model().objects.all()}
    for username, *_ in ACCOUNTS:
        labels = [t.label for t in tasks_for(UserScope(users[username]), users[username])]
        assert labels, f"{username} has nothing on the 工作台"
    hk = [t.label for t in tasks_for(UserScope(users["hk_lianluo"]), users["hk_lianluo"])]
    assert "整改方案被退回" in hk
    admin = {t.label: t.count for t in tasks_for(UserScope(users["admin"]), users["admin"])}
    assert admin["单位整改方案待审核"] == 1 and admin["群众反映待审核"] == 2
    assert len({a[1] for a in context.accounts}) == len(ACCOUNTS)

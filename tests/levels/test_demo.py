"""The demo shows a newcomer a published province → prefecture → county → township chain."""

import pytest
from django.contrib.auth import get_user_model

from shuping.accounts.scope import UserScope
from shuping.campaigns.models import CampaignState
from shuping.core.demo import build_demo
from shuping.levels import selectors
from shuping.levels.models import Plan, Speech
from shuping.workbench.selectors import tasks_for

pytestmark = [pytest.mark.django_db, pytest.mark.heavy]


def test_demo_builds_a_published_three_level_chain_idempotently():
    build_demo()
    build_demo()
    plan = Plan.objects.get()
    rows = selectors.progress_rows(plan)
    assert [r.node.campaign.organiser.name for r in rows] == ["云川市委", "清河县委", "城关镇党委"]
    assert [r.depth for r in rows] == [0, 1, 2] and rows[0].node.campaign.organiser.parent.name == "东岭省委"
    assert all(r.node.campaign.state == CampaignState.PUBLISHED for r in rows)
    town = rows[2]
    assert sum(town.grade_list) == town.participants > 0
    assert rows[0].flowed_list == [a + b + c for a, b, c in zip(*(r.grade_list for r in rows), strict=True)]
    assert Speech.objects.filter(campaign=town.node.campaign, delegation__isnull=False).count() == 4
    assert selectors.own_speech(rows[1].node.campaign) is not None
    assert rows[0].node.campaign.participants.get().bonus > 0  # 联考: the county's results in the city's bonus
    # the demo 评议人 is sent (once) to the county's open campaign: the 工作台 has the meeting and the 点评
    evaluator = get_user_model().objects.get(username="evaluator")
    assert evaluator.delegations.count() == 1
    labels = {t.label for t in tasks_for(UserScope(evaluator), evaluator)}
    assert {"派员出席述职评议会（列席）", "上级点评待撰写"} <= labels
    leader = get_user_model().objects.get(username="leader")
    assert {"述职点评待撰写", "考核结果已发布"} <= {t.label for t in tasks_for(UserScope(leader), leader)}

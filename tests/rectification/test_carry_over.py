from django.core.management import call_command

from shuping.rectification import selectors, services
from shuping.rectification.models import CarryOver, Source, Status
from tests.builders import make_campaign

from .conftest import new_problem, planned


def _close(problem):
    rect = planned(problem)
    services.progress_add(actor=None, rectification=rect, text="完成")
    services.rectification_apply_close(actor=None, rectification=rect)
    services.rectification_verify(actor=None, rectification=rect, approve=True)


def _two_years(tree):
    c2025 = make_campaign(tree, title="2025年度述职评议", year=2025)
    c2026 = make_campaign(tree, title="2026年度述职评议", year=2026, previous=c2025)
    p2025 = c2025.participants.get(org=tree.town_a1)
    p2026 = c2026.participants.get(org=tree.town_a1)
    return c2025, c2026, p2025, p2026


def test_prior_problems_are_last_campaigns_problems_plus_still_open_ones(tree):
    c2025, c2026, p2025, p2026 = _two_years(tree)
    open_last_year = new_problem(tree.town_a1, "村级活动阵地面积不足", participant=p2025, source=Source.CRITIQUE)
    closed_last_year = new_problem(tree.town_a1, "三会一课记录不规范", participant=p2025)
    _close(closed_last_year)
    old_open = new_problem(tree.town_a1, "流动党员底数不清")  # no campaign, still open
    old_closed = new_problem(tree.town_a1, "早已整改的问题")
    _close(old_closed)
    other_org = new_problem(tree.town_a2, "甲二镇的问题", participant=c2025.participants.get(org=tree.town_a2))
    this_year = new_problem(tree.town_a1, "今年点评的问题", participant=p2026)
    prior = selectors.prior_problems_for(p2026)
    assert set(prior) == {open_last_year, closed_last_year, old_open}
    assert other_org not in prior and this_year not in prior and old_closed not in prior
    assert "村级活动阵地面积不足" in selectors.prior_problem_texts(p2026)


def test_carry_over_links_each_prior_problem_once(tree, capsys):
    c2025, c2026, p2025, p2026 = _two_years(tree)
    open_one = new_problem(tree.town_a1, "村级活动阵地面积不足", participant=p2025)
    closed_one = new_problem(tree.town_a1, "三会一课记录不规范", participant=p2025)
    _close(closed_one)
    assert services.carry_over(actor=None, campaign=c2026) == 2
    assert services.carry_over(actor=None, campaign=c2026) == 0  # idempotent
    links = {c.problem_id: c.open_when_carried for c in CarryOver.objects.filter(participant=p2026)}
    assert links == {open_one.pk: True, closed_one.pk: False}
    # The open problem keeps its one rectification: nothing is duplicated.
    assert open_one.rectification.status == Status.NOT_STARTED
    call_command("carry_over", str(c2026.pk))
    assert "新结转 0 个问题" in capsys.readouterr().out


def test_carry_over_button_and_campaign_filter(tree, role_users, client):
    c2025, c2026, p2025, p2026 = _two_years(tree)
    new_problem(tree.town_a1, "村级活动阵地面积不足", participant=p2025)
    client.force_login(role_users["admin"])
    response = client.post(f"/critiques/campaign/{c2026.pk}/carry-over/")
    assert response.status_code == 302
    assert CarryOver.objects.filter(campaign=c2026).count() == 1
    body = client.get(f"/problems/?campaign={c2026.pk}").content.decode()
    assert "村级活动阵地面积不足" in body

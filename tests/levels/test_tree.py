"""The campaign tree: inheritance within the superior's limits, and results flowing up."""

from decimal import Decimal

import pytest

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import CampaignState
from shuping.levels import selectors, services
from shuping.levels.models import RubricPolicy

from .conftest import D, launch, publish_grades

pytestmark = pytest.mark.django_db


def test_launch_creates_the_organisers_campaign_with_its_subordinates_reporting(plan, tree):
    root = plan.nodes.get()
    assert root.campaign.organiser == tree.city
    assert set(root.campaign.participants.values_list("org__name", flat=True)) == {"甲县委", "乙县委"}
    assert root.campaign.indicators.count() > 0
    assert root.meeting_date == plan.meeting_until


def test_plan_schedule_must_run_forwards(tree):
    with pytest.raises(services.LevelError, match="方案日程"):
        launch(tree, meeting_from=D(2026, 10, 1))


def test_subordinate_inherits_rubric_rules_and_reports_its_own_subordinates(county_node, plan):
    superior = county_node.parent.campaign
    campaign = county_node.campaign
    assert campaign.year == 2026 and campaign.organiser.name == "甲县委"
    assert [(i.code, i.name, i.max_score) for i in campaign.indicators.all()] == \
        [(i.code, i.name, i.max_score) for i in superior.indicators.all()]
    for name in services.INHERITED:
        assert getattr(campaign, name) == getattr(superior, name), name
    assert set(campaign.participants.values_list("org__name", flat=True)) == {"甲一镇党委", "甲二镇党委"}
    assert services.limit_violations(county_node) == []


def test_only_a_subordinate_of_the_superior_can_be_placed_under_it(county_node, tree):
    with pytest.raises(services.LevelError, match="不是甲县委的下级单位"):
        services.node_create(actor=None, parent=county_node, organiser=tree.town_b1)
    with pytest.raises(services.LevelError, match="已有考核"):
        services.node_create(actor=None, parent=county_node.parent, organiser=tree.county_a)


def test_a_township_skipping_its_county_is_refused(county_node, tree):
    root = county_node.parent
    with pytest.raises(services.LevelError, match="上级考核应为"):
        services.node_create(actor=None, parent=root, organiser=tree.town_a1)


def test_meeting_date_outside_the_plan_window_is_refused(plan, tree):
    root = plan.nodes.get()
    with pytest.raises(services.LevelError, match="述职评议会日期应在"):
        services.node_create(actor=None, parent=root, organiser=tree.county_a, meeting_date=D(2027, 3, 1))


def test_lower_level_meets_before_its_superior(county_node, tree):
    with pytest.raises(services.LevelError, match="应在上级"):
        services.node_create(actor=None, parent=county_node, organiser=tree.town_a1, meeting_date=D(2027, 1, 10))


def test_weight_shift_within_tolerance_is_allowed_and_beyond_is_refused(county_node):
    services.node_adjust(actor=None, node=county_node, weight_meeting=Decimal("40"), weight_routine=Decimal("40"))
    county_node.campaign.refresh_from_db()
    assert county_node.campaign.weight_meeting == Decimal("40")
    with pytest.raises(services.LevelError, match="超过方案允许的 10"):
        services.node_adjust(actor=None, node=county_node, weight_meeting=Decimal("41"))
    county_node.campaign.refresh_from_db()
    assert county_node.campaign.weight_meeting == Decimal("40")


def test_changing_an_inherited_indicator_blocks_the_start_of_writing(county_node):
    campaign = county_node.campaign
    indicator = campaign.indicators.first()
    campaign_services.indicator_save(actor=None, campaign=campaign, indicator=indicator, max_score=Decimal("99"))
    assert any("被改动" in v for v in services.limit_violations(county_node))
    with pytest.raises(campaign_services.CampaignError, match="被改动"):
        campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.WRITING)


def test_add_only_policy_allows_own_indicators_but_locked_does_not(county_node):
    campaign = county_node.campaign
    campaign_services.indicator_save(actor=None, campaign=campaign, code="X1", name="本县特色指标",
                                     max_score=Decimal("5"))
    assert services.limit_violations(county_node) == []
    campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.WRITING)
    plan = county_node.plan
    plan.rubric_policy = RubricPolicy.LOCKED
    plan.save()
    county_node.refresh_from_db()
    assert any("不得增加指标" in v for v in services.limit_violations(county_node))


def test_removing_an_inherited_indicator_is_a_violation(county_node):
    indicator = county_node.campaign.indicators.first()
    campaign_services.indicator_delete(actor=None, indicator=indicator)
    assert any("缺少上级指标" in v for v in services.limit_violations(county_node))


def test_published_results_flow_up_to_every_superior_level(town_node, county_node, tree):
    publish_grades(town_node.campaign, {tree.village_a1: "好"})
    publish_grades(county_node.campaign, {tree.town_a1: "较好", tree.town_a2: "差"})
    rows = {r.node.campaign.organiser.name: r for r in selectors.progress_rows(county_node.plan)}
    assert rows["甲一镇党委"].flowed_list == [1, 0, 0, 0]
    assert rows["甲县委"].grade_list == [0, 1, 0, 1]
    assert rows["甲县委"].flowed_list == [1, 1, 0, 1]
    assert rows[tree.city.name].flowed_list == [1, 1, 0, 1]
    assert rows[tree.city.name].flowed_good_share == Decimal("66.67")
    assert rows["甲一镇党委"].published and not rows[tree.city.name].published


def test_a_correction_supersedes_the_earlier_version_in_the_flow(town_node, tree):
    publish_grades(town_node.campaign, {tree.village_a1: "好"})
    publish_grades(town_node.campaign, {tree.village_a1: "一般"}, number=2)
    rows = {r.node.campaign.organiser.name: r for r in selectors.progress_rows(town_node.plan)}
    assert rows[tree.city.name].flowed_list == [0, 0, 1, 0]
    assert rows["甲一镇党委"].version == 2


def test_unpublished_results_do_not_flow(town_node, tree):
    rows = {r.node.campaign.organiser.name: r for r in selectors.progress_rows(town_node.plan)}
    assert rows[tree.city.name].flowed_list == [0, 0, 0, 0]


def test_joint_exam_puts_the_configured_share_of_county_results_into_the_city_bonus(county_node, tree):
    publish_grades(county_node.campaign, {tree.town_a1: "好", tree.town_a2: "一般"})
    root = county_node.parent
    services.joint_apply(actor=None, node=root)
    participant = root.campaign.participants.get(org=tree.county_a)
    assert participant.bonus == Decimal("1.00")  # 50 % good × plan.joint_cap 2
    assert root.campaign.participants.get(org=tree.county_b).bonus == Decimal("0.00")


def test_scope_limits_the_progress_rows(county_node, role_users, tree):
    from shuping.accounts.scope import UserScope

    rows = selectors.progress_rows(county_node.plan, UserScope(role_users["admin"]))  # admin of county A
    assert [r.node.campaign.organiser.name for r in rows] == ["甲县委"]
    assert list(selectors.visible_plans(UserScope(role_users["admin"]))) == [county_node.plan]
    assert list(selectors.visible_plans(UserScope(role_users["outsider"]))) == []




def test_a_special_plan_gets_the_light_rubric_written_reports_and_its_own_dashboard(tree):
    from shuping.campaigns.models import CampaignKind, Presentation
    from shuping.dashboards import selectors as dash

    plan = launch(tree, kind=CampaignKind.SPECIAL, template=None)
    root = plan.nodes.get()
    assert root.campaign.kind == CampaignKind.SPECIAL
    assert list(root.campaign.indicators.values_list("code", flat=True)) == ["S1", "S2", "S3", "D1"]
    assert set(root.campaign.participants.values_list("presentation", flat=True)) == {Presentation.WRITTEN}
    county = services.node_create(actor=None, parent=root, organiser=tree.county_a)
    assert county.campaign.kind == CampaignKind.SPECIAL
    publish_grades(county.campaign, {tree.town_a1: "好", tree.town_a2: "较好"})
    special = dash.dashboard("grades-special", tree.city, 2026)
    assert special.rows == [["甲县委", 1, 1, 0, 0, 2, Decimal("100.00")]]
    assert dash.dashboard("grades-unit", tree.city, 2026).rows == []  # never mixed into the annual figures
    progress = {r[0]: r for r in dash.progress_table(tree.city, 2026).rows}
    assert "甲县委" in progress
    rows = {r.node.campaign.organiser.name: r for r in selectors.progress_rows(plan)}
    assert rows[tree.city.name].flowed_list == [1, 1, 0, 0]


def test_special_results_feed_a_special_superior_campaign_in_the_joint_exam(tree):
    from shuping.campaigns.models import CampaignKind

    plan = launch(tree, kind=CampaignKind.SPECIAL, template=None)
    root = plan.nodes.get()
    county = services.node_create(actor=None, parent=root, organiser=tree.county_a)
    publish_grades(county.campaign, {tree.town_a1: "好", tree.town_a2: "差"})
    services.joint_apply(actor=None, node=root)
    assert root.campaign.participants.get(org=tree.county_a).bonus == Decimal("1.00")


def test_two_new_and_park_templates_are_shipped():
    from shuping.campaigns.models import RubricTemplate

    names = set(RubricTemplate.objects.values_list("name", flat=True))
    assert {"非公企业指标模板", "社会组织指标模板", "园区指标模板"} <= names
    park = RubricTemplate.objects.get(name="园区指标模板")
    assert "两新" in park.indicators.get(code="R5").guidance


def test_an_existing_subordinate_campaign_can_be_attached_once(plan, tree, client, role_users):
    from django.urls import reverse

    from ..builders import make_campaign, make_user

    root = plan.nodes.get()
    existing = make_campaign(tree)  # county A's campaign launched before the plan
    other_year = make_campaign(tree, title="2025年度", year=2025)
    assert list(selectors.attachable(root)) == [existing]
    with pytest.raises(services.LevelError, match="同一年度"):
        services.node_attach(actor=None, parent=root, campaign=other_year)
    client.force_login(role_users["admin"])
    assert client.post(reverse("levels:node_attach", args=[root.pk]), {"campaign": existing.pk}).status_code == 404
    city_admin = make_user("city-admin", "admin", tree.city)
    client.force_login(city_admin)
    response = client.post(reverse("levels:node_attach", args=[root.pk]), {"campaign": existing.pk})
    node = existing.level_node
    assert response.status_code == 302 and node.parent == root
    with pytest.raises(services.LevelError, match="已有考核"):
        services.node_attach(actor=None, parent=root, campaign=existing)


def test_each_level_names_its_own_leadership_group(town_node, county_node, plan):
    names = {n.campaign.organiser.unit_type: n.campaign.evaluator_groups.get(code="CW").name for n in plan.nodes.all()}
    assert names == {"prefecture": "市（州）委常委", "county": "县委常委", "township": "乡镇党委班子成员"}

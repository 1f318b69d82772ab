"""The campaign pages through Django's test client."""

import io
import json
from decimal import Decimal

import openpyxl
import pytest
from django.urls import reverse

from shuping.accounts.models import Role
from shuping.campaigns import services
from shuping.campaigns.models import (
    Ballot,
    Campaign,
    CampaignState,
    RankingGroup,
    ResultVersion,
    RubricTemplate,
)
from shuping.jobs.models import Job
from shuping.jobs.services import KINDS
from shuping.orgs.models import UnitType

from ..builders import make_campaign, make_org, make_user
from ..jobs.worker import job_page_after_run, job_result, start_job
from .conftest import set_state
from .test_ballot_import import ballot
from .workbooks import ballot_workbook, import_ballots


@pytest.fixture
def admin(client, role_users):
    client.force_login(role_users["admin"])
    return client


def test_wizard_creates_a_campaign_and_bulk_adds_participants_into_ranking_groups(admin, tree):
    make_org("A-D1", tree.county_a, name="甲县教育局党组", unit_type=UnitType.DEPARTMENT)
    response = admin.post(reverse("campaigns:create"), {
        "organiser": tree.county_a.pk, "year": 2026, "title": "2026年度甲县述职评议考核", "kind": "annual",
        "template": RubricTemplate.objects.get(sector="rural").pk,
    })
    campaign = Campaign.objects.get(title="2026年度甲县述职评议考核")
    assert response.url == reverse("campaigns:participants", args=[campaign.pk])
    assert campaign.indicators.count() == 10 and campaign.evaluator_groups.count() == 4
    url = reverse("campaigns:participants", args=[campaign.pk])
    admin.post(url, {"action": "bulk", "unit_types": ["township"], "ranking_group_name": "乡镇组",
                     "presentation": "on_stage"})
    admin.post(url, {"action": "bulk", "unit_types": ["department"], "ranking_group_name": "县直部门组",
                     "presentation": "written"})
    groups = {p.org.code: p.ranking_group.name for p in campaign.participants.select_related("org", "ranking_group")}
    assert groups == {"A-1": "乡镇组", "A-2": "乡镇组", "A-D1": "县直部门组"}
    page = admin.get(url).content.decode()
    assert "甲县教育局党组" in page and "县直部门组" in page


def test_wizard_offers_only_organisers_in_the_manage_scope(admin, tree):
    response = admin.post(reverse("campaigns:create"), {
        "organiser": tree.county_b.pk, "year": 2026, "title": "越权", "kind": "annual"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    assert not Campaign.objects.exists()


def test_participant_order_and_single_add_remove(admin, tree, campaign):
    url = reverse("campaigns:participants", args=[campaign.pk])
    a1, a2 = campaign.participants.order_by("agenda_order")
    group = RankingGroup.objects.get(campaign=campaign)
    admin.post(url, {"action": "order", f"order-{a1.pk}": "2", f"order-{a2.pk}": "1", f"group-{a1.pk}": group.pk,
                     f"group-{a2.pk}": group.pk, f"presentation-{a1.pk}": "written",
                     f"presentation-{a2.pk}": "on_stage"})
    assert [p.org.code for p in campaign.participants.order_by("agenda_order")] == ["A-2", "A-1"]
    admin.post(reverse("campaigns:participant_remove", args=[campaign.pk, a1.pk]))
    assert list(campaign.participants.values_list("org__code", flat=True)) == ["A-2"]
    admin.post(url, {"action": "add", "org": tree.town_a1.pk, "ranking_group_name": "乡镇组", "presentation": "on_stage"})
    assert campaign.participants.count() == 2


def test_config_validation_errors_are_chinese(admin, campaign):
    url = reverse("campaigns:config", args=[campaign.pk])
    form = {"title": campaign.title, "year": 2026, "kind": "annual", "previous": "", "weight_meeting": "30",
            "weight_democratic": "20", "weight_routine": "50", "trim_min": "5", "threshold_good": "80",
            "threshold_fair": "85", "threshold_average": "60", "quota_good": "130", "quota_fair": "",
            "veto_grade": "差", "bonus_cap": "5", "value_good": "100", "value_fair": "80", "value_average": "60",
            "value_poor": "0"}
    page = admin.post(url, form).content.decode()
    assert "确保该值小于或等于100" in page  # quota 130 %
    form["quota_good"] = "30"
    page = admin.post(url, form).content.decode()
    assert "等次分数线应满足：好 &gt; 较好 &gt; 一般" in page
    form.update(threshold_good="92", threshold_fair="85", trim_min="2")
    assert "确保该值大于或等于3" in admin.post(url, form).content.decode()
    form["trim_min"] = "6"
    assert admin.post(url, form).status_code == 302
    campaign.refresh_from_db()
    assert (campaign.threshold_good, campaign.trim_min) == (Decimal("92"), 6)


def test_rubric_editor_adds_edits_and_deletes_indicators_inline(admin, campaign):
    htmx = {"HTTP_HX_REQUEST": "true"}
    new = reverse("campaigns:indicator_new", args=[campaign.pk])
    response = admin.post(new, {"code": "R6", "name": "意识形态工作", "kind": "required", "max_score": "10",
                                "guidance": "", "topic": "", "order": "11"}, **htmx)
    assert 'hx-swap-oob="beforeend:#indicator-rows"' in response.content.decode()
    indicator = campaign.indicators.get(code="R6")
    response = admin.post(new, {"code": "R6", "name": "重复", "kind": "required", "max_score": "10", "order": "1"},
                          **htmx)
    assert "指标编码“R6”已存在" in response.content.decode()
    edit = reverse("campaigns:indicator_edit", args=[campaign.pk, indicator.pk])
    assert 'hx-include="closest tr"' in admin.get(edit, **htmx).content.decode()
    response = admin.post(edit, {"code": "R6", "name": "意识形态工作责任制", "kind": "required", "max_score": "8",
                                 "order": "11"}, **htmx)
    assert "意识形态工作责任制" in response.content.decode()
    indicator.refresh_from_db()
    assert indicator.max_score == Decimal("8")
    admin.post(reverse("campaigns:indicator_delete", args=[campaign.pk, indicator.pk]), **htmx)
    assert not campaign.indicators.filter(code="R6").exists()


def test_rubric_round_trips_through_xlsx(admin, campaign):
    page, exported = job_result(admin, reverse("campaigns:rubric_export", args=[campaign.pk]))
    assert f"导出{campaign.title}指标体系" in page and f"下载 {campaign.title}指标体系.xlsx" in page
    sheet = openpyxl.load_workbook(io.BytesIO(exported))["指标"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("指标编码", "指标名称", "类型", "满分", "评分要点", "对应主题", "顺序")
    assert [r[0] for r in rows[1:]] == ["R1", "R2", "R3", "R4", "R5", "B1", "B2", "B3", "D1", "V1"]
    services.indicator_save(actor=None, campaign=campaign, code="X1", name="临时", max_score=Decimal(1))
    upload = io.BytesIO(exported)
    upload.name = "rubric.xlsx"
    job_url = start_job(admin, reverse("campaigns:rubric_import", args=[campaign.pk]), {"file": upload})
    page = job_page_after_run(admin, job_url)
    assert "导入指标体系：rubric.xlsx" in page and "已完成" in page and "已导入 10 个指标" in page
    assert sorted(campaign.indicators.values_list("code", flat=True)) == sorted(
        ["R1", "R2", "R3", "R4", "R5", "B1", "B2", "B3", "D1", "V1"])


def test_rubric_import_page_offers_the_export_as_its_template(admin, campaign):
    page = admin.get(reverse("campaigns:rubric_import", args=[campaign.pk])).content.decode()
    assert f'<form method="post" action="{reverse("campaigns:rubric_export", args=[campaign.pk])}"' in page


def test_evaluator_groups_editor_refuses_zero_weight_and_adds_a_group(admin, campaign):
    url = reverse("campaigns:groups", args=[campaign.pk])
    data = {}
    for g in campaign.evaluator_groups.all():
        data.update({f"g{g.pk}-code": g.code, f"g{g.pk}-name": g.name, f"g{g.pk}-weight": str(g.weight),
                     f"g{g.pk}-anonymous": "on", f"g{g.pk}-order": g.order})
    cw = campaign.evaluator_groups.get(code="CW")
    page = admin.post(url, {**data, f"g{cw.pk}-weight": "0"}).content.decode()
    assert "权重必须大于 0" in page
    admin.post(url, {**data, "new-code": "JW", "new-name": "纪检监察代表", "new-weight": "5", "new-order": "9"})
    assert campaign.evaluator_groups.get(code="JW").weight == Decimal("5")


def test_scores_table_sets_routine_scores_and_requires_a_veto_reason(admin, campaign):
    url = reverse("campaigns:scores", args=[campaign.pk])
    a1, a2 = campaign.participants.order_by("agenda_order")
    data = {f"p{a1.pk}-routine_score": "91.5", f"p{a1.pk}-bonus": "2", f"p{a1.pk}-deduction": "0",
            f"p{a2.pk}-routine_score": "", f"p{a2.pk}-bonus": "0", f"p{a2.pk}-deduction": "1",
            f"p{a2.pk}-vetoed": "on", f"p{a2.pk}-veto_reason": ""}
    assert "一票否决必须填写事由" in admin.post(url, data).content.decode()
    data[f"p{a2.pk}-veto_reason"] = "发生重大负面舆情"
    assert admin.post(url, data).status_code == 302
    a1.refresh_from_db()
    a2.refresh_from_db()
    assert (a1.routine_score, a1.bonus, a2.vetoed, a2.deduction) == (Decimal("91.5"), Decimal(2), True, Decimal(1))


def test_ballot_upload_shows_the_error_table_and_imports_nothing(admin, meeting_campaign):
    url = reverse("campaigns:ballots_import", args=[meeting_campaign.pk])
    page = job_page_after_run(admin, start_job(admin, url, {"file": ballot_workbook(ballot("CW01", "A-1", R1="20"))}))
    assert 'id="import-errors"' in page and "得分“20”超出范围，应在 0～15 之间" in page
    assert "导入失败：发现 1 处错误，未导入任何数据" in page and Ballot.objects.count() == 0
    job_url = start_job(admin, url, {"file": ballot_workbook(ballot("CW01", "A-1"), [("QZ", "A-1", "好")])})
    page = job_page_after_run(admin, job_url)
    assert "已导入评分票 1 张、民主测评票 1 张" in page and f'href="{url}"' in page
    assert Ballot.objects.count() == 2 and meeting_campaign.ballot_batches.get().file_name == "测评票.xlsx"
    assert "测评票.xlsx" in admin.get(url).content.decode()  # the batch list, to revoke it if needed


def test_ballot_import_job_reports_its_steps(admin, meeting_campaign):
    url = reverse("campaigns:ballots_import", args=[meeting_campaign.pk])
    job = Job.objects.get(pk=start_job(admin, url, {"file": ballot_workbook(
        ballot("CW01", "A-1") + ballot("CW01", "A-2"), [("QZ", "A-1", "好")])}).split("/")[2])
    steps = []
    KINDS[job.kind](job, lambda done, total, step="": steps.append((done, total, step)))
    assert steps == [(0, 1, "正在读取并校验全部行（全部无误后一次写入）"), (1, 4, "正在校验评分表（0/16 行）"),
                     (2, 4, "正在校验民主测评表"), (3, 4, "全部校验通过，正在写入评分票 2 张、民主测评票 1 张"),
                     (1, 1, "已导入评分票 2 张、民主测评票 1 张")]


def test_a_ballot_import_started_before_the_campaign_moved_on_fails_in_chinese(admin, meeting_campaign):
    url = reverse("campaigns:ballots_import", args=[meeting_campaign.pk])
    job_url = start_job(admin, url, {"file": ballot_workbook(ballot("CW01", "A-1"))})
    set_state(meeting_campaign, CampaignState.SCORING)
    services.campaign_publish(actor=None, campaign=Campaign.objects.get(pk=meeting_campaign.pk))
    page = job_page_after_run(admin, job_url)
    assert "失败" in page and "导入失败：" in page and Ballot.objects.count() == 0


def test_transition_buttons_show_guard_messages(admin, tree):
    empty = make_campaign(tree, title="空考核", participants=[])
    page = admin.get(reverse("campaigns:detail", args=[empty.pk])).content.decode()
    assert "尚未确定述职人" in page
    admin.post(reverse("campaigns:transition", args=[empty.pk]), {"to_state": "writing"})
    empty.refresh_from_db()
    assert empty.state == CampaignState.DRAFT


def _scored(campaign):
    campaign = set_state(campaign, CampaignState.MEETING)
    import_ballots(campaign, ballot("CW01", "A-1") + ballot("CW01", "A-2", R1="3"), [("QZ", "A-1", "好")])
    return set_state(campaign, CampaignState.SCORING)


def test_results_page_has_a_chart_per_ranking_group_and_publishing_freezes_it(admin, campaign):
    campaign = _scored(campaign)
    url = reverse("campaigns:results", args=[campaign.pk])
    page = admin.get(url).content.decode()
    assert "预览" in page and 'class="ranking-chart' in page and "campaigns/results_chart.js" in page
    chart = json.loads(page.split('id="ranking-chart-data" type="application/json">')[1].split("</script>")[0])
    assert chart == [{"name": "乡镇组", "labels": ["甲一镇党委", "甲二镇党委"], "values": ["89.80", "72.00"],
                      "grades": ["较好", "一般"]}]
    admin.post(reverse("campaigns:publish", args=[campaign.pk]), {"reason": "部务会审定"})
    campaign.refresh_from_db()
    version = ResultVersion.objects.get(campaign=campaign)
    assert campaign.state == CampaignState.PUBLISHED and version.reason == "部务会审定"
    page = admin.get(url).content.decode()
    assert "已发布 第 1 版" in page and version.content_hash in page
    job_page, content = job_result(admin, reverse("campaigns:results_export", args=[campaign.pk]))
    assert f"导出{campaign.title}结果（第1版）" in job_page and f"下载 {campaign.title}结果（第1版）.xlsx" in job_page
    job = Job.objects.get(kind="campaigns.results_export")
    assert "%E7%AC%AC1%E7%89%88" in admin.get(f"/jobs/{job.pk}/download/")["Content-Disposition"]  # 第1版
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    rows = list(workbook["结果"].iter_rows(values_only=True))
    assert [(r[1], r[2], r[-3], r[-2]) for r in rows[1:]] == [(1, "甲一镇党委", 89.8, "较好"), (2, "甲二镇党委", 72, "一般")]
    info = dict(workbook["说明"].iter_rows(min_row=2, values_only=True))
    assert info["状态"] == "已发布 第 1 版" and info["内容哈希（SHA-256）"] == version.content_hash


def test_correction_needs_a_reason_and_adds_a_version(admin, campaign):
    campaign = _scored(campaign)
    first = services.campaign_publish(actor=None, campaign=campaign)
    url = reverse("campaigns:correct", args=[campaign.pk])
    a1, a2 = campaign.participants.order_by("agenda_order")
    rows = {f"p{a1.pk}-bonus": "0", f"p{a1.pk}-deduction": "0", f"p{a2.pk}-bonus": "0", f"p{a2.pk}-deduction": "0",
            f"p{a2.pk}-routine_score": "95"}
    assert "这个字段是必填项" in admin.post(url, {**rows, "reason": ""}).content.decode()
    assert ResultVersion.objects.count() == 1
    admin.post(url, {**rows, "reason": "甲二镇日常考核得分漏录"})
    second = ResultVersion.objects.get(campaign=campaign, number=2)
    assert second.reason == "甲二镇日常考核得分漏录" and second.content_hash != first.content_hash
    assert ResultVersion.objects.get(number=1).content_hash == first.content_hash
    row = next(r for r in second.data if r["org_code"] == "A-2")
    assert row["routine_score"] == "95.00"
    # the scores page of a published campaign leads to the correction form
    assert admin.get(reverse("campaigns:scores", args=[campaign.pk])).url == url


def test_a_participating_reporter_sees_the_campaign_but_only_published_results(client, tree, campaign):
    reporter = make_user("town_reporter", Role.REPORTER, tree.town_a1)
    client.force_login(reporter)
    assert campaign.title in client.get(reverse("campaigns:list")).content.decode()
    campaign = _scored(campaign)
    page = client.get(reverse("campaigns:results", args=[campaign.pk])).content.decode()
    assert "结果尚未发布" in page and "甲二镇党委" not in page
    assert client.post(reverse("campaigns:results_export", args=[campaign.pk])).status_code == 404
    services.campaign_publish(actor=None, campaign=campaign)
    # By default a reporter sees his own row and rank, not the other townships (tests/campaigns/test_result_visibility.py).
    page = client.get(reverse("campaigns:results", args=[campaign.pk])).content.decode()
    assert "甲一镇党委" in page and "甲二镇党委" not in page


def test_outsiders_do_not_see_the_campaign(client, role_users, campaign):
    client.force_login(role_users["outsider"])
    assert campaign.title not in client.get(reverse("campaigns:list")).content.decode()


def test_wizard_gives_a_special_campaign_written_reports_and_the_light_rubric(admin, tree):
    page = admin.get(reverse("campaigns:create")).content.decode()
    assert "按类型默认（年度考核现场述职，专项述职书面述职）" in page
    admin.post(reverse("campaigns:create"), {
        "organiser": tree.county_a.pk, "year": 2026, "title": "2026年甲县年中专项述职", "kind": "special"})
    special = Campaign.objects.get(title="2026年甲县年中专项述职")
    assert special.default_presentation == "written"
    assert list(special.indicators.values_list("code", "name")) == [
        ("S1", "专项任务推进情况"), ("S2", "问题整改情况"), ("S3", "责任落实情况"), ("D1", "责任落实不力")]
    url = reverse("campaigns:participants", args=[special.pk])
    assert 'value="written" selected' in admin.get(url).content.decode().replace("\n", "")
    admin.post(url, {"action": "add", "org": tree.town_a1.pk, "ranking_group_name": "乡镇组", "presentation": "written"})
    assert special.participants.get().get_presentation_display() == "书面述职"

    # Spoken instead, and a template instead of the light rubric: the organiser's choice wins.
    admin.post(reverse("campaigns:create"), {
        "organiser": tree.county_a.pk, "year": 2026, "title": "2026年甲县年中专项述职（现场）", "kind": "special",
        "default_presentation": "on_stage", "template": RubricTemplate.objects.get(sector="rural").pk})
    spoken = Campaign.objects.get(title="2026年甲县年中专项述职（现场）")
    assert spoken.default_presentation == "on_stage" and spoken.indicators.count() == 10
    annual = make_campaign(tree)
    assert annual.default_presentation == "on_stage" and annual.participants.first().presentation == "on_stage"

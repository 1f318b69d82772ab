"""shuping import-ballots, tally and export-results."""

import io
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from shuping.campaigns import services
from shuping.campaigns.models import Ballot, CampaignState
from shuping.core.xlsx import open_workbook

from .conftest import set_state
from .test_ballot_import import ballot
from .workbooks import ballot_workbook

RESULT_KEYS = {"reporter", "ranking_group", "group_scores", "meeting_score", "democratic_score", "good_rate",
               "routine_score", "composite", "rank", "grade"}


@pytest.fixture
def scored(meeting_campaign, tmp_path):
    path = tmp_path / "ballots.xlsx"
    path.write_bytes(ballot_workbook(ballot("CW01", "A-1") + ballot("CW02", "A-2", R1="5"),
                                     [("QZ", "A-1", "好"), ("QZ", "A-2", "较好")]).getvalue())
    call_command("import_ballots", str(meeting_campaign.pk), str(path), stdout=io.StringIO())
    participant = meeting_campaign.participants.get(org__code="A-1")
    services.participant_update(actor=None, participant=participant, routine_score=Decimal(90), bonus=Decimal(1))
    return meeting_campaign


def _run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_ballots_command_stores_ballots(scored):
    assert Ballot.objects.filter(campaign=scored, total__isnull=False).count() == 2


def test_import_ballots_command_lists_errors_and_fails(meeting_campaign, tmp_path):
    path = tmp_path / "bad.xlsx"
    path.write_bytes(ballot_workbook(ballot("CW01", "A-1", R1="99")).getvalue())
    err = io.StringIO()
    with pytest.raises(CommandError, match="未导入任何数据"):
        call_command("import_ballots", str(meeting_campaign.pk), str(path), stderr=err)
    assert "“评分”表第 2 行【得分】：得分“99”超出范围" in err.getvalue()
    with pytest.raises(CommandError, match="找不到编号为 999"):
        call_command("import_ballots", "999", str(path))


def test_tally_json_has_the_documented_keys(scored):
    payload = json.loads(_run("tally", str(scored.pk), "--json"))
    assert payload["preview"] is True and payload["version"] is None
    rows = {r["org_code"]: r for r in payload["results"]}
    assert set(rows["A-1"]) >= RESULT_KEYS
    # meeting 83, democratic 100, routine 90: 24.9 + 20 + 45 = 89.90, + 1
    assert rows["A-1"]["composite"] == "90.90" and rows["A-1"]["rank"] == 1
    assert rows["A-2"]["group_scores"] == {"CW": {"count": 1, "score": "74.00"}}


def test_tally_table_is_readable_chinese(scored):
    out = _run("tally", str(scored.pk))
    assert "预览（未发布）" in out and "【乡镇组】" in out and "综合得分" in out and "甲一镇党委" in out


def test_export_results_preview_workbook(scored, tmp_path):
    out = tmp_path / "results.xlsx"
    message = _run("export_results", str(scored.pk), str(out))
    assert "预览" in message
    workbook = open_workbook(str(out))
    rows = list(workbook["结果"].iter_rows(values_only=True))
    assert list(rows[0]) == ["排名分组", "排名", "述职单位", "述职人", "县委常委得分", "党建领导小组成员单位得分", "党代表得分",
                             "群众代表得分", "现场测评得分", "民主测评得分", "好评率", "日常考核得分", "加分", "扣分", "综合得分",
                             "等次", "一票否决"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert (first["述职单位"], first["排名"], first["综合得分"], first["好评率"]) == ("甲一镇党委", 1, 90.9, 1)
    # 好评率 is a number Excel can sum and sort, shown as a percentage with 2 places.
    header = [c.value for c in workbook["结果"][1]]
    cell = workbook["结果"].cell(row=2, column=header.index("好评率") + 1)
    assert cell.number_format == "0.00%" and workbook["结果"].cell(row=2, column=header.index("综合得分") + 1).number_format == "0.00"
    assert first["县委常委得分"] == 83 and first["党代表得分"] is None
    detail = list(workbook["指标明细"].iter_rows(values_only=True))
    assert detail[0] == ("排名分组", "述职单位", "述职人", "指标编码", "指标名称", "满分", "平均得分", "票数")
    a2_r1 = next(r for r in detail if r[1] == "甲二镇党委" and r[3] == "R1")
    assert (a2_r1[6], a2_r1[7]) == (5, 1)
    info = dict(workbook["说明"].iter_rows(min_row=2, values_only=True))
    assert info["状态"].startswith("预览")


def test_export_results_of_a_published_campaign_uses_the_frozen_version(scored, tmp_path):
    campaign = set_state(scored, CampaignState.SCORING)
    version = services.campaign_publish(actor=None, campaign=campaign)
    out = tmp_path / "published.xlsx"
    message = _run("export_results", str(campaign.pk), str(out))
    assert f"第 1 版，内容哈希 {version.content_hash}" in message
    info = dict(open_workbook(str(out))["说明"].iter_rows(min_row=2, values_only=True))
    assert (info["状态"], info["内容哈希（SHA-256）"]) == ("已发布 第 1 版", version.content_hash)
    payload = json.loads(_run("tally", str(campaign.pk), "--json"))
    assert (payload["version"], payload["content_hash"]) == (1, version.content_hash)

"""The Excel ballot workbook: what it accepts, and that any error imports nothing."""

from decimal import Decimal

import pytest

from shuping.campaigns import excel, services
from shuping.campaigns.models import Ballot, BallotScore, BallotSource
from shuping.campaigns.services import CampaignError
from shuping.core.xlsx import ImportFailed, WorkbookError, open_workbook
from shuping.orgs import services as org_services

from ..builders import make_person
from .workbooks import ballot_workbook, import_ballots

FULL = {"R1": "14", "R2": "13", "R3": "12", "R4": "11", "R5": "18", "B1": "6", "B2": "5", "B3": "4"}  # 83


def ballot(evaluator, reporter, group="CW", **overrides):
    scores = {**FULL, **overrides}
    return [(evaluator, group, reporter, code, value) for code, value in scores.items() if value is not None]


def _fails(campaign, scores=(), votes=()):
    with pytest.raises(ImportFailed) as caught:
        import_ballots(campaign, scores, votes)
    assert Ballot.objects.count() == 0 and BallotScore.objects.count() == 0
    return [(e.sheet, e.row, e.column, e.message) for e in caught.value.errors]


def test_a_valid_workbook_stores_score_ballots_and_anonymous_votes(meeting_campaign):
    a1 = meeting_campaign.participants.get(org__code="A-1")
    summary = import_ballots(meeting_campaign, ballot("CW01", "A-1") + ballot("CW02", "甲二镇党委"),
                             [("CW", "A-1", "好"), ("县委常委", "A-1", "一般")])
    assert (summary.score_ballots, summary.democratic_votes) == (2, 2)
    stored = Ballot.objects.get(participant=a1, total__isnull=False)
    assert stored.total == Decimal("83.00") and stored.source == BallotSource.EXCEL
    assert stored.slot == services.slot_for("excel:CW01", a1.pk)
    votes = Ballot.objects.filter(total__isnull=True)
    assert sorted(votes.values_list("democratic", flat=True)) == ["一般", "好"]
    assert len(set(votes.values_list("slot", flat=True))) == 2
    assert not votes.filter(scores__isnull=False).exists()


def test_reporter_may_be_the_secretarys_name(tree, meeting_campaign):
    secretary = make_person("S1", [tree.town_a1], name="王建国", phone="13811112222")
    org_services.org_update(actor=None, org=tree.town_a1, secretary=secretary)
    services.participant_update(actor=None, participant=meeting_campaign.participants.get(org=tree.town_a1),
                                secretary=secretary)
    import_ballots(meeting_campaign, ballot("CW01", "王建国"))
    assert Ballot.objects.get().participant.org == tree.town_a1


def test_an_ambiguous_secretary_name_is_an_error(tree, meeting_campaign):
    for code, org in (("S1", tree.town_a1), ("S2", tree.town_a2)):
        person = make_person(code, [org], name="李明", phone="13811112222")
        services.participant_update(actor=None, participant=meeting_campaign.participants.get(org=org),
                                    secretary=person)
    errors = _fails(meeting_campaign, ballot("CW01", "李明"))
    assert errors[0][2] == "述职人" and "对应多名述职人" in errors[0][3] and "请改填组织编码" in errors[0][3]


def test_out_of_range_and_malformed_scores_are_listed_row_by_row(meeting_campaign):
    errors = _fails(meeting_campaign, ballot("CW01", "A-1", R1="16") + ballot("CW02", "A-1", R2="-1", R3="abc",
                                                                            R4="1.234"))
    assert [(row, column) for _sheet, row, column, _m in errors] == [(2, "得分"), (11, "得分"), (12, "得分"), (13, "得分")]
    assert "得分“16”超出范围，应在 0～15 之间" in errors[0][3]
    assert "请填写数字，最多两位小数" in errors[2][3]


def test_unknown_and_organiser_only_indicator_codes_are_refused(meeting_campaign):
    rows = ballot("CW01", "A-1") + [("CW01", "CW", "A-1", "X9", "3"), ("CW01", "CW", "A-1", "D1", "2")]
    errors = _fails(meeting_campaign, rows)
    messages = [m for _s, _r, column, m in errors if column == "指标编码"]
    assert messages == ["指标编码“X9”不存在", "“D1 责任落实不力”是扣分项，由组织部门录入，评议人不打分"]


def test_unknown_reporter_group_and_vote_option(meeting_campaign):
    errors = _fails(meeting_campaign, ballot("CW01", "乙一镇党委") + ballot("CW02", "A-1", group="纪委"),
                    votes=[("QZ", "A-2", "很好")])
    columns = {(sheet, column) for sheet, _r, column, _m in errors}
    assert ("评分", "述职人") in columns and ("评分", "评议组") in columns and ("民主测评", "评价") in columns


def test_the_same_indicator_twice_in_one_ballot_is_a_duplicate(meeting_campaign):
    errors = _fails(meeting_campaign, ballot("CW01", "A-1") + [("CW01", "CW", "A-1", "R1", "10")])
    assert errors == [("评分", 10, "指标编码", "重复评分：评议人“CW01”对“甲一镇党委”的指标R1已在第 2 行填写")]


def test_a_ballot_must_score_every_required_and_bonus_item(meeting_campaign):
    errors = _fails(meeting_campaign, ballot("CW01", "A-1", B2=None, R5=None))
    assert errors == [("评分", 2, "指标编码", "评议人“CW01”对“甲一镇党委”的评分缺少指标：R5、B2")]


def test_an_evaluator_belongs_to_one_group(meeting_campaign):
    errors = _fails(meeting_campaign, ballot("CW01", "A-1") + ballot("CW01", "A-2", group="LD"))
    assert errors[0][1:3] == (10, "评议组") and "第 2 行属于另一个评议组" in errors[0][3]


def test_a_ballot_already_in_the_database_is_not_imported_again(meeting_campaign):
    import_ballots(meeting_campaign, ballot("CW01", "A-1"))
    with pytest.raises(ImportFailed) as caught:
        import_ballots(meeting_campaign, ballot("CW02", "A-2") + ballot("CW01", "A-1"))
    assert [str(e) for e in caught.value.errors] == [
        "“评分”表第 10 行【评议人编号】：评议人“CW01”对“甲一镇党委”的测评票已导入过，不能重复导入"
    ]
    assert Ballot.objects.count() == 1


def test_missing_columns_and_missing_sheets(meeting_campaign):
    with pytest.raises(ImportFailed) as caught:
        excel.ballots_import(ballot_workbook(score_headers=["评议人编号", "述职人", "指标编码", "得分"]),
                             actor=None, campaign=meeting_campaign)
    assert "缺少列：评议组" in str(caught.value.errors[0])
    with pytest.raises(WorkbookError, match="既没有"):
        excel.ballots_import(ballot_workbook(sheets=()), actor=None, campaign=meeting_campaign)


def test_ballots_are_refused_before_the_meeting_and_after_publication(campaign):
    with pytest.raises(CampaignError, match="只有处于“会议”或“计分”阶段"):
        import_ballots(campaign, ballot("CW01", "A-1"))
    assert Ballot.objects.count() == 0


def test_the_blank_template_lists_reporters_and_indicator_codes(meeting_campaign):
    workbook = open_workbook(__import__("io").BytesIO(excel.ballot_template(meeting_campaign)))
    rows = list(workbook["评分"].iter_rows(values_only=True))
    assert list(rows[0]) == excel.SCORE_HEADERS
    assert {(r[2], r[3]) for r in rows[1:]} == {(p, c) for p in ("A-1", "A-2") for c in FULL}
    assert [r[1] for r in workbook["民主测评"].iter_rows(values_only=True)] == ["述职人", "A-1", "A-2"]
    assert "填写说明" in workbook.sheetnames

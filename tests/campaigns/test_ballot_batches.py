"""Ballot imports are batches: the same file twice is refused, a batch is revoked as a whole,
and a sheet that looks like a ballot sheet under another name is an error (issue 11)."""

import io

import pytest
from django.urls import reverse

from shuping.audit.models import AuditEntry
from shuping.campaigns import excel, services
from shuping.campaigns.models import Ballot, BallotBatch, CampaignState
from shuping.core.xlsx import ImportFailed, WorkbookError, new_workbook, workbook_bytes, write_sheet

from .test_ballot_import import ballot
from .workbooks import ballot_workbook

pytestmark = pytest.mark.heavy  # joins the long PostgreSQL pass (scripts/test)

FILES: dict = {}


def _import(campaign, scores=(), votes=()):
    """The same rows give the same file bytes (an .xlsx carries its creation time otherwise)."""
    key = (tuple(scores), tuple(votes))
    raw = FILES.setdefault(key, ballot_workbook(scores, votes).getvalue())
    return excel.ballots_import(io.BytesIO(raw), actor="录入", campaign=campaign, note="测评票.xlsx")


def test_the_same_file_twice_is_refused_and_nothing_is_counted_twice(meeting_campaign):
    votes = [("CW", "A-1", "好"), ("CW", "A-1", "一般")]
    _import(meeting_campaign, ballot("CW01", "A-1"), votes)
    assert Ballot.objects.count() == 3
    with pytest.raises(WorkbookError, match="已于 .* 导入过"):
        _import(meeting_campaign, ballot("CW01", "A-1"), votes)
    assert Ballot.objects.count() == 3
    batch = BallotBatch.objects.get()
    assert (batch.score_ballots, batch.democratic_votes, batch.file_name) == (1, 2, "测评票.xlsx")
    assert len(batch.sha256) == 64 and set(Ballot.objects.values_list("batch", flat=True)) == {batch.pk}


def test_a_revoked_batch_takes_all_its_ballots_and_the_file_may_then_come_again(meeting_campaign):
    _import(meeting_campaign, [], [("CW", "A-1", "好")])
    kept = excel.ballots_import(ballot_workbook([], [("CW", "A-2", "差")]), actor="录入", campaign=meeting_campaign)
    batch = BallotBatch.objects.get(democratic_votes=1, ballots__participant__org__code="A-1")
    assert services.ballot_batch_revoke(actor="录入", batch=batch) == 1
    assert list(Ballot.objects.values_list("democratic", flat=True)) == ["差"]
    assert kept.democratic_votes == 1
    with pytest.raises(services.CampaignError, match="已撤销"):
        services.ballot_batch_revoke(actor="录入", batch=batch)
    assert AuditEntry.objects.filter(action="ballot.batch_revoke").get().after["deleted_ballots"] == 1
    _import(meeting_campaign, [], [("CW", "A-1", "好")])  # same file again, after revoking: allowed
    assert Ballot.objects.count() == 2


def test_batches_cannot_be_revoked_after_publication(meeting_campaign):
    from .conftest import set_state

    _import(meeting_campaign, [], [("CW", "A-1", "好")])
    campaign = set_state(meeting_campaign, CampaignState.PUBLISHED)
    with pytest.raises(services.CampaignError):
        services.ballot_batch_revoke(actor="录入", batch=campaign.ballot_batches.get())
    assert Ballot.objects.count() == 1


def test_a_misnamed_sheet_with_ballot_headers_is_an_error_not_a_skip(meeting_campaign):
    workbook = new_workbook()
    write_sheet(workbook, excel.SCORE_SHEET, excel.SCORE_HEADERS, [list(r) for r in ballot("CW01", "A-1")])
    write_sheet(workbook, "民主测评 (2)", excel.VOTE_HEADERS, [["CW", "A-1", "好"]])
    write_sheet(workbook, "评分表", excel.SCORE_HEADERS, [list(r) for r in ballot("CW02", "A-1")])
    data = io.BytesIO(workbook_bytes(workbook))
    with pytest.raises(ImportFailed) as caught:
        excel.ballots_import(data, actor="录入", campaign=meeting_campaign)
    messages = [str(e) for e in caught.value.errors]
    assert any("“民主测评 (2)”" in m and "改名为“民主测评”" in m for m in messages)
    assert any("“评分表”" in m and "改名为“评分”" in m for m in messages)
    assert not Ballot.objects.exists() and not BallotBatch.objects.exists()


def test_the_template_itself_imports_without_a_misnamed_sheet_error(meeting_campaign):
    workbook = io.BytesIO(excel.ballot_template(meeting_campaign))
    with pytest.raises(ImportFailed) as caught:
        excel.ballots_import(workbook, actor="录入", campaign=meeting_campaign)
    assert not any("工作表名不是" in str(e) for e in caught.value.errors)


def test_import_page_lists_batches_and_revokes_one(client, role_users, meeting_campaign):
    _import(meeting_campaign, [], [("CW", "A-1", "好")])
    client.force_login(role_users["admin"])
    url = reverse("campaigns:ballots_import", args=[meeting_campaign.pk])
    body = client.get(url).content.decode()
    assert "导入批次" in body and "测评票.xlsx" in body and "整批撤销" in body
    batch = BallotBatch.objects.get()
    response = client.post(reverse("campaigns:ballot_batch_revoke", args=[meeting_campaign.pk, batch.pk]))
    assert response.status_code == 302 and not Ballot.objects.exists()
    body = client.get(url).content.decode()
    assert "已撤销" in body and "整批撤销" not in body.split("导入批次", 1)[1].split("</table>")[0].replace(
        "可在结果发布前整批撤销", "")

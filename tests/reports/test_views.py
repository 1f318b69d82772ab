import re
import sys
import types
import zlib

import pytest
from django.urls import reverse

from shuping.accounts.models import Role
from shuping.reports import exports, services
from shuping.reports.documents import parse_editor_text
from shuping.reports.models import Report, ReportState

from ..builders import make_user
from ..jobs.worker import run_jobs
from .conftest import REPORT_V1, approve, level_reviewer

pytestmark = pytest.mark.django_db


@pytest.fixture
def prior(monkeypatch):
    problems = ["阵地建设滞后", "软弱涣散村党组织整顿不到位"]
    fake = types.SimpleNamespace(prior_problems_for=lambda p: [types.SimpleNamespace(description=d) for d in problems])
    monkeypatch.setitem(sys.modules, "shuping.rectification.selectors", fake)
    return problems


def test_diff_highlights_insertions_and_deletions(client, written, role_users):
    services.report_save(actor=role_users["reporter"], participant=written, source="editor",
                         blocks=parse_editor_text(REPORT_V1.replace("培训党员1200人次", "培训党员1350人次") + "新增一段整改情况。\n"))
    client.force_login(role_users["leader"])
    response = client.get(reverse("reports:diff", kwargs={"pk": written.pk}), {"a": 1, "b": 2})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<ins class="diff-ins">新增一段整改情况。</ins>' in html
    assert '<del class="diff-del" title="删除">20</del><ins class="diff-ins" title="新增">35</ins>' in html
    assert "新增段落 1 个" in html


def test_review_page_marks_findings_and_shows_the_panel(client, submitted, role_users, prior):
    client.force_login(role_users["reviewer"])
    response = client.get(reverse("reports:review", kwargs={"pk": submitted.pk}))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<mark class="tc-data" title="数据">1200人次</mark>' in html
    assert '<mark class="tc-practice" title="特色做法">“红色代办”</mark>' in html
    assert '<mark class="tc-empty" title="套话">进一步加强</mark>' in html
    assert "tc-label" in html  # 党建+产业 without party content
    heading_line = next(line for line in html.splitlines() if "二、存在的问题" in line)
    assert "tc-label" not in heading_line  # the 两张皮 mark stops at its own paragraphs
    assert "水分指数" in html and "必答题覆盖" in html
    assert "未见回应</span>：软弱涣散村党组织整顿不到位" in html
    assert "第1级 党建科室负责人 审核" in html


def test_reviewer_approves_and_returns_through_the_page(client, submitted, role_users, prior):
    client.force_login(role_users["reviewer"])
    url = reverse("reports:review", kwargs={"pk": submitted.pk})
    assert client.post(url, {"level": 1, "decision": "approve", "comment": "同意"}).status_code == 302
    returning = {"level": 2, "decision": "return", "comment": "", "quote": "高度重视，扎实推进",
                 "quote_comment": "请写具体做法", "quote_hint": 0}
    refused = client.post(url, returning)  # the level-1 reviewer may not also decide level 2
    assert refused.status_code == 200 and "已在其他级次审核过" in refused.content.decode()
    client.force_login(level_reviewer(role_users["reviewer"], 2))
    response = client.post(url, returning)
    assert response.status_code == 302
    report = Report.objects.get(participant=submitted)
    assert report.state == ReportState.RETURNED
    client.force_login(role_users["reporter"])
    detail = client.get(reverse("reports:detail", kwargs={"pk": submitted.pk})).content.decode()
    assert "退回修改" in detail and "请写具体做法" in detail
    assert '<mark class="tc-comment"' in detail


def test_stale_level_post_is_refused_with_a_message(client, submitted, role_users, prior):
    client.force_login(role_users["reviewer"])
    url = reverse("reports:review", kwargs={"pk": submitted.pk})
    response = client.post(url, {"level": 3, "decision": "approve"})
    assert response.status_code == 200
    assert "请刷新页面" in response.content.decode()
    assert Report.objects.get(participant=submitted).current_level == 1


def test_reviewer_of_another_county_gets_404(client, submitted, tree):
    stranger = make_user("stranger", Role.REVIEWER, tree.county_b)
    client.force_login(stranger)
    assert client.get(reverse("reports:review", kwargs={"pk": submitted.pk})).status_code == 404
    assert client.post(reverse("reports:review", kwargs={"pk": submitted.pk}),
                       {"level": 1, "decision": "approve"}).status_code == 404
    assert Report.objects.get(participant=submitted).current_level == 1


def test_approved_report_cannot_be_edited_through_the_page(client, submitted, role_users):
    for level in range(1, 5):
        approve(submitted, role_users["reviewer"], level)
    client.force_login(role_users["reporter"])
    response = client.post(reverse("reports:edit", kwargs={"pk": submitted.pk}), {"content": REPORT_V1 + "改\n"})
    assert response.status_code == 200
    assert "锁定" in response.content.decode()
    assert Report.objects.get(participant=submitted).versions.count() == 1


def test_chain_page_saves_levels(client, campaign, role_users):
    client.force_login(role_users["admin"])
    url = reverse("reports:chain", kwargs={"pk": campaign.pk})
    assert "党建科室负责人" in client.get(url).content.decode()
    data = {"level-TOTAL_FORMS": 3, "level-INITIAL_FORMS": 0, "level-MIN_NUM_FORMS": 0, "level-MAX_NUM_FORMS": 8,
            "level-0-name": "党建办主任", "level-0-deadline_days": 2,
            "level-1-name": "组织部长", "level-1-deadline_days": 3,
            "level-2-name": "", "level-2-deadline_days": 3,
            "submission_deadline": "2026-12-10", "resubmit_from": "returning"}
    assert client.post(url, data).status_code == 302
    assert list(campaign.review_levels.values_list("name", flat=True)) == ["党建办主任", "组织部长"]
    assert campaign.review_plan.resubmit_from == "returning"


def _approved_campaign(campaign, tree, role_users):
    for org in (tree.town_a1, tree.town_a2):
        participant = campaign.participants.get(org=org)
        services.report_save(actor=role_users["reporter"], participant=participant, source="editor",
                             blocks=parse_editor_text(REPORT_V1.replace("甲一镇", org.name[:3]) + "| 指标 | 完成 |\n| 发展党员 | 26名 |\n"))
        services.report_submit(actor=role_users["reporter"], participant=participant)
        for level in range(1, 5):
            approve(participant, role_users["reviewer"], level)


def test_docx_bundle_opens_with_every_report(client, campaign, tree, role_users):
    import io

    import docx

    _approved_campaign(campaign, tree, role_users)
    client.force_login(role_users["admin"])
    response = client.post(reverse("reports:export_docx", kwargs={"pk": campaign.pk}))
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    page = client.get(response["Location"]).content.decode()
    assert "导出述职报告汇编（Word）" in page and "排队中" in page
    run_jobs()
    page = client.get(response["Location"]).content.decode()
    assert "已完成" in page and "述职报告汇编.docx" in page
    download = client.get(response["Location"] + "download/")
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    texts = [p.text for p in document.paragraphs]
    assert "甲一镇党委书记抓基层党建工作述职报告" in texts and "甲二镇党委书记抓基层党建工作述职报告" in texts
    assert "一、主要工作和成效" in texts
    assert len(document.tables) == 2 and document.tables[0].cell(1, 1).text == "26名"
    assert document.styles["Normal"].font.name == exports.BODY_FONT


def test_pdf_archive_has_cover_toc_and_a_bookmark_per_report(campaign, tree, role_users):
    _approved_campaign(campaign, tree, role_users)
    pdf = exports.pdf_archive(campaign)
    assert pdf.startswith(b"%PDF")
    # Bookmarks (from each report's <h1>) are stored as UTF-16 strings: decode them back.
    raw = pdf + b"".join(_inflate(pdf[m.end():]) for m in re.finditer(rb"stream\r?\n", pdf))
    titles = {bytes.fromhex(h.decode()).decode("utf-16") for h in re.findall(rb"/Title <(feff[0-9a-f]+)>", raw, re.I)}
    assert any("甲一镇党委书记抓基层党建工作述职报告" in t for t in titles), titles
    assert any("甲二镇党委书记抓基层党建工作述职报告" in t for t in titles)


def _inflate(data: bytes) -> bytes:
    try:
        return zlib.decompressobj().decompress(data)
    except zlib.error:
        return b""


def test_export_without_approved_reports_explains(client, campaign, role_users):
    client.force_login(role_users["admin"])
    response = client.post(reverse("reports:export_pdf", kwargs={"pk": campaign.pk}), follow=True)
    assert "还没有审核通过的述职报告" in response.content.decode()


def test_pdf_archive_job_reports_progress_per_report(client, campaign, tree, role_users):
    from shuping.jobs.models import Job

    _approved_campaign(campaign, tree, role_users)
    client.force_login(role_users["admin"])
    response = client.post(reverse("reports:export_pdf", kwargs={"pk": campaign.pk}))
    steps = []
    exports_progress = exports.pdf_archive

    def watched(campaign, progress):
        return exports_progress(campaign, lambda done, total, step="": (steps.append((done, total, step)), progress(done, total, step)))

    from unittest import mock

    with mock.patch.object(exports, "pdf_archive", watched):
        run_jobs()
    assert [s[:2] for s in steps] == [(0, 3), (1, 3), (2, 3)] and "正在排版生成 PDF" in steps[-1][2]
    job = Job.objects.get()
    assert job.status == "succeeded" and job.result_name.endswith("述职报告存档.pdf")
    assert b"".join(client.get(response["Location"] + "download/").streaming_content).startswith(b"%PDF")


def test_a_report_bundle_job_rechecks_the_starters_scope_when_it_runs(client, campaign, tree, role_users):
    """The attacker: an admin starts the county's 汇编 and is moved to county B before a worker runs
    it; the job must not hand him county A's reports."""
    from shuping.accounts.models import RoleGrant

    _approved_campaign(campaign, tree, role_users)
    admin = role_users["admin"]
    client.force_login(admin)
    response = client.post(reverse("reports:export_docx", kwargs={"pk": campaign.pk}))
    RoleGrant.objects.filter(user=admin).update(org=tree.county_b)
    run_jobs()
    page = client.get(response["Location"]).content.decode()
    assert "导出失败：要处理的内容已不存在，或已不在你的管理范围内" in page and "下载" not in page
    assert client.get(response["Location"] + "download/").status_code == 404

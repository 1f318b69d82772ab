"""Every import and upload path gets malformed files: a clear Chinese error and nothing half-written.

Each entry of IMPORTERS is (name, valid-file builder, importer). The importer receives bytes and
either succeeds or raises an exception whose message is Chinese. The database row counts must not
change when it raises. The number of cases that ran is printed (-s shows it) and written to
test-artifacts/fuzz-cases.txt.
"""

import io
import os
import zipfile
from pathlib import Path

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook

from shuping.core.xlsx import ImportFailed, WorkbookError
from shuping.orgs import excel as org_excel
from shuping.reports.documents import DocumentRejected

from ..fuzzing import has_chinese, malformed

pytestmark = pytest.mark.heavy  # joins the long PostgreSQL pass (scripts/test)

# CI runs 150 per path; SHUPING_FUZZ_CASES raises it for a longer hunt.
CASES_PER_IMPORTER = int(os.environ.get("SHUPING_FUZZ_CASES", "150"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
EXPECTED_ERRORS = (WorkbookError, ImportFailed, ValidationError, DocumentRejected)


def _orgs(tree):
    def importer(data: bytes):
        org_excel.import_workbook(io.BytesIO(data), actor=None, allowed_paths=None, max_bytes=10 * 1024 * 1024)

    return org_excel.template_workbook(), importer


def _campaign_in(tree, state):
    from shuping.campaigns import services as campaign_services
    from shuping.campaigns.models import CampaignState

    from ..builders import make_campaign

    campaign = make_campaign(tree)
    order = [CampaignState.WRITING, CampaignState.REVIEW, CampaignState.MEETING]
    for target in order[: order.index(state) + 1] if state in order else []:
        campaign = campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=target)
    return campaign


def _rubric(tree):
    from shuping.campaigns import excel as campaign_excel

    campaign = _campaign_in(tree, "draft")
    return campaign_excel.rubric_export(campaign), lambda data: campaign_excel.rubric_import(
        io.BytesIO(data), actor=None, campaign=campaign, max_bytes=10 * 1024 * 1024)


def _ballots(tree):
    from shuping.campaigns import excel as campaign_excel
    from shuping.campaigns.models import CampaignState

    campaign = _campaign_in(tree, CampaignState.MEETING)
    return campaign_excel.ballot_template(campaign), lambda data: campaign_excel.ballots_import(
        io.BytesIO(data), actor=None, campaign=campaign, max_bytes=10 * 1024 * 1024)


def _problems(tree):
    from shuping.rectification import excel as problem_excel

    return problem_excel.template_workbook(), lambda data: problem_excel.import_problems(
        io.BytesIO(data), actor=None, allowed_paths=None, max_bytes=10 * 1024 * 1024)


def _monthly_scores(tree):
    from decimal import Decimal

    from shuping.routine import excel as routine_excel
    from shuping.routine import services as routine_services

    routine_services.indicator_save(actor=None, organiser=tree.county_a, year=2026, code="Z1", name="组织生活",
                                    max_score=Decimal("20"))
    return routine_excel.scores_template(tree.county_a, 2026, 1), lambda data: routine_excel.scores_import(
        io.BytesIO(data), actor=None, organiser=tree.county_a, year=2026, month=1, max_bytes=10 * 1024 * 1024)


def _responsibilities(tree):
    import datetime

    from shuping.routine import excel as routine_excel

    valid = routine_excel.responsibilities_export(tree.county_a, 2026, day=datetime.date(2026, 1, 1))
    return valid, lambda data: routine_excel.responsibilities_import(
        io.BytesIO(data), actor=None, organiser=tree.county_a, year=2026, max_bytes=10 * 1024 * 1024)


def _report_docx(tree):
    from docx import Document

    from shuping.campaigns.models import CampaignState
    from shuping.reports import services as report_services
    from shuping.reports.documents import read_upload

    campaign = _campaign_in(tree, CampaignState.WRITING)
    participant = campaign.participants.first()
    document = Document()
    document.add_heading("一、主要工作", level=1)
    document.add_paragraph("全年发展党员12名，整顿软弱涣散村党组织3个。")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "指标"
    table.cell(1, 1).text = "95%"
    buffer = io.BytesIO()
    document.save(buffer)

    def importer(data: bytes):
        blocks = read_upload(data, "述职报告.docx")
        report_services.report_save(actor=None, participant=participant, blocks=blocks, source="upload",
                                    filename="述职报告.docx")

    return buffer.getvalue(), importer


def _evidence(tree):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from shuping.rectification.evidence import check_upload

    def importer(data: bytes):
        check_upload(SimpleUploadedFile("佐证.docx", data))

    return _docx_bytes(), importer


def _docx_bytes():
    from docx import Document

    document = Document()
    document.add_paragraph("整改佐证材料")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


IMPORTERS = [
    ("组织与人员", _orgs),
    ("指标体系", _rubric),
    ("测评票", _ballots),
    ("问题清单", _problems),
    ("月度评分", _monthly_scores),
    ("责任清单", _responsibilities),
    ("述职报告", _report_docx),
    ("佐证材料", _evidence),
]


def _row_counts():
    return {model._meta.label_lower: model._default_manager.count() for model in apps.get_models()
            if model._meta.app_label.startswith(("orgs", "campaigns", "reports", "rectification", "routine", "stars", "meetings"))}


def _error_text(exc) -> str:
    if isinstance(exc, ImportFailed):
        return " ".join(str(e) for e in exc.errors) + str(exc)
    if isinstance(exc, ValidationError):
        return "；".join(exc.messages)
    return str(exc)




@pytest.mark.parametrize(("name", "setup"), IMPORTERS, ids=[i[0] for i in IMPORTERS])
@pytest.mark.django_db
def test_malformed_files_give_a_chinese_error_and_write_nothing(name, setup, tree):
    valid_bytes, importer = setup(tree)

    @settings(max_examples=CASES_PER_IMPORTER, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=malformed(valid_bytes))
    def run(data):
        before = _row_counts()
        try:
            importer(data)
        except EXPECTED_ERRORS as exc:
            assert has_chinese(_error_text(exc)), _error_text(exc)
            assert _row_counts() == before
        except Exception as exc:  # noqa: BLE001 - any other exception is a bug: report it clearly
            pytest.fail(f"{name}: {type(exc).__name__}: {exc}")

    run()
    ARTIFACTS.mkdir(exist_ok=True)
    with (ARTIFACTS / "fuzz-cases.txt").open("a", encoding="utf-8") as log:
        log.write(f"{name}: {CASES_PER_IMPORTER} malformed files\n")
    print(f"fuzz {name}: {CASES_PER_IMPORTER} cases")


def _workbook_bytes(rows, *, sheet="组织", headers=org_excel.ORG_HEADERS):
    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(headers)
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@pytest.mark.django_db
def test_ten_megabyte_cell_is_refused(tree):
    data = _workbook_bytes([["A-9", "长" * (10 * 1024 * 1024 // 3), "A", "乡镇", "党委", "", 1, "", 1]])
    with pytest.raises(ImportFailed) as failure:
        _orgs(tree)[1](data)
    assert "内容过长" in _error_text(failure.value)


@pytest.mark.django_db
def test_huge_sheet_is_refused(tree, settings):
    settings.SHUPING_IMPORT_MAX_ROWS = 500
    rows = [[f"H-{i}", f"组织{i}", "A", "乡镇", "党委", "", 1, "", 1] for i in range(600)]
    with pytest.raises(ImportFailed) as failure:
        _orgs(tree)[1](_workbook_bytes(rows))
    assert "行数超过上限" in _error_text(failure.value)


@pytest.mark.django_db
def test_formulas_are_refused(tree):
    data = _workbook_bytes([["A-9", "=HYPERLINK(\"http://x\",\"点我\")", "A", "乡镇", "党委", "", 1, "", 1]])
    with pytest.raises(ImportFailed) as failure:
        _orgs(tree)[1](data)
    assert "公式" in _error_text(failure.value)


@pytest.mark.django_db
def test_oversized_file_is_refused_before_parsing(tree):
    with pytest.raises(WorkbookError, match="文件过大"):
        org_excel.import_workbook(io.BytesIO(b"PK\x03\x04" + b"\0" * 2048), actor=None, allowed_paths=None, max_bytes=1024)


def _zip_bomb(member: str) -> bytes:
    """A small zip whose one member unpacks to 300 MB of zeros."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive, archive.open(member, "w") as handle:
        chunk = b"\0" * (1024 * 1024)
        for _ in range(300):
            handle.write(chunk)
    return buffer.getvalue()


@pytest.mark.django_db
def test_zip_bombs_are_refused_without_unpacking(tree):
    from shuping.reports.documents import read_upload

    with pytest.raises(WorkbookError, match="解压后过大"):
        _orgs(tree)[1](_zip_bomb("xl/worksheets/sheet1.xml"))
    with pytest.raises(DocumentRejected, match="解压后过大"):
        read_upload(_zip_bomb("word/document.xml"), "述职报告.docx")

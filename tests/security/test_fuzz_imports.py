"""Every import and upload path gets malformed files: a clear Chinese error and nothing half-written.

Each entry of IMPORTERS is (name, valid-file builder, importer). The importer receives bytes and
either succeeds or raises an exception whose message is Chinese. The database row counts must not
change when it raises. The number of cases that ran is printed (-s shows it) and written to
test-artifacts/fuzz-cases.txt.
"""

import io
from pathlib import Path

import pytest
from django.apps import apps
from hypothesis import HealthCheck, given, settings
from openpyxl import Workbook

from shuping.core.xlsx import ImportFailed, WorkbookError
from shuping.orgs import excel as org_excel

from ..fuzzing import has_chinese, malformed

CASES_PER_IMPORTER = 60
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
EXPECTED_ERRORS = (WorkbookError, ImportFailed)


def _valid_org_workbook():
    return org_excel.template_workbook()


def _import_orgs(data: bytes):
    org_excel.import_workbook(io.BytesIO(data), actor=None, allowed_paths=None, max_bytes=10 * 1024 * 1024)


IMPORTERS = [
    ("组织与人员", _valid_org_workbook, _import_orgs),
]


def _row_counts():
    return {model._meta.label_lower: model._default_manager.count() for model in apps.get_models()
            if model._meta.app_label.startswith(("orgs", "campaigns", "reports", "rectification", "routine", "stars", "meetings"))}


def _error_text(exc) -> str:
    if isinstance(exc, ImportFailed):
        return " ".join(str(e) for e in exc.errors) + str(exc)
    return str(exc)


ran = {"cases": 0}


@pytest.mark.parametrize(("name", "valid", "importer"), IMPORTERS, ids=[i[0] for i in IMPORTERS])
@pytest.mark.django_db
def test_malformed_files_give_a_chinese_error_and_write_nothing(name, valid, importer, tree):
    valid_bytes = valid()

    @settings(max_examples=CASES_PER_IMPORTER, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(data=malformed(valid_bytes))
    def run(data):
        ran["cases"] += 1
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
    (ARTIFACTS / "fuzz-cases.txt").write_text(f"{ran['cases']} malformed files\n", encoding="utf-8")
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
        _import_orgs(data)
    assert "内容过长" in _error_text(failure.value)


@pytest.mark.django_db
def test_huge_sheet_is_refused(tree, settings):
    settings.SHUPING_IMPORT_MAX_ROWS = 500
    rows = [[f"H-{i}", f"组织{i}", "A", "乡镇", "党委", "", 1, "", 1] for i in range(600)]
    with pytest.raises(ImportFailed) as failure:
        _import_orgs(_workbook_bytes(rows))
    assert "行数超过上限" in _error_text(failure.value)


@pytest.mark.django_db
def test_formulas_are_refused(tree):
    data = _workbook_bytes([["A-9", "=HYPERLINK(\"http://x\",\"点我\")", "A", "乡镇", "党委", "", 1, "", 1]])
    with pytest.raises(ImportFailed) as failure:
        _import_orgs(data)
    assert "公式" in _error_text(failure.value)


@pytest.mark.django_db
def test_oversized_file_is_refused_before_parsing(tree):
    with pytest.raises(WorkbookError, match="文件过大"):
        org_excel.import_workbook(io.BytesIO(b"PK\x03\x04" + b"\0" * 2048), actor=None, allowed_paths=None, max_bytes=1024)

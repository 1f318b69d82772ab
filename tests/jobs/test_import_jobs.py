"""A large org workbook is imported as a background job: progress page, summary or error table."""

import pytest
from django.urls import reverse

from shuping.jobs.models import Job
from shuping.orgs.models import Org

from ..foundation.test_org_excel import _workbook
from .worker import run_jobs


@pytest.fixture
def big_is_tiny(settings, tmp_path):
    settings.SHUPING_IMPORT_BACKGROUND_BYTES = 0  # every upload counts as large
    settings.MEDIA_ROOT = tmp_path / "files"
    return settings.MEDIA_ROOT


def _upload(client, rows, name="全省组织.xlsx"):
    source = _workbook(rows)
    source.name = name
    response = client.post(reverse("orgs:import"), {"file": source})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    return response["Location"]


def test_large_org_import_runs_in_the_background_and_reports_its_summary(client, tree, role_users, big_is_tiny):
    client.force_login(role_users["admin"])
    page_url = _upload(client, [["A-20", "甲二十镇党委", "A", "乡镇", "党委", "", 1, "", 30]])
    assert "导入组织与人员：全省组织.xlsx" in client.get(page_url).content.decode()
    assert list((big_is_tiny / "imports").iterdir())  # kept where every worker node can read it
    assert not Org.objects.filter(code="A-20").exists()
    run_jobs()
    page = client.get(page_url).content.decode()
    assert "已完成" in page and "导入完成：新增组织 1 个" in page
    assert Org.objects.get(code="A-20").parent == tree.county_a
    assert not list((big_is_tiny / "imports").iterdir())  # the upload is discarded after the import


def test_a_refused_background_import_shows_the_error_table_and_writes_nothing(client, tree, role_users, big_is_tiny):
    client.force_login(role_users["admin"])
    page_url = _upload(client, [["A-20", "", "A", "乡镇", "党委", "", 1, "", 1]])
    run_jobs()
    page = client.get(page_url).content.decode()
    assert "失败" in page and "导入失败：发现 1 处错误，未导入任何数据" in page
    assert "错误清单" in page and "不能为空" in page
    assert not Org.objects.filter(code="A-20").exists()
    assert Job.objects.get().details[0]["row"] == 2


def test_a_background_import_keeps_the_importers_scope(client, tree, role_users, big_is_tiny):
    client.force_login(role_users["outsider"])  # admin of county B
    page_url = _upload(client, [["A-20", "甲二十镇党委", "A", "乡镇", "党委", "", 1, "", 30]])
    run_jobs()
    assert "失败" in client.get(page_url).content.decode()
    assert not Org.objects.filter(code="A-20").exists()

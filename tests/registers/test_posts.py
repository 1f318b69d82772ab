"""第一书记/驻村工作队 assignments and their Excel list."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shuping.core.xlsx import ImportFailed
from shuping.registers import posts
from shuping.registers.models import Assignment

from .conftest import xlsx

ROW = ["王晓东", "第一书记", "县财政局", "A-1-1", "", "2025-03-01", "", "13900001111"]


def test_import_round_trip_and_one_first_secretary_at_a_time(tree):
    assert len(posts.assignments_import(xlsx([ROW], posts.HEADERS, sheet=posts.SHEET), actor=None, root=tree.county_a)) == 1
    exported = posts.assignments_workbook(tree.county_a, 2026)
    row = next(load_workbook(io.BytesIO(exported))[posts.SHEET].iter_rows(min_row=2, values_only=True))
    assert row[:6] == ("王晓东", "第一书记", "县财政局", "A-1-1", "甲一村党支部", "2025-03-01")
    posts.assignments_import(io.BytesIO(exported), actor=None, root=tree.county_a)  # same person: updated in place
    assert Assignment.objects.count() == 1
    clash = ["李红梅", "第一书记", "县教育局", "A-1-1", "", "2026-01-01", "", ""]
    with pytest.raises(ImportFailed) as caught:
        posts.assignments_import(xlsx([clash], posts.HEADERS, sheet=posts.SHEET), actor=None, root=tree.county_a)
    assert "已有第一书记（王晓东）" in str(caught.value.errors[0])
    assert list(posts.assignments_in(tree.county_a, 2024)) == []


def test_bad_rows_write_nothing(tree):
    with pytest.raises(ImportFailed) as caught:
        posts.assignments_import(xlsx([["", "书记员", "", "A-1", "", "三月", "x", ""]], posts.HEADERS,
                                      sheet=posts.SHEET), actor=None, root=tree.county_a)
    text = "\n".join(str(e) for e in caught.value.errors)
    for expected in ("不是甲县委所辖村（社区）", "身份】：应为", "姓名】：不能为空", "开始日期", "结束日期"):
        assert expected in text
    with pytest.raises(ImportFailed):
        posts.assignments_import(io.BytesIO(b"nope"), actor=None, root=tree.county_a)
    assert not Assignment.objects.exists()


def test_admin_registers_in_the_ui_and_reviewer_reads(client, tree, role_users):
    client.force_login(role_users["admin"])
    response = client.post(reverse("registers:post_new", args=[tree.county_a.pk, 2026]), {
        "person_name": "赵志强", "role": "team_member", "sending_unit": "县农业农村局", "village": tree.village_a1.pk,
        "start": "2026-02-01", "end": ""})
    assert response.status_code == 302
    client.force_login(role_users["reviewer"])
    page = client.get(reverse("registers:posts", args=[tree.county_a.pk, 2026])).content.decode()
    assert "赵志强" in page and "驻村工作队队员" in page and "县农业农村局" in page
    assert posts.assignments_in(tree.county_a, 2026).get().start == datetime.date(2026, 2, 1)


def test_village_page_lists_its_first_secretary(client, tree, role_users):
    posts.assignment_save(actor=None, assignment=Assignment(person_name="王晓东", sending_unit="县财政局",
                                                             village=tree.village_a1, start=datetime.date(2026, 1, 1)))
    client.force_login(role_users["leader"])
    page = client.get(reverse("orgs:detail", args=[tree.village_a1.pk])).content.decode()
    assert "第一书记和驻村工作队" in page and "王晓东" in page


def test_a_wrong_entry_is_deleted_with_its_reason_in_the_audit_log(client, tree, role_users):
    from shuping.audit.models import AuditEntry

    wrong = posts.assignment_save(actor=None, assignment=Assignment(
        person_name="李错录", sending_unit="县教育局", village=tree.village_a1, start=datetime.date(2026, 1, 1)))
    edit = reverse("registers:post_edit", args=[tree.county_a.pk, 2026, wrong.pk])
    client.force_login(role_users["reviewer"])
    assert client.post(reverse("registers:post_delete", args=[tree.county_a.pk, 2026, wrong.pk]),
                       {"reason": "录入错误"}).status_code == 403
    client.force_login(role_users["admin"])
    assert "删除原因" in client.get(edit).content.decode()
    page = client.post(reverse("registers:post_delete", args=[tree.county_a.pk, 2026, wrong.pk]),
                       {"reason": "录入错误"}, follow=True).content.decode()
    assert "已删除李错录的驻村记录" in page and "李错录" not in page.split("post-table")[1]
    assert not Assignment.objects.filter(pk=wrong.pk).exists()
    entry = AuditEntry.objects.get(action="register.assignment_delete")
    assert entry.before["person_name"] == "李错录" and entry.after == {"reason": "录入错误"}

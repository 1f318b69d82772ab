"""The big screen after close (issue 13 item 1): each ranking group in its own table, ranked by the
现场测评 score that the table shows, 32 reporters paged on a 1920×1080 projector."""

from decimal import Decimal

import pytest

from tests.browser.helpers import ARTIFACTS, browser_session, login, requires_chromium
from tests.builders import PASSWORD

from .conftest import hall_with_ranking_groups

pytestmark = [pytest.mark.browser, requires_chromium]


def closed_meeting_with_two_ranking_groups(tree):
    from shuping.meetings import selectors, services

    meeting, cards = hall_with_ranking_groups(tree, towns=20, departments=12)
    campaign = meeting.campaign
    indicators = services.scored_indicators(campaign)
    for index, participant in enumerate(campaign.participants.order_by("agenda_order", "pk")):
        for card, extra in zip(cards, (0, 1), strict=True):
            value = Decimal(1 + (index * 7 + extra) % 6)  # ties on purpose: equal scores share a rank
            services.ballot_cast(token=card.token, participant_id=participant.pk, democratic="好",
                                 raw_scores={str(i.pk): str(min(value, i.max_score)) for i in indicators})
    services.meeting_close(actor=None, meeting=meeting)
    meeting.refresh_from_db()
    return meeting, selectors.ranking_rows(meeting)


@pytest.mark.django_db(transaction=True)
def test_board_after_close_shows_each_ranking_group_with_its_meeting_score(live_server, tree, role_users):
    meeting, expected = closed_meeting_with_two_ranking_groups(tree)
    assert [t["name"] for t in expected] == ["乡镇组", "县直部门组"]
    for table in expected:
        scores = [Decimal(r["meeting_score"]) for r in table["rows"]]
        assert scores == sorted(scores, reverse=True)
        # the composite (with democratic and routine scores) is not what the board ranks by
        assert all(r["meeting_rank"] == 1 + sum(s > Decimal(r["meeting_score"]) for s in scores) for r in table["rows"])
    url = f"{live_server.url}/meetings/{meeting.pk}/board/"
    with browser_session() as browser:
        page = browser.new_context(viewport={"width": 1920, "height": 1080}).new_page()
        login(page, live_server.url, "admin", PASSWORD)
        page.goto(url)
        page.wait_for_selector("#board-ranking")
        text = page.inner_text("#board-live")
        groups = page.locator(".board-ranking-group")
        titles = [groups.nth(i).locator(".board-group-title").inner_text() for i in range(groups.count())]
        boxes = [groups.nth(i).bounding_box() for i in range(groups.count())]
        headers = [groups.nth(i).locator("thead").inner_text() for i in range(groups.count())]
        shown = [[[cell.strip() for cell in row.split("\t")]
                  for row in groups.nth(i).locator("tbody tr:visible").all_inner_texts()]
                 for i in range(groups.count())]
        labels = [groups.nth(i).locator(".board-page").inner_text() for i in range(groups.count())]
        page.screenshot(path=str(ARTIFACTS / "meeting-board-two-groups-page1.png"))
        page.wait_for_timeout(8500)  # the board turns its pages by itself
        later = groups.nth(0).locator("tbody tr:visible").all_inner_texts()
        later_label = groups.nth(0).locator(".board-page").inner_text()
        page.screenshot(path=str(ARTIFACTS / "meeting-board-two-groups-page2.png"))
    assert "现场测评得分排名" in text and "不含民主测评和日常考核" in text and "综合评定计算" not in text
    assert [t.split("第")[0].strip() for t in titles] == ["乡镇组", "县直部门组"]
    assert boxes[0]["x"] + boxes[0]["width"] <= boxes[1]["x"] and boxes[0]["y"] == boxes[1]["y"]  # side by side
    assert all("现场测评得分" in h for h in headers)
    for table, rows in zip(expected, shown, strict=True):
        assert 10 <= len(rows) <= len(table["rows"])  # a page fills the screen height
        assert [row[:4] for row in rows] == [[str(r["meeting_rank"]), r["org"], r["reporter"] or "—", r["meeting_score"]]
                                             for r in table["rows"][:len(rows)]]
    assert labels[0] == "第 1/2 页" and later_label == "第 2/2 页"
    first_page = {row.split("\t")[1] for row in (("\t".join(r)) for r in shown[0])}
    assert not first_page & {row.split("\t")[1] for row in later}

"""Two evaluator phones vote, the big screen counts, the organiser closes, the ranking appears,
and the same card link then shows how many reporters it rated — no scores (issue 11)."""

import pytest

from shuping.campaigns.models import Ballot
from tests.browser.helpers import ARTIFACTS, PHONE, browser_session, login, requires_chromium
from tests.builders import PASSWORD

from .conftest import build_hall

pytestmark = [pytest.mark.browser, requires_chromium]


def _vote(page, base, token, hall, values):
    page.goto(f"{base}/m/k/{token}/")
    assert page.url == f"{base}/m/b/" and token not in page.content()
    for participant, value in zip(hall.participants, values, strict=True):
        page.goto(f"{base}/m/b/{participant.pk}/")
        for indicator in hall.indicators:
            page.fill(f"#s_{indicator.pk}", str(min(value, int(indicator.max_score))))
        page.check("input[name=democratic][value='较好']")
        page.click("#submit-ballot")
        page.wait_for_selector("text=已提交对")


@pytest.mark.django_db(transaction=True)
def test_phones_vote_board_counts_and_ranking_after_close(live_server, tree, role_users):
    hall = build_hall(tree, per_group=2)
    from shuping.meetings import services

    services.meeting_set_current(actor=None, meeting=hall.meeting, participant=hall.participants[0])
    tokens = [hall.token("QZ", 0), hall.token("DB", 1)]
    meeting_id = hall.meeting.pk
    base = live_server.url
    with browser_session() as browser:
        screen = browser.new_context(viewport={"width": 1600, "height": 900})
        board = screen.new_page()
        login(board, base, "admin", PASSWORD)
        board.goto(f"{base}/meetings/{meeting_id}/board/")
        board.wait_for_selector("#board-counts")
        phones = [browser.new_context(**PHONE) for _ in tokens]
        pages = [context.new_page() for context in phones]
        # a failed submit highlights what is missing
        pages[0].goto(f"{base}/m/k/{tokens[0]}/")
        card_cookie = next(c for c in phones[0].cookies() if c["name"] == "shuping_card")
        assert card_cookie["httpOnly"] and tokens[0] not in card_cookie["value"]
        pages[0].click("#submit-ballot")
        pages[0].wait_for_selector(".indicator-error")
        assert "未打分" in pages[0].content()
        _vote(pages[0], base, tokens[0], hall, [5, 4])
        _vote(pages[1], base, tokens[1], hall, [3, 6])
        assert "已评 2/2" in pages[1].content()
        pages[0].goto(f"{base}/m/b/{hall.participants[0].pk}/")
        assert pages[0].input_value(f"#s_{hall.indicators[0].pk}") == "5.00"  # its own phone sees its scores
        pages[0].screenshot(path=str(ARTIFACTS / "meeting-ballot-phone.png"), full_page=True)
        board.wait_for_selector("#board-ballots:text-is('4')", timeout=10000)
        board.screenshot(path=str(ARTIFACTS / "meeting-board-live.png"))
        organiser = screen.new_page()
        organiser.on("dialog", lambda dialog: dialog.accept())
        organiser.goto(f"{base}/meetings/{meeting_id}/")
        organiser.click("button[value=close]")
        organiser.wait_for_selector("#meeting-status:text-is('已关闭')")
        board.wait_for_selector("#board-ranking", timeout=10000)
        assert "现场测评得分排名" in board.content()
        board.screenshot(path=str(ARTIFACTS / "meeting-board-ranking.png"))
        for page, token in zip(pages, tokens, strict=True):
            page.goto(f"{base}/m/k/{token}/")  # the same card link, after close
            text = page.inner_text("body")
            assert "会议已关闭" in text and "已提交 2 位" in text
            assert page.locator("input.score-input").count() == 0 and "5.00" not in page.content()
        pages[0].screenshot(path=str(ARTIFACTS / "meeting-card-after-close.png"), full_page=True)
    assert Ballot.objects.filter(campaign=hall.campaign).count() == 4

"""A phone ballot of 15 reporters in few taps (issue 13 "phone ballot is too slow").

Counted like a person's thumb: every click and every fill is one tap. The quick layout (one-tap
bands that fill editable scores) must take ≤ 150 taps for 15 reporters; the 民主测评-only layout,
chosen by the organiser on the meeting settings page, ≤ 20. Screenshots go to test-artifacts/."""

from decimal import Decimal

import pytest

from shuping.campaigns.models import Ballot, BallotScore
from shuping.meetings import services
from shuping.meetings.voting import band_score
from shuping.orgs import services as org_services
from tests.browser.helpers import ARTIFACTS, PHONE, browser_session, login, requires_chromium
from tests.builders import PASSWORD, make_campaign

from .conftest import advance

pytestmark = [pytest.mark.browser, requires_chromium]

BANDS = ["满分", "良好", "一般", "较差"]


class Thumb:
    """Clicks and fills on one page, counted."""

    def __init__(self, page):
        self.page = page
        self.taps = 0

    def click(self, selector):
        self.page.click(selector)
        self.taps += 1

    def fill(self, selector, value):
        self.page.fill(selector, value)
        self.taps += 1


def _meeting_of_fifteen(tree):
    towns = [org_services.org_create(actor=None, parent=tree.county_a, code=f"LAY-{n:02d}", name=f"测评{n}镇党委",
                                     unit_type="township", kind="committee", sector="rural", member_count=80)
             for n in range(1, 16)]
    campaign = advance(make_campaign(tree, participants=towns))
    meeting = services.meeting_create(actor=None, campaign=campaign, place="甲县委常委会议室")
    group = campaign.evaluator_groups.get(code="QZ")
    cards = services.credentials_issue(actor=None, meeting=meeting, group=group, count=3)
    services.meeting_open(actor=None, meeting=meeting)
    reporters = list(campaign.participants.order_by("agenda_order", "pk"))
    indicators = services.scored_indicators(campaign)
    return campaign, meeting, [card.token for card in cards], reporters, indicators


@pytest.mark.django_db(transaction=True)
def test_fifteen_reporters_in_at_most_150_taps_and_democratic_only_in_20(live_server, tree, role_users):
    campaign, meeting, tokens, reporters, indicators = _meeting_of_fifteen(tree)
    first, second = indicators[0], indicators[1]
    guided = next((i for i in indicators if i.guidance), None)
    names = [reporter.org.name for reporter in reporters]
    base = live_server.url
    with browser_session() as browser:
        phone = browser.new_context(**PHONE).new_page()
        thumb = Thumb(phone)
        phone.goto(f"{base}/m/k/{tokens[0]}/")  # the QR scan: the camera, not a tap on the page
        # a refused submit brings the first red item into focus, not the banner at the top
        thumb.click("#submit-ballot")
        phone.wait_for_selector(".indicator-error")
        assert phone.evaluate("document.activeElement.id") == f"s_{first.pk}"
        phone.screenshot(path=str(ARTIFACTS / "ballot-phone-error-focus.png"))
        if guided is not None:
            box = phone.locator(f"#ind-{guided.pk} details > summary").bounding_box()
            assert box["height"] >= 44, box
        for n, name in enumerate(names):
            assert phone.inner_text("#ballot-form h1") == name  # the next reporter comes by itself
            band = BANDS[n % 4]
            thumb.click(f"#band-all label:has-text('{band}')")
            assert phone.input_value(f"#s_{second.pk}") == f"{band_score(second.max_score, band):.2f}"
            if n == 0:
                # answered items of the refused submit turn normal as they get a score
                assert "indicator-error" not in phone.get_attribute(f"#ind-{second.pk}", "class")
                thumb.fill(f"#s_{first.pk}", "1.5")  # a band's score stays editable
                phone.screenshot(path=str(ARTIFACTS / "ballot-phone-quick-after.png"), full_page=True)
            thumb.click("#democratic label:has-text('较好')")
            with phone.expect_navigation():
                thumb.click("#submit-ballot")
            phone.wait_for_selector(f"text=已提交对“{name}”")
        quick_taps = thumb.taps
        summary = phone.inner_text("#own-totals ~ table")
        assert "本机未录入" not in summary and "测评15镇党委" in summary
        phone.screenshot(path=str(ARTIFACTS / "ballot-phone-own-totals.png"), full_page=True)

        # the same bands without JavaScript: the server fills the chosen band
        plain = browser.new_context(**PHONE, java_script_enabled=False).new_page()
        plain.goto(f"{base}/m/k/{tokens[1]}/")
        plain.click(f"#ind-{first.pk} label:has-text('一般')")
        plain.click("#band-all label:has-text('良好')")
        plain.click("#democratic label:has-text('好')")
        plain.click("#submit-ballot")
        plain.wait_for_selector("text=已提交对")

        # the organiser switches the meeting to the one-page 民主测评-only ballot
        organiser = browser.new_context().new_page()
        login(organiser, base, "admin", PASSWORD)
        organiser.goto(f"{base}/meetings/{meeting.pk}/edit/")
        organiser.check("input[name=ballot_layout][value=democratic]")
        organiser.click("main button:has-text('保存')")
        organiser.wait_for_url(f"{base}/meetings/{meeting.pk}/")

        voter = browser.new_context(**PHONE).new_page()
        thumb = Thumb(voter)
        voter.goto(f"{base}/m/k/{tokens[2]}/")
        assert voter.locator("fieldset.democratic-row").count() == 15
        voter.screenshot(path=str(ARTIFACTS / "ballot-phone-democratic-only.png"), full_page=True)
        for n, reporter in enumerate(reporters[:-1]):
            thumb.click(f"#d-{reporter.pk} label:has-text('{['好', '较好', '一般', '差'][n % 4]}')")
        with voter.expect_navigation():
            thumb.click("#submit-ballot")  # one reporter left blank: refused, and focus goes to that row
        voter.wait_for_selector(".indicator-error")
        assert voter.evaluate("document.activeElement.name") == f"d_{reporters[-1].pk}"
        assert voter.is_checked(f"#d-{reporters[0].pk} input[value='好']")  # nothing chosen is lost
        thumb.click(f"#d-{reporters[-1].pk} label:has-text('差')")
        thumb.click("#submit-ballot")
        voter.wait_for_selector("text=已提交全部述职人的民主测评")
        democratic_taps = thumb.taps

    assert quick_taps <= 150, quick_taps
    assert democratic_taps <= 20, democratic_taps
    print(f"taps: 15-reporter quick ballot {quick_taps}, 民主测评-only ballot {democratic_taps}")
    ballots = Ballot.objects.filter(campaign=campaign)
    assert ballots.count() == 15 + 1 + 15
    assert ballots.filter(total__isnull=True).count() == 15  # the 民主测评-only card: choices, no scores
    assert set(ballots.filter(total__isnull=True).values_list("democratic", flat=True)) == {"好", "较好", "一般", "差"}
    # the no-JS phone: its own band on the first item, the overall band on the rest
    plain_ballot = ballots.get(democratic="好", total__isnull=False)
    plain_scores = dict(BallotScore.objects.filter(ballot=plain_ballot).values_list("indicator_id", "score"))
    assert Decimal(plain_scores[first.pk]) == band_score(first.max_score, "一般")
    assert Decimal(plain_scores[second.pk]) == band_score(second.max_score, "良好")

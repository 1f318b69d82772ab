import pytest

from shuping.campaigns.models import Ballot, Campaign, CampaignState
from tests.browser.helpers import ARTIFACTS, browser_session, login, requires_chromium
from tests.builders import PASSWORD

from ..jobs.worker import run_jobs
from .conftest import set_state
from .test_ballot_import import ballot
from .workbooks import ballot_workbook

pytestmark = [pytest.mark.browser, requires_chromium]


@pytest.mark.django_db(transaction=True)
def test_admin_creates_a_campaign_imports_ballots_and_sees_the_chart(live_server, tree, role_users, tmp_path):
    base = live_server.url
    with browser_session() as browser:
        page = browser.new_page()
        login(page, base, "admin", PASSWORD)
        page.click("nav >> text=述职评议")
        page.click("nav .dropdown-menu >> text=述职评议")
        page.click("text=新建考核")
        page.select_option("#id_organiser", label="甲县委")
        page.fill("#id_title", "2026年度甲县述职评议考核")
        page.select_option("#id_template", label="通用（乡镇/街道/县直部门党组织书记）指标模板")
        page.click("main button[type=submit]")
        page.wait_for_selector("text=批量加入直属单位")
        page.check("input[name=unit_types][value=township]")
        page.fill("#id_ranking_group_name", "乡镇组")
        page.click("button:has-text('批量加入')")
        page.wait_for_selector("td:has-text('甲二镇党委')")

    campaign = set_state(Campaign.objects.get(title="2026年度甲县述职评议考核"), CampaignState.MEETING)
    workbook = tmp_path / "ballots.xlsx"
    workbook.write_bytes(ballot_workbook(ballot("CW01", "A-1") + ballot("CW01", "A-2", R1="5"),
                                         [("QZ", "A-1", "好")]).getvalue())

    with browser_session() as browser:
        page = browser.new_page()
        login(page, base, "admin", PASSWORD)
        page.goto(f"{base}/campaigns/{campaign.pk}/ballots/import/")
        page.set_input_files("#id_file", str(workbook))
        page.click("#upload-form button[type=submit]")
        # The upload starts a background job: its page shows the queued state first.
        page.wait_for_url(f"{base}/jobs/**")
        assert "排队中" in page.inner_text("#job-status")
        job_url = page.url

    run_jobs()  # the queue worker, outside the browser block (no ORM inside it)

    with browser_session() as browser:
        page = browser.new_page()
        login(page, base, "admin", PASSWORD)
        page.goto(job_url)
        page.wait_for_selector("text=已导入评分票 2 张、民主测评票 1 张")
        # Back on the import page, the file is listed as a revocable batch.
        page.click("main a:has-text('返回')")
        page.wait_for_selector("td:has-text('ballots.xlsx')")
        page.goto(f"{base}/campaigns/{campaign.pk}/results/")
        page.wait_for_selector(".ranking-chart[data-rendered='1'] canvas")
        page.screenshot(path=str(ARTIFACTS / "campaign-results.png"), full_page=True)
    assert Ballot.objects.filter(campaign=campaign).count() == 3

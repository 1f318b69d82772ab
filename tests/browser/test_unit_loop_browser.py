"""A township liaison and the county office run one problem's whole loop from their 工作台,
never typing a URL; each hand-over shows in the other side's message list."""

import datetime

import pytest

from shuping.accounts.models import Role
from shuping.clock import today
from shuping.rectification.models import Problem, Status
from tests.builders import PASSWORD, make_user

from .helpers import ARTIFACTS, browser_session, login, requires_chromium

pytestmark = [pytest.mark.browser, requires_chromium]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _workbench(page, task_label):
    """Back to the 工作台 by the menu, then open the task by its label."""
    page.click("nav >> text=工作台")
    page.wait_for_selector("#workbench-summary")
    page.click(f"a.workbench-task:has-text('{task_label}')")


@pytest.mark.django_db(transaction=True)
def test_township_liaison_and_county_close_a_problem_from_the_workbench(live_server, tree, role_users):
    make_user("town_liaison", Role.LIAISON, tree.town_a1)
    deadline = (today() + datetime.timedelta(days=45)).isoformat()
    base = live_server.url
    with browser_session() as browser:
        unit = browser.new_context().new_page()
        county = browser.new_context().new_page()
        unit.on("dialog", lambda dialog: dialog.accept())
        login(unit, base, "town_liaison", PASSWORD)
        login(county, base, "admin", PASSWORD)

        # The liaison registers a problem the unit found itself, and writes the plan.
        unit.click("#unit-actions >> text=登记自查问题")
        unit.fill("#id_description", "镇机关支部“三会一课”会议记录不规范，部分会议未留存影像资料")
        unit.select_option("#id_category", "党员队伍建设")
        unit.fill("#id_found_on", today().isoformat())
        unit.click("main button:has-text('登记问题')")
        unit.wait_for_selector("h1:has-text('制定整改方案')")
        unit.fill("#id_measures", "加强会议记录管理")
        unit.fill("#id_deadline", deadline)
        unit.click("button:has-text('报送上级审核')")
        unit.wait_for_selector("#plan-state >> text=待上级审核")

        # The county returns it with a reason.
        _workbench(county, "单位整改方案待审核")
        county.wait_for_selector("h1:has-text('审核整改方案')")
        county.fill("#id_reason", "措施过于笼统，请写明责任人、检查频次和完成节点")
        county.click("button:has-text('退回修改')")
        county.wait_for_selector("text=已退回整改方案")

        # The liaison sees it in red on the 工作台, fixes it and sends it again.
        unit.click("nav >> text=工作台")
        returned = unit.locator("li.list-group-item-danger", has_text="整改方案被退回")
        assert "措施过于笼统" in returned.inner_text()
        unit.screenshot(path=str(ARTIFACTS / "unit-workbench-returned.png"), full_page=True)
        returned.locator("a.workbench-task").click()
        unit.wait_for_selector("#plan-state >> text=措施过于笼统")
        unit.fill("#id_measures", "一、统一会议记录本和影像留存要求；二、镇党委每月抽查；三、45天内完成整改")
        unit.click("button:has-text('报送上级审核')")
        unit.wait_for_selector("#plan-state >> text=待上级审核")

        # The county approves; the plan becomes the rectification's plan.
        _workbench(county, "单位整改方案待审核")
        county.click("button:has-text('批准整改方案')")
        county.wait_for_selector("text=已批准整改方案")

        # The liaison reports progress with evidence and applies for 销号.
        _workbench(unit, "整改待报进展或申请销号")
        unit.wait_for_selector("#rect-status")
        unit.fill("#id_text", "已统一会议记录本，10个支部全部补齐影像资料")
        unit.set_input_files("#id_files", files=[{"name": "记录本照片.png", "mimeType": "image/png", "buffer": PNG}])
        unit.click("button:has-text('报告进展')")
        unit.wait_for_selector("text=已报告整改进展")
        unit.fill("#apply-note", "整改已完成，佐证材料已上传")
        unit.click("button:has-text('申请销号')")
        unit.wait_for_selector("#rect-status >> text=申请销号")

        # The county verifies and closes it.
        _workbench(county, "申请销号待核验")
        county.check("input[value=approve]")
        county.click("button:has-text('提交核验结论')")
        county.wait_for_selector("#rect-status >> text=已销号")

        # Each hand-over is in the message lists.
        unit.click("nav >> text=消息")
        unit.wait_for_selector("#notification-list")
        unit_messages = unit.locator(".notification-title").all_inner_texts()
        unit.screenshot(path=str(ARTIFACTS / "unit-messages.png"), full_page=True)
        county.click("nav >> text=消息")
        county.wait_for_selector("#notification-list")
        county_messages = county.locator(".notification-title").all_inner_texts()
        county.click("button:has-text('全部标为已读')")
        county.wait_for_selector("text=未读 0 条")

    assert unit_messages == ["问题已核验销号", "整改方案已批准，请按方案整改并报告进展", "整改方案被退回修改"]
    assert county_messages == ["甲一镇党委申请销号，请核验", "甲一镇党委报送整改方案，请审核", "甲一镇党委报送整改方案，请审核"]
    problem = Problem.objects.get(description__startswith="镇机关支部")
    assert problem.rectification.status == Status.CLOSED
    assert problem.rectification.measures.startswith("一、统一会议记录本")

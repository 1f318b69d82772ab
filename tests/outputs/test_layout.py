"""Layout: form-check markup, the org tree picker, report tables, the upload warning, 待我审核."""

import re

from django.urls import reverse

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import CampaignState
from shuping.reports import services as report_services
from shuping.reports.documents import parse_editor_text
from shuping.reports.render import highlight_html
from tests.builders import make_campaign

from .visible import page_text


def _participants_page(client, role_users, tree):
    campaign = make_campaign(tree, participants=[])
    client.force_login(role_users["admin"])
    return campaign, client.get(reverse("campaigns:participants", args=[campaign.pk])).content.decode()


def test_checkbox_lists_put_form_check_on_each_option_not_on_the_wrapper(client, role_users, tree):
    _campaign, page = _participants_page(client, role_users, tree)
    wrapper = re.search(r'<div id="id_unit_types"[^>]*>', page).group(0)
    assert "form-check-input" not in wrapper
    options = re.findall(r'<div class="form-check"><input class="form-check-input" type="checkbox" name="unit_types"', page)
    assert len(options) >= 1
    # each box has its own label, so a click lands on the box it names
    assert re.search(r'<label class="form-check-label" for="id_unit_types_0">', page)


def test_org_pickers_are_searchable_indented_trees(client, role_users, tree):
    client.force_login(role_users["admin"])
    page = client.get(reverse("rectification:problems")).content.decode()
    select = re.search(r'<select name="org"[^>]*>(.*?)</select>', page, re.S)
    assert "data-tree-picker" in select.group(0)
    labels = re.findall(r"<option value=\"\d+\"[^>]*>([^<]*)</option>", select.group(1))
    town = next(label for label in labels if label.endswith("甲一镇党委"))
    village = next(label for label in labels if label.endswith("甲一村党支部"))
    assert len(village) - len(village.lstrip("\u3000")) == len(town) - len(town.lstrip("\u3000")) + 1
    assert labels.index(village) == labels.index(town) + 1  # ordered as a tree
    assert "vendor/tom-select/tom-select.complete.min.js" in page and "cdn" not in page.lower()


def test_report_tables_render_as_tables():
    text = "一、主要指标\n指标\t年度目标\t完成情况\n发展党员\t12\t12\n下一段文字"
    html = str(highlight_html(text, [("data", text.index("12"), text.index("12") + 2, "数据")]))
    assert "<table" in html and html.count("<tr") == 2 and "<td>指标</td>" in html
    assert '<mark class="tc-data" title="数据">12</mark>' in html and "｜" not in html and " | " not in html
    assert "<p data-start" in html  # the paragraph after the table is a paragraph again


def test_upload_warns_before_replacing_text_written_online(client, role_users, tree):
    campaign = campaign_services.campaign_transition(actor=None, campaign=make_campaign(tree),
                                                     to_state=CampaignState.WRITING)
    participant = campaign.participants.get(org=tree.town_a1)
    client.force_login(role_users["reporter"])
    url = reverse("reports:upload", args=[participant.pk])
    assert "replace-warning" not in client.get(url).content.decode()
    report_services.report_save(actor=role_users["reporter"], participant=participant,
                                blocks=parse_editor_text("述职报告\n一、工作\n正文"), source="editor")
    page = client.get(url).content.decode()
    assert "在线所做的修改不会合并进来" in page_text(page) and "data-confirm=" in page


def test_review_queue_names_the_campaign(client, role_users, tree):
    campaign = campaign_services.campaign_transition(actor=None, campaign=make_campaign(tree),
                                                     to_state=CampaignState.WRITING)
    participant = campaign.participants.get(org=tree.town_a1)
    report_services.report_save(actor=role_users["reporter"], participant=participant,
                                blocks=parse_editor_text("述职报告\n一、工作\n正文"), source="editor")
    report_services.report_submit(actor=role_users["reporter"], participant=participant)
    client.force_login(role_users["admin"])
    text = page_text(client.get(reverse("reports:list")).content.decode())
    section = text[text.index("待我审核"):]
    assert "考核" in section.split("\n")[:3] and campaign.title in section


def test_rate_charts_print_two_places(tree):
    from shuping.dashboards import selectors

    table = selectors.routine_table(tree.county_a, 2026)
    assert table.chart["decimals"] == 2
    from pathlib import Path

    js = Path("shuping/dashboards/static/dashboards/charts.js").read_text(encoding="utf-8")
    # tooltips go through the escaping formatter with the two-place number format
    assert "toFixed(places)" in js and "ShupingCharts.axisTooltip(params, number)" in js

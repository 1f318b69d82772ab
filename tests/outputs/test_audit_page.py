"""The audit page reads as Chinese: action names, field labels, people's names, no dicts or codes."""

from django.urls import reverse

from shuping.audit.display import ACTIONS, action_label
from shuping.audit.services import log_action, snapshot
from tests.builders import make_campaign

from .visible import data_words, english_words, page_text, reprs


def test_audit_page_shows_chinese_actions_labels_and_names(client, tree, role_users):
    admin = role_users["admin"]
    admin.first_name = "王建国"
    admin.save(update_fields=["first_name"])
    campaign = make_campaign(tree)
    log_action("campaign.transition", actor=admin, obj=campaign, org=tree.county_a,
               before={"state": "scoring"}, after={"state": "published"})
    log_action("star.publicise", actor=admin, obj=campaign, org=tree.county_a, after={"days": 5})
    log_action("org.update", actor=admin, obj=tree.town_a1, org=tree.town_a1, after=snapshot(tree.town_a1))
    client.force_login(admin)
    text = page_text(client.get(reverse("audit:log")).content.decode())
    assert "考核阶段变更" in text and "公示星级评定" in text and "修改组织" in text
    assert "状态：计分 → 已发布" in text.replace("\n", "")
    assert "王建国" in text and "组织名称" in text
    grant_entry = text[text.index("授予角色"):]
    assert "范围：\n甲县委" in grant_entry
    assert "campaign.transition" not in text and "star.publicise" not in text
    assert not reprs(text)
    assert english_words(text, data_words()) == []


def test_every_logged_action_has_a_chinese_name():
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "shuping"
    codes = set()
    for path in root.rglob("*.py"):
        codes.update(re.findall(r'log_action\(\s*"([^"]+)"', path.read_text()))
        codes.update(f"star.{a}" for a in re.findall(r'_audit\("([^"]+)"', path.read_text()))
    codes.update(["report.approve", "report.return"])
    missing = sorted(code for code in codes if code not in ACTIONS)
    assert missing == []
    assert all(not action_label(code).isascii() for code in codes)

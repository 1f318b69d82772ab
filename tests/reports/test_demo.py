import sys
import types

import pytest

from shuping.campaigns import services as campaign_services
from shuping.reports import demo_texts, selectors
from shuping.reports.demo import build_demo_reports
from shuping.reports.documents import parse_editor_text
from shuping.reports.models import Report, ReportVersion

from ..builders import make_campaign

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("state", ["draft", "writing"])
def test_demo_reports_in_four_states_and_idempotent(tree, role_users, monkeypatch, state):
    monkeypatch.setitem(sys.modules, "shuping.rectification.selectors", None)
    campaign = make_campaign(tree, title="2026年度清河县抓基层党建述职评议考核",
                             participants=[tree.town_a1, tree.town_a2, tree.village_a1])
    if state == "writing":
        campaign_services.campaign_transition(actor=None, campaign=campaign, to_state="writing")
    context = types.SimpleNamespace(users={"reviewer": ("reviewer", ""), "reporter": ("reporter", "")})
    build_demo_reports(context)
    build_demo_reports(context)
    states = {r.participant.org.code: (r.state, r.current_level) for r in Report.objects.all()}
    assert states == {"A-1": ("approved", None), "A-2": ("submitted", 2), "A-1-1": ("returned", None)}
    assert ReportVersion.objects.count() == 3
    returned = Report.objects.get(participant__org=tree.village_a1)
    passage = returned.actions.get(decision="return").passages.get()
    assert passage.quote == demo_texts.RETURN_QUOTE
    assert "田埂议事会" in selectors.approved_report_text(campaign.participants.get(org=tree.town_a1))


def test_demo_texts_are_realistic_in_length_and_water():
    import textcheck

    lengths = {}
    for name in ("DATA_RICH", "WATERY", "RETURNED", "DRAFT"):
        text = getattr(demo_texts, name).format(name="城关镇", person="")
        lengths[name] = sum(1 for c in text if not c.isspace())
        assert parse_editor_text(text)[0]["level"] == 0
    assert all(800 <= n <= 1500 for n in lengths.values()), lengths
    rich = textcheck.analyze(demo_texts.DATA_RICH.format(name="城关镇", person=""))
    watery = textcheck.analyze(demo_texts.WATERY.format(name="城关镇", person=""))
    assert watery["empty_phrases"]["water_index"] > 5 * rich["empty_phrases"]["water_index"]
    assert len(rich["data_points"]) >= 20 and watery["label_only"]

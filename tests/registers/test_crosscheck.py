"""Reports checked against the registers: the reviewer sees it beside the passage, the inspector
records 核实结果, and 不属实 becomes a problem."""

from django.urls import reverse

from shuping.rectification.models import Problem, Source
from shuping.registers import selectors, services
from shuping.registers.models import ClaimRule, ClaimVerification, FactSheet, RuleMode

from .conftest import fill


def _claims(tree):
    from shuping.reports.selectors import analysis_for

    participant = tree.participant
    version = participant.report.latest_version()
    return selectors.report_claims(participant.org, 2026, version.text, analysis_for(version, participant))


def test_claims_compare_with_confirmed_ledger(reported):
    by_fact = {c.fact_code: c for c in _claims(reported)}
    assert by_fact["new_members"].message == "报告称12名，台账为9名"
    assert by_fact["new_members"].flagged
    assert by_fact["collective_income"].message.startswith("报告称全部超过5万元，台账有1个单位低于5万元（甲一村党支部3.2万元")
    assert by_fact["first_secretary"].status == "mismatch"  # two claimed, one on the ledger
    assert by_fact["activists"].status == "nodata"


def test_unconfirmed_values_are_not_the_ledger(reported, facts):
    services.sheet_return(actor=None, sheet=FactSheet.objects.get(org=reported.village_a1, year=2026), reason="复核")
    by_fact = {c.fact_code: c for c in _claims(reported)}
    assert by_fact["new_members"].message == "报告称12名，台账为4名"


def test_the_ledger_figure_is_the_total_of_the_unit_and_its_subunits(reported, facts):
    fill(reported.town_a1, 2026, {"new_members": 3}, facts=facts)  # the township's own 机关 branch
    assert {c.fact_code: c for c in _claims(reported)}["new_members"].status == "match"


def test_rules_are_data_an_added_rule_takes_effect(reported, facts):
    ClaimRule.objects.create(name="积极分子（新增）", fact=facts["activists"], keywords="培养入党积极分子", units="名",
                             mode=RuleMode.EQUAL, order=1)
    fill(reported.town_a1, 2026, {"activists": 30}, facts=facts)
    claim = {c.fact_code: c for c in _claims(reported)}["activists"]
    assert (claim.rule, claim.status) == ("积极分子（新增）", "match")


def test_reviewer_sees_the_mismatch_beside_the_passage(client, reported, role_users):
    client.force_login(role_users["reviewer"])
    page = client.get(reverse("reports:review", args=[reported.participant.pk])).content.decode()
    assert "台账核实（2026年已确认台账）" in page
    assert "报告称12名，台账为9名" in page
    assert 'class="tc-data tc-verify-bad" title="报告称12名，台账为9名">12名</mark>' in page


def test_inspector_records_verdicts_and_false_becomes_a_problem(client, reported, plan, role_users):
    client.force_login(role_users["inspector"])
    inspection = client.get(reverse("routine:inspection", args=[plan.pk])).content.decode()
    assert reverse("registers:claims", args=[plan.pk]) in inspection
    page = client.get(reverse("registers:claims", args=[plan.pk])).content.decode()
    assert "甲一镇党委" in page and "报告称12名，台账为9名" in page and "3 处与台账不符" in page
    claim = next(c for c in _claims(reported) if c.fact_code == "new_members")
    url = reverse("registers:claim_verify", args=[plan.pk, reported.participant.pk])
    response = client.post(url, {"claim": claim.key, "verdict": "false", "note": ""}, follow=True)
    assert "请写明核实情况" in response.content.decode()
    client.post(url, {"claim": claim.key, "verdict": "false", "note": "查阅发展党员档案，实际发展9名"})
    record = ClaimVerification.objects.get()
    problem = Problem.objects.get(pk=record.problem_id)
    assert problem.source == Source.INSPECTION and problem.org == reported.town_a1
    assert "报告称12名，台账为9名" in problem.description and "实际发展9名" in problem.description
    # Once it is a problem, the verdict stays: the problem is handled in the rectification ledger.
    response = client.post(url, {"claim": claim.key, "verdict": "true", "note": ""}, follow=True)
    assert "不能再更改" in response.content.decode()
    page = client.get(reverse("registers:claims", args=[plan.pk])).content.decode()
    assert "不属实" in page and f"问题 {problem.pk}" in page


def test_true_and_unverifiable_open_no_problem(reported, plan):
    claims = _claims(reported)
    services.claim_verify(actor=None, plan=plan, participant=reported.participant, claim=claims[0], verdict="true")
    services.claim_verify(actor=None, plan=plan, participant=reported.participant, claim=claims[1],
                          verdict="unverifiable", note="台账资料缺失")
    assert not Problem.objects.exists()
    assert ClaimVerification.objects.count() == 2


def test_inspector_of_another_county_cannot_verify(client, reported, plan, role_users):
    client.force_login(role_users["outsider"])
    claim = _claims(reported)[0]
    response = client.post(reverse("registers:claim_verify", args=[plan.pk, reported.participant.pk]),
                           {"claim": claim.key, "verdict": "false", "note": "伪造"})
    assert response.status_code == 404
    assert not ClaimVerification.objects.exists()


def test_top_level_admin_adds_a_shared_rule_county_admin_only_its_own(client, tree, facts, role_users):
    from ..builders import make_user

    data = {"name": "村干部报酬", "fact": facts["cadre_pay"].pk, "keywords": "人均报酬,村干部报酬", "units": "万元",
            "mode": "equal", "tolerance": "0", "order": "120", "active": "on"}
    client.force_login(role_users["admin"])  # county A: a shared rule (no 适用范围) is not theirs to add
    page = client.post(reverse("registers:rule_new"), data).content.decode()
    assert "这个字段是必填项" in page or "必填" in page
    assert not ClaimRule.objects.filter(name="村干部报酬").exists()
    shared = ClaimRule.objects.filter(owner__isnull=True).first()
    assert client.get(reverse("registers:rule_edit", args=[shared.pk])).status_code == 403
    client.force_login(make_user("root", superuser=True))
    response = client.post(reverse("registers:rule_new"), data)
    assert response.status_code == 302
    assert ClaimRule.objects.filter(name="村干部报酬", fact=facts["cadre_pay"], owner__isnull=True).exists()
    page = client.get(reverse("registers:config")).content.decode()
    assert "村干部报酬" in page and "人均报酬,村干部报酬" in page

import datetime

import pytest
from django.urls import reverse

from shuping.rectification.models import Problem, Source
from shuping.routine import services
from shuping.routine.models import InspectionPlan


@pytest.fixture
def plan(routine, role_users):
    return services.inspection_plan_create(
        actor=None, org=routine.county_a, title="2026年上半年抓基层党建工作督查核实",
        period_start=datetime.date(2026, 6, 1), period_end=datetime.date(2026, 7, 15),
        team=[role_users["inspector"]])


def test_findings_become_problems_in_the_rectification_ledger(routine, plan, role_users):
    visit = services.inspection_visit_add(actor=None, plan=plan, org=routine.town_a1, visited_on=datetime.date(2026, 6, 18),
                                          inspector=role_users["inspector"], notes="查阅会议记录")
    finding = services.inspection_finding_add(actor=None, visit=visit, description="党群服务中心开放时间不足",
                                              category="工作保障", deadline=datetime.date(2026, 9, 30))
    problem = Problem.objects.get(pk=finding.problem_id)
    assert problem.source == Source.INSPECTION and problem.org == routine.town_a1
    assert problem.found_on == datetime.date(2026, 6, 18) and problem.category == "工作保障"
    assert problem.rectification.deadline == datetime.date(2026, 9, 30)
    assert "2026年上半年抓基层党建工作督查核实" in problem.source_document


def test_visits_outside_the_plan_are_refused(routine, plan, role_users):
    with pytest.raises(services.RoutineError, match="不在本次督查范围内"):
        services.inspection_visit_add(actor=None, plan=plan, org=routine.town_b1, visited_on=datetime.date(2026, 6, 18))
    with pytest.raises(services.RoutineError, match="不在督查期间内"):
        services.inspection_visit_add(actor=None, plan=plan, org=routine.town_a1, visited_on=datetime.date(2026, 8, 1))
    with pytest.raises(services.RoutineError, match="不是本督查组成员"):
        services.inspection_visit_add(actor=None, plan=plan, org=routine.town_a1, visited_on=datetime.date(2026, 6, 18),
                                      inspector=role_users["leader"])


def test_inspection_pages_record_visits_and_findings(routine, plan, client, role_users):
    client.force_login(role_users["admin"])
    response = client.post(reverse("routine:inspection_new"), {
        "org": routine.county_a.pk, "title": "下半年督查", "period_start": "2026-11-01", "period_end": "2026-11-30",
        "team": [role_users["inspector"].pk], "notes": ""})
    assert response.status_code == 302
    new_plan = InspectionPlan.objects.get(title="下半年督查")
    client.post(reverse("routine:visit_add", args=[new_plan.pk]), {
        "org": routine.village_a1.pk, "visited_on": "2026-11-10", "inspector": role_users["inspector"].pk, "notes": "实地查看"})
    visit = new_plan.visits.get()
    client.post(reverse("routine:finding_add", args=[visit.pk]), {
        "description": "村党支部主题党日记录不全", "category": "其他", "severity": "一般", "deadline": "2026-12-31"})
    assert Problem.objects.filter(org=routine.village_a1, source=Source.INSPECTION).count() == 1
    page = client.get(reverse("routine:inspection", args=[new_plan.pk])).content.decode()
    assert "村党支部主题党日记录不全" in page
    # Inspectors read the plans but only routine.manage writes.
    client.force_login(role_users["inspector"])
    assert client.get(reverse("routine:inspection", args=[new_plan.pk])).status_code == 200
    assert client.post(reverse("routine:finding_add", args=[visit.pk]), {"description": "x"}).status_code == 403

"""Demo step: 清河县 registers for 2026 (and 2025 for history) — some values contradict the demo reports on
purpose, so the review page and the 半年督查核实 page show mismatches:
河口镇 reports 发展党员26名 (ledger 21) and 阵地均达到300平方米以上 (one village 260);
城关镇 reports 发展党员9名 (ledger 7)."""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from shuping.orgs.models import Org, UnitType

from . import brands, posts, services, weak
from .models import (
    Assignment,
    Brand,
    BrandLevel,
    BrandStatus,
    ClaimRule,
    Fact,
    FactSheet,
    SheetState,
    WeakOrgCase,
)

ACTOR = "演示数据"
YEAR = 2026
GRASSROOTS = (UnitType.VILLAGE, UnitType.COMMUNITY)
# Per township code: the total 当年发展党员数 its villages' ledgers add up to.
NEW_MEMBER_TOTALS = {"QH-T02": 21, "QH-T01": 7}


def _split(total: int, parts: int, rng: random.Random) -> list[int]:
    counts = [0] * parts
    for _ in range(total):
        counts[rng.randrange(parts)] += 1
    return counts


def _village_values(village: Org, rng: random.Random, year: int) -> dict[str, object]:
    weak_village = rng.random() < 0.12
    return {
        "members": village.member_count, "new_members": rng.choice([0, 1, 1, 2, 2, 3]),
        "activists": rng.randint(1, 6),
        **{f"lessons_q{q}": rng.choice([3, 4, 4, 5, 6, 8]) for q in range(1, 5)},
        "party_days": rng.randint(9, 14), "site_area": rng.choice([150, 180, 220, 300, 320, 360, 420]),
        "funds": Decimal("21.92"), "cadre_pay": Decimal(rng.choice(["3.2", "3.6", "4.0", "4.5"])),
        "collective_income": Decimal(rng.choice(["2.8", "4.5", "6", "8.5", "12", "18", "35", "62", "120"]))
        if not weak_village else Decimal("1.2"),
        "committee_size": rng.randint(5, 9), "one_shoulder": "是" if rng.random() < 0.9 else "否",
        "reserve": rng.randint(2, 5), "first_secretary": "是" if rng.random() < 0.3 else "否",
        "qh_projects": rng.randint(0, 3),
    }


def _county_items(county: Org) -> None:
    """清河县's own item and rule, maintained by the county admin (演示 admin): 产业项目个数, entered by 县农业农村局."""
    bureau = Org.objects.filter(code="QH-D14").first()
    fact = Fact.objects.filter(code="qh_projects").first()
    if fact is None:
        fact = services.fact_save(actor=ACTOR, fact=Fact(
            code="qh_projects", name="村级产业项目个数", unit="个", kind="integer", min_value=Decimal(0),
            max_value=Decimal(100), unit_types="village,community", owner=county, order=300,
            enterer="department" if bureau else "unit", enterer_org=bureau,
            guidance="当年在建和建成的村级集体经济产业项目（县农业农村局按项目库填报）"))
    if not ClaimRule.objects.filter(fact=fact).exists():
        services.rule_save(actor=ACTOR, rule=ClaimRule(
            name="产业项目个数（清河县）", fact=fact, owner=county, keywords="产业项目,集体经济项目",
            units="个,项", order=45))


def _fill_year(county: Org, year: int, rng: random.Random, facts: dict[str, Fact]) -> None:
    for town in county.children.filter(unit_type__in=[UnitType.TOWNSHIP, UnitType.STREET, UnitType.PARK]).order_by("path"):
        villages = list(town.children.filter(unit_type__in=GRASSROOTS).order_by("path"))
        if not villages:
            continue
        values = [_village_values(v, rng, year) for v in villages]
        if year == YEAR and town.code in NEW_MEMBER_TOTALS:
            for row, count in zip(values, _split(NEW_MEMBER_TOTALS[town.code], len(values), rng), strict=True):
                row["new_members"] = count
        if year == YEAR and town.code == "QH-T02":
            for index, row in enumerate(values):
                row["site_area"] = 260 if index == 4 else max(row["site_area"], 300)
        for position, (village, row) in enumerate(zip(villages, values, strict=True)):
            sheet = services.sheet_save(
                actor=ACTOR, org=village, year=year, submit=True,
                values={facts[code]: services.parse_fact_value(facts[code], value) for code, value in row.items()
                        if code in facts})
            # A few of this year's sheets wait for the township to confirm, so the queue shows something.
            if not (year == YEAR and town.code == "QH-T05" and position < 3):
                services.sheet_confirm(actor=ACTOR, sheet=sheet)


def _weak_cases(county: Org) -> None:
    if WeakOrgCase.objects.filter(org__in=county.subtree(), year=YEAR).exists():
        return
    low = (Org.objects.filter(fact_sheets__year=YEAR, fact_sheets__values__fact__code="collective_income",
                              fact_sheets__values__value__lt=2, path__startswith=county.path).order_by("path")[:3])
    plans = [("economy", "集体经济空壳，无稳定收入来源，班子发展思路不清", "passed"),
             ("org_life", "“三会一课”不正常，党员大会一年仅召开1次", "rectifying"),
             ("leadership", "村党组织书记长期外出务工，班子战斗力弱", "identified")]
    leaders = ["王建国（县委常委、组织部长）", "李志强（副县长）", "张海燕（县人大常委会副主任）"]
    for (reason_category, reason, target), village, leader in zip(plans, low, leaders, strict=False):
        case = weak.case_identify(actor=ACTOR, org=village, year=YEAR, reason_category=reason_category, reason=reason,
                                  leader=leader, leader_unit=Org.objects.filter(code="QH-D14").first(),
                                  identified_on=datetime.date(YEAR, 3, 15))
        if target == "identified":
            continue
        first = weak.milestone_add(actor=ACTOR, case=case, measure="调整充实村“两委”班子，选派第一书记",
                                   due=datetime.date(YEAR, 5, 31))
        weak.milestone_add(actor=ACTOR, case=case, measure="建立集体经济项目，年内实现收入5万元以上",
                           due=datetime.date(YEAR, 11, 30))
        weak.progress_add(actor=ACTOR, case=case, milestone=first, milestone_done=True,
                          note="县财政局选派第一书记到岗，村“两委”补选2名年轻委员。")
        if target == "passed":
            weak.case_accept(actor=ACTOR, case=case, passed=True, accepted_on=datetime.date(YEAR, 12, 10),
                             note="经县委组织部实地验收，班子健全、制度落实、集体经济实现破零，达标。")


def _brands(county: Org) -> None:
    if Brand.objects.filter(owner__in=county.subtree()).exists():
        return
    rows = [("QH-T02", "田埂议事会", BrandLevel.COUNTY, BrandStatus.NAMED, True,
             "村党组织书记牵头，每月在田间地头召开议事会，收集办理群众诉求。"),
            ("QH-T01", "红色物业", BrandLevel.PREFECTURE, BrandStatus.NAMED, True, "村党支部领办物业服务队。"),
            ("QH-T04", "党员积分超市", BrandLevel.COUNTY, BrandStatus.CULTIVATING, False, "党员志愿服务积分兑换。")]
    for code, name, level, status, showcase, description in rows:
        owner = Org.objects.filter(code=code).first()
        if owner:
            brands.brand_save(actor=ACTOR, brand=Brand(name=name, level=level, owner=owner, year=YEAR - 1,
                                                      status=status, showcase=showcase, description=description))


def _assignments(county: Org) -> None:
    if Assignment.objects.filter(village__in=county.subtree()).exists():
        return
    units = ["县财政局", "县农业农村局", "县自然资源局", "县人民医院", "县城市建设投资集团", "县教育局"]
    villages = Org.objects.filter(path__startswith=county.path, fact_sheets__year=YEAR,
                                  fact_sheets__values__fact__code="first_secretary",
                                  fact_sheets__values__value=1).order_by("path").distinct()
    for index, village in enumerate(villages):
        posts.assignment_save(actor=ACTOR, assignment=Assignment(
            person_name=f"驻村干部{index + 1:02d}", sending_unit=units[index % len(units)], village=village,
            start=datetime.date(YEAR - 1, 3, 1)))


def _star_rule(county: Org) -> None:
    from shuping.stars.models import Criterion

    criterion = Criterion.objects.filter(criteria_set__organiser=county, criteria_set__year=YEAR, code="C6").first()
    if criterion is not None and not hasattr(criterion, "fact_rule"):
        services.star_rule_set(actor=ACTOR, criterion=criterion, fact=Fact.objects.get(code="collective_income"),
                               threshold=Decimal(5))


@transaction.atomic
def build_registers_demo(context) -> None:
    county = context.county
    if not Fact.objects.exists():
        return
    _county_items(county)
    facts = {f.code: f for f in Fact.objects.all()}
    if not FactSheet.objects.filter(org__path__startswith=county.path, year=YEAR).exists():
        rng = random.Random(16)
        _fill_year(county, YEAR - 1, rng, facts)
        _fill_year(county, YEAR, rng, facts)
    _weak_cases(county)
    _brands(county)
    _assignments(county)
    _star_rule(county)
    pending = FactSheet.objects.filter(org__path__startswith=county.path, year=YEAR, state=SheetState.SUBMITTED).count()
    context.links.append((f"基层台账（待确认 {pending} 个村）", f"/registers/facts/{county.pk}/{YEAR}/"))

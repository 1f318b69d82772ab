"""Demo data for 清河县: 2026 routine indicators, monthly scores Jan–Oct, responsibility lists,
a Q3 circular, a half-year inspection with findings, and result uses of the 2025 campaign."""

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from shuping.orgs.models import Org

from . import selectors, services
from .models import (
    InspectionPlan,
    MonthlyScore,
    QuarterlyCircular,
    ResponsibilityItem,
    ResultUse,
    RoutineIndicator,
    UseKind,
)

ACTOR = "演示数据"
YEAR = 2026
INDICATORS = [
    ("ZZSH", "组织生活落实", "25", "三会一课、主题党日、组织生活会按时高质量开展"),
    ("DYFZ", "党员发展管理", "20", "发展党员程序规范、党员教育管理、党费收缴"),
    ("ZDJS", "阵地建设", "20", "党群服务中心建设、使用和管理"),
    ("XXBS", "信息报送", "15", "党建信息、报表按时准确报送"),
    ("ZDRW", "重点任务推进", "20", "年度党建重点任务和书记项目推进情况"),
]
DUTIES = {
    "QH-T01": [
        ("党委书记每年至少三分之一的时间在村工作", "122", "天", "驻村工作日志、考勤记录"),
        ("向县委专题汇报抓基层党建工作不少于6次", "6", "次", "专题汇报材料、会议记录"),
        ("整顿软弱涣散村党组织", "2", "个", "整顿方案、验收报告"),
    ],
    "QH-T02": [
        ("党委书记每年至少三分之一的时间在村工作", "122", "天", "驻村工作日志"),
        ("村级集体经济收入 5 万元以上的村占比", "80", "%", "村集体经济台账"),
    ],
    "QH-D04": [
        ("机关党支部标准化规范化建设达标率", "100", "%", "支部达标验收表"),
        ("党组专题研究党建工作不少于4次", "4", "次", "党组会议纪要"),
    ],
}


def _q1(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


@transaction.atomic
def build_routine_demo(context) -> None:
    county = context.county
    rng = context.rng
    indicators = []
    for order, (code, name, maximum, guidance) in enumerate(INDICATORS):
        existing = RoutineIndicator.objects.filter(organiser=county, year=YEAR, code=code).first()
        indicators.append(existing or services.indicator_save(
            actor=ACTOR, organiser=county, year=YEAR, code=code, name=name, max_score=Decimal(maximum),
            guidance=guidance, order=order))
    units = list(selectors.units(county).filter(code__regex=r"^QH-(T|D)\d\d$"))
    if not MonthlyScore.objects.filter(indicator__in=indicators).exists():
        quality = {u.pk: rng.uniform(0.70, 0.96) for u in units}
        trend = {u.pk: rng.uniform(-0.01, 0.012) for u in units}
        for month in range(1, 11):
            rows = []
            for unit in units:
                for indicator in indicators:
                    level = quality[unit.pk] + trend[unit.pk] * month + rng.uniform(-0.06, 0.06)
                    level = min(1.0, max(0.45, level))
                    rows.append((unit, indicator, _q1(indicator.max_score * Decimal(str(round(level, 4))))))
            services.monthly_scores_store(actor=ACTOR, organiser=county, year=YEAR, month=month, rows=rows,
                                          source="demo")
    _duties(county)
    _circular(county)
    _inspection(county)
    _result_uses(county)


def _duties(county: Org) -> None:
    if ResponsibilityItem.objects.filter(organiser=county, year=YEAR).exists():
        return
    for code, tasks in DUTIES.items():
        org = Org.objects.get(code=code)
        for order, (task, target, unit, evidence) in enumerate(tasks):
            item = services.responsibility_save(
                actor=ACTOR, organiser=county, year=YEAR, org=org, task=task, target_value=Decimal(target),
                target_unit=unit, deadline=datetime.date(YEAR, 12, 31) if order else datetime.date(YEAR, 10, 31),
                evidence_required=evidence, order=order)
            for month, share in ((4, "0.3"), (7, "0.62"), (10, "0.85")):
                services.responsibility_progress_add(
                    actor=ACTOR, item=item, recorded_on=datetime.date(YEAR, month, 28),
                    achieved_value=(Decimal(target) * Decimal(share)).quantize(Decimal("1")),
                    note=f"截至{month}月底按计划推进，佐证材料已归档")


def _circular(county: Org) -> None:
    if QuarterlyCircular.objects.filter(organiser=county, year=YEAR, quarter=3).exists():
        return
    circular = services.circular_save(
        actor=ACTOR, organiser=county, year=YEAR, quarter=3,
        title=f"关于{YEAR}年第三季度抓基层党建工作日常考核情况的通报", doc_number=f"清组通〔{YEAR}〕21号",
        practices="城关镇推行“党建+网格”治理模式，党员联系服务群众实现全覆盖\n"
                  "县人民医院党委开展“党员先锋岗”创建，推动党建与医疗服务深度融合\n"
                  "北关街道党工委打造“红色物业”，解决居民急难愁盼问题 37 件",
        problems="个别乡镇“三会一课”记录不规范，存在补记现象\n"
                 "部分单位党建信息报送不及时，质量不高\n"
                 "少数村级党群服务中心功能发挥不充分，存在“挂牌子”现象",
        lowest_n=2, supervision_deadline=datetime.date(YEAR, 12, 31))
    services.circular_issue(actor=ACTOR, circular=circular)


def _inspection(county: Org) -> None:
    if InspectionPlan.objects.filter(org=county, title__startswith=f"{YEAR}年上半年").exists():
        return
    User = get_user_model()
    team = list(User.objects.filter(username__in=["inspector", "admin"]))
    plan = services.inspection_plan_create(
        actor=ACTOR, org=county, title=f"{YEAR}年上半年抓基层党建工作督查核实",
        period_start=datetime.date(YEAR, 6, 10), period_end=datetime.date(YEAR, 7, 10), team=team,
        notes="核实责任清单完成情况、月度评分佐证材料，实地查看村级党群服务中心。")
    inspector = next((u for u in team if u.username == "inspector"), None)
    visits = [
        ("QH-T03", datetime.date(YEAR, 6, 18), "查阅党委会议记录、驻村日志，实地查看 3 个村党群服务中心。",
         "2 个村党群服务中心服务功能单一，日常开放时间不足", "工作保障"),
        ("QH-D08", datetime.date(YEAR, 6, 25), "查阅党组会议纪要和机关支部“三会一课”记录。",
         "机关党支部主题党日活动内容与业务工作结合不够，存在“两张皮”", "组织力"),
    ]
    for code, day, notes, finding, category in visits:
        visit = services.inspection_visit_add(actor=ACTOR, plan=plan, org=Org.objects.get(code=code), visited_on=day,
                                              inspector=inspector, notes=notes)
        services.inspection_finding_add(actor=ACTOR, visit=visit, description=finding, category=category,
                                        deadline=datetime.date(YEAR, 9, 30))


def _result_uses(county: Org) -> None:
    from shuping.campaigns.models import Campaign, CampaignState, ParticipantResult

    campaign = (Campaign.objects.filter(organiser=county, year=YEAR - 1, state=CampaignState.PUBLISHED)
                .order_by("pk").first())
    if campaign is None or ResultUse.objects.filter(result__version__campaign=campaign).exists():
        return
    version = campaign.result_versions.order_by("-number").first()
    if version is None:
        return
    rows = list(ParticipantResult.objects.filter(version=version, participant__secretary__isnull=False,
                                                 rank__isnull=False).select_related("participant__secretary")
                .order_by("rank", "pk"))
    if not rows:
        return
    best, worst = rows[0], rows[-1]
    services.result_use_create(
        actor=ACTOR, person=best.participant.secretary, org=county, kind=UseKind.HONOUR, result=best,
        decided_on=datetime.date(YEAR, 3, 15), document=f"清组发〔{YEAR}〕5号",
        note=f"{YEAR - 1}年度述职评议考核“{best.grade}”等次，评为优秀党组织书记")
    if worst.pk != best.pk:
        services.result_use_create(
            actor=ACTOR, person=worst.participant.secretary, org=county, kind=UseKind.TALK, result=worst,
            decided_on=datetime.date(YEAR, 3, 20), document=f"清组函〔{YEAR}〕9号",
            note=f"{YEAR - 1}年度述职评议考核排名靠后，由组织部长进行约谈")

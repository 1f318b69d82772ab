"""Demo step: unit accounts for three townships and three villages of 清河县, each with work
waiting on its 工作台, and the county's side of the same loop (plans to approve, updates to
confirm, quarterly reports, 群众反映 to moderate)."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from shuping.accounts.models import Role
from shuping.accounts.services import role_grant, user_create
from shuping.clock import today
from shuping.core.demo import DEMO_PASSWORD
from shuping.intake import services as intake_services
from shuping.orgs.models import Org
from shuping.rectification import services as rectification_services
from shuping.rectification.models import Category, Source
from shuping.routine import services as routine_services
from shuping.routine.models import ResponsibilityItem

from . import services
from .models import QuarterlyReport

ACTOR = "演示数据"

# (username, full name, role, org code)
ACCOUNTS = [
    ("cg_lianluo", "城关镇党建联络员（演示）", Role.LIAISON, "QH-T01"),
    ("hk_shuji", "河口镇党委书记（演示）", Role.REPORTER, "QH-T02"),
    ("hk_lianluo", "河口镇组织委员（演示）", Role.LIAISON, "QH-T02"),
    ("ll_shuji", "柳林镇党委书记（演示）", Role.REPORTER, "QH-T03"),
    ("ll_lianluo", "柳林镇党建联络员（演示）", Role.LIAISON, "QH-T03"),
    ("cg_v1_shuji", "城关镇一村党组织书记（演示）", Role.REPORTER, "QH-T01-V01"),
    ("cg_v2_shuji", "城关镇二村党组织书记（演示）", Role.REPORTER, "QH-T01-V02"),
    ("hk_v1_shuji", "河口镇一村党组织书记（演示）", Role.REPORTER, "QH-T02-V01"),
]

PUSHED = [  # problems the county pushes to units from 巡察/督导 feedback, waiting to be claimed
    ("QH-T01", "巡察反馈：镇党委落实“第一议题”制度不够经常，学习研讨流于形式", Category.TEAM, Source.TOUR,
     "县委第四巡察组反馈意见（清巡反〔2026〕2号）"),
    ("QH-T02", "督导发现：部分村“四议两公开”程序执行不规范，会议记录缺失", Category.ORGANISING, Source.INSPECTION,
     "县委组织部2026年第三季度基层党建督导通报"),
    ("QH-T03", "巡察反馈：镇党委对村级后备力量培养重视不够，35岁以下后备干部偏少", Category.TEAM, Source.TOUR,
     "县委第四巡察组反馈意见（清巡反〔2026〕4号）"),
]

PUBLIC = [  # residents' reports through the public page: one accepted (waits on the village), two pending
    ("QH-T01-V01", "村里的党员活动室长期锁门，想参加活动找不到人，希望村党支部按时开展主题党日。", True),
    ("QH-T01-V02", "村务公开栏半年没有更新，低保名单和集体收支情况看不到。", False),
    ("QH-T02-V01", "村党支部书记很少在村里，群众办事经常找不到人。", False),
]


def _accounts(context) -> dict[str, object]:
    User = get_user_model()
    users = {}
    for username, full_name, role, code in ACCOUNTS:
        user = User.objects.filter(username=username).first() or user_create(
            actor=ACTOR, username=username, full_name=full_name, password=DEMO_PASSWORD, validate=False)
        role_grant(actor=ACTOR, user=user, role=role, org=Org.objects.get(code=code))
        users[username] = user
        context.accounts.append((full_name, username, DEMO_PASSWORD))
    return users


def _org(code):
    return Org.objects.get(code=code)


@transaction.atomic
def build_demo_units(context) -> None:
    users = _accounts(context)
    admin = get_user_model().objects.filter(username="admin").first()
    county = context.county
    if QuarterlyReport.objects.filter(organiser=county).exists():
        return  # built before
    day = today()
    pushed = {code: rectification_services.problem_create(actor=admin, org=_org(code), description=text,
                                                          category=category, source=source, source_document=document,
                                                          found_on=day - datetime.timedelta(days=5))
              for code, text, category, source, document in PUSHED}
    # 柳林镇 has claimed its 巡察 finding and is drafting the plan; the other two have not claimed yet.
    services.problem_claim(actor=users["ll_lianluo"], problem=pushed["QH-T03"], note="镇党委已研究，由组织委员牵头整改")
    services.plan_save(actor=users["ll_lianluo"], rectification=pushed["QH-T03"].rectification, owner=None,
                       measures="一、建立村级后备力量人才库；二、每村至少储备2名35岁以下后备人选", deadline=None)

    # 城关镇: the liaison found a problem himself and sent the plan up — the county must approve it.
    own = services.problem_register_own(actor=users["cg_lianluo"], org=_org("QH-T01"),
                                        description="镇机关支部“三会一课”记录不规范，部分会议未按要求留存影像资料",
                                        category=Category.MEMBERS, found_on=day - datetime.timedelta(days=10))
    services.plan_save(actor=users["cg_lianluo"], rectification=own.rectification, owner=_org("QH-T01").secretary,
                       measures="一、统一会议记录本和影像留存要求；二、镇党委每月抽查各支部记录；三、年底前完成整改并报县委组织部",
                       deadline=day + datetime.timedelta(days=60), submit=True)
    # 河口镇: its plan came back with a reason — the liaison must revise it.
    returned = services.problem_register_own(actor=users["hk_lianluo"], org=_org("QH-T02"),
                                             description="村党组织书记队伍年龄偏大，50岁以上占比超过六成",
                                             category=Category.TEAM, found_on=day - datetime.timedelta(days=20))
    plan = services.plan_save(actor=users["hk_lianluo"], rectification=returned.rectification, owner=None,
                              measures="加强后备力量培养", deadline=day + datetime.timedelta(days=90), submit=True)
    services.plan_return(actor=admin, plan=plan, reason="措施过于笼统，请明确每个村的后备人选、培养方式和完成节点")

    # 柳林镇 gets a responsibility list; 河口镇 reported progress the county has to confirm.
    for order, (task, target, unit) in enumerate([("党委书记每年至少三分之一的时间在村工作", "122", "天"),
                                                 ("向县委专题汇报抓基层党建工作不少于6次", "6", "次")]):
        routine_services.responsibility_save(actor=ACTOR, organiser=county, year=day.year, org=_org("QH-T03"),
                                             task=task, target_value=Decimal(target), target_unit=unit,
                                             deadline=datetime.date(day.year, 12, 31), order=order)
    for code in ("QH-T01-V01", "QH-T01-V02", "QH-T02-V01"):  # each township's list for its villages
        village = _org(code)
        routine_services.responsibility_save(actor=ACTOR, organiser=village.parent, year=day.year, org=village,
                                             task="每月开展一次主题党日活动", target_value=Decimal("12"),
                                             target_unit="次", deadline=datetime.date(day.year, 12, 31))
    item = ResponsibilityItem.objects.filter(organiser=county, org=_org("QH-T02"), year=day.year).order_by("order").first()
    if item is not None:
        services.responsibility_update_submit(actor=users["hk_lianluo"], item=item,
                                              achieved_value=(item.achieved or Decimal(0)) + Decimal(10),
                                              note="本月驻村工作10天，累计数据见驻村工作日志")

    # The quarter's 工作汇报: 城关镇 has sent its written report and offers a 典型发言; the others have not.
    year, quarter = day.year, (day.month - 1) // 3 + 1
    services.quarterly_report_submit(
        actor=users["cg_lianluo"], org=_org("QH-T01"), year=year, quarter=quarter, offers_speech=True,
        summary="推行“红色网格+便民服务”模式，本季度为群众代办事项320件",
        text="本季度，城关镇党委坚持以党建引领基层治理，一是……二是……三是……下一步，将继续……")

    # 群众提 through the public page.
    for code, text, accept in PUBLIC:
        village = _org(code)
        submission, _ = intake_services.submission_create(county=county, village=village, text=text,
                                                          address=f"demo-{code}")
        if accept:
            intake_services.submission_accept(actor=admin, submission=submission, category=Category.SERVICE)

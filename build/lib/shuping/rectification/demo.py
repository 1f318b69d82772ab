"""Demo step: problems of 清河县 from every source, rectifications in every state, one overdue,
one common problem across six townships, and a critique of a 2025 participant."""

import datetime
import struct
import zlib

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from shuping.clock import today
from shuping.orgs.models import Org

from . import services
from .models import Category, Problem, Severity, Source

# (township code, description, category, severity, source, source document, plan state)
PROBLEMS = [
    ("QH-T01", "村级活动阵地面积不足，功能不完善，部分村便民服务设施简陋", Category.SUPPORT, Severity.NORMAL, Source.INSPECTION,
     "县委组织部2025年上半年基层党建督查通报", "closed"),
    ("QH-T02", "部分村党组织活动场所面积小、设施简陋，难以满足党员活动需要", Category.SUPPORT, Severity.NORMAL, Source.SELF,
     "河口镇党委2025年度基层党建工作自查报告", "in_progress"),
    ("QH-T03", "个别村活动场所面积偏小，功能设施不健全", Category.SUPPORT, Severity.NORMAL, Source.PUBLIC,
     "12345热线群众反映件汇总", "not_started"),
    ("QH-T04", "村级活动阵地面积小，设施老化", Category.SUPPORT, Severity.NORMAL, Source.INSPECTION,
     "县委组织部2025年上半年基层党建督查通报", "pending"),
    ("QH-T05", "部分村级党组织活动场所简陋，功能不完善", Category.SUPPORT, Severity.NORMAL, Source.TOUR,
     "县委第二巡察组反馈意见（清巡反〔2025〕3号）", "in_progress"),
    ("QH-T06", "村党组织活动阵地面积不足、设施陈旧", Category.SUPPORT, Severity.NORMAL, Source.SELF,
     "东湖乡党委2025年度基层党建工作自查报告", "overdue"),
    ("QH-T01", "“三会一课”制度落实不严格，部分支部会议记录不规范", Category.MEMBERS, Severity.NORMAL, Source.CRITIQUE,
     "2025年度述职评议点评意见", "in_progress"),
    ("QH-T02", "村党组织书记年龄偏大，后备力量不足", Category.TEAM, Severity.SERIOUS, Source.TOUR,
     "县委第一巡察组反馈意见（清巡反〔2025〕1号）", "closed"),
    ("QH-T03", "村集体经济薄弱，4个村经营性收入低于5万元", Category.ORGANISING, Severity.SERIOUS, Source.INSPECTION,
     "2025年第三季度基层党建工作通报", "in_progress"),
    ("QH-T07", "流动党员底数不清，2名外出党员长期失联", Category.MEMBERS, Severity.SERIOUS, Source.INSPECTION,
     "县委组织部2025年流动党员专项督查", "not_started"),
    ("QH-T08", "乡党委专题研究基层党建工作次数偏少，全年仅研究2次", Category.TEAM, Severity.NORMAL, Source.CRITIQUE,
     "2025年度述职评议点评意见", "pending"),
    ("QH-T09", "社区网格员队伍不稳定，在职党员进社区报到后作用发挥不明显", Category.SERVICE, Severity.NORMAL, Source.PUBLIC,
     "北关街道居民座谈会意见汇总", "in_progress"),
    ("QH-T10", "意识形态工作责任制落实不到位，阵地管理存在薄弱环节", Category.IDEOLOGY, Severity.GRAVE, Source.TOUR,
     "县委第三巡察组反馈意见（清巡反〔2025〕5号）", "closed"),
    ("QH-T05", "发展党员计划性不强，35岁以下青年党员占比偏低", Category.MEMBERS, Severity.NORMAL, Source.SELF,
     "马坊镇党委2025年度基层党建工作自查报告", "not_started"),
]

MEASURES = {
    Category.SUPPORT: "统筹县乡资金和部门帮扶资金，年内新建或改扩建村级活动场所，配齐便民服务设施，建立场所使用管理台账",
    Category.MEMBERS: "逐支部建立组织生活清单，乡镇党委每季度抽查会议记录，对落实不力的支部书记约谈提醒",
    Category.TEAM: "制定专题研究基层党建工作计划，每季度至少专题研究1次；实施村级后备力量储备工程",
    Category.ORGANISING: "一村一策制定集体经济发展方案，盘活闲置资产，引进合作社和龙头企业带动",
    Category.SERVICE: "完善网格员选聘和考核办法，建立在职党员进社区服务积分管理制度",
    Category.IDEOLOGY: "签订意识形态工作责任书，建立阵地排查台账，每半年专题分析研判一次",
}


def _tiny_png() -> bytes:
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" + b"\xb2\x22\x22" * 2 + b"\x00" + b"\xff\xff\xff" * 2)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def build_demo_rectification(ctx) -> None:
    from shuping.campaigns.models import Campaign

    county = ctx.county
    if Problem.objects.filter(org__path__startswith=county.path).exists():
        return
    users = {u.username: u for u in get_user_model().objects.filter(username__in=["admin", "reporter", "inspector", "leader"])}
    admin, reporter, inspector, leader = (users.get(n) for n in ["admin", "reporter", "inspector", "leader"])
    campaigns = Campaign.objects.filter(organiser=county)
    c2025 = campaigns.filter(year=2025).first()
    c2026 = campaigns.filter(year=2026).first()
    day = today()
    created = []
    for index, (code, text, category, severity, source, document, state) in enumerate(PROBLEMS):
        org = Org.objects.filter(code=code).first()
        if org is None:
            continue
        participant = c2025.participants.filter(org=org).first() if c2025 else None
        problem = services.problem_create(
            actor=admin, org=org, description=text, category=category, severity=severity, source=source,
            source_document=document, found_on=day - datetime.timedelta(days=150 - index * 3),
            campaign=c2025 if participant else None, participant=participant,
        )
        created.append((problem, state))
        if state == "not_started":
            continue
        deadline = day - datetime.timedelta(days=12) if state == "overdue" else day + datetime.timedelta(days=20 + index * 9)
        if state == "in_progress" and index % 3 == 0:
            deadline = day + datetime.timedelta(days=4)  # due soon
        rect = services.rectification_plan(actor=admin, rectification=problem.rectification, owner=org.secretary,
                                           measures=MEASURES.get(category, "制定整改方案，明确责任和时限，逐项整改销号"),
                                           deadline=deadline)
        if state == "overdue":
            continue
        services.progress_add(
            actor=reporter, rectification=rect,
            text="已召开专题会议研究整改方案，完成现状摸排，整改工作有序推进",
            files=[SimpleUploadedFile("整改现场照片.png", _tiny_png(), content_type="image/png")],
        )
        if state in ("pending", "closed"):
            services.rectification_apply_close(actor=reporter, rectification=rect, note="整改任务已全部完成，申请销号")
        if state == "closed":
            services.rectification_verify(actor=inspector, rectification=rect, approve=True,
                                          comment="经实地核查，整改到位，同意销号")
    services.mark_overdue()
    # 共性问题: the activity-venue problems of six townships, rectified at county level.
    venue = [p for p, _ in created if p.category == Category.SUPPORT]
    if len(venue) >= 5:
        common = services.common_problem_create(
            actor=admin, organiser=county, title="村级活动场所面积不足、设施简陋", category=Category.SUPPORT,
            problems=venue, close_members=True,
        )
        services.rectification_plan(
            actor=admin, rectification=common.rectification, owner=county.secretary,
            measures="县委组织部牵头，会同财政、住建、农业农村部门统筹资金，分两年完成全县村级活动场所达标提升",
            deadline=day + datetime.timedelta(days=240),
        )
    # A critique of a 2025 participant, its problem lines registered as 上级找.
    if c2025 is not None:
        participant = c2025.participants.select_related("org").order_by("agenda_order", "pk").first()
        if participant is not None:
            services.critique_save(
                actor=leader, participant=participant,
                strengths="书记履行第一责任人职责，全年专题研究基层党建工作6次，带头领办党建项目。\n"
                          "探索推行“党建+网格”治理模式，化解矛盾纠纷120余件，群众满意度明显提升。",
                problems="村级后备力量储备不足，35岁以下村“两委”成员占比偏低\n"
                         "软弱涣散村党组织整顿转化成效还不够稳固",
                suggestions="实施村级后备力量培养工程，每村储备2名以上后备人才。\n"
                            "建立软弱涣散村党组织整顿“回头看”机制，巩固整顿成果。",
            )
    if c2026 is not None and c2026.previous_id:
        services.carry_over(actor=admin, campaign=c2026)

"""The default rubric templates shipped with Shuping (分类指导), drawn from the seed speeches:
required items 班子配备, 工作保障, 党员队伍建设, 巡视巡察反馈问题整改; bonus items 提升组织力,
促进中心工作, 服务群众; plus one deduction and one veto. Each sector gets its own emphasis item."""

from decimal import Decimal

# (code, name, kind, max, topic, guidance)
BASE = [
    ("R1", "班子配备", "required", "15", "班子建设",
     "领导班子配备齐全、结构合理；书记履行第一责任人职责，班子成员落实“一岗双责”；定期专题研究基层党建工作。"),
    ("R2", "工作保障", "required", "15", "工作保障",
     "党建工作经费、村级组织运转经费、活动阵地、专职党务工作人员保障到位，有具体数据。"),
    ("R3", "党员队伍建设", "required", "15", "党员队伍建设",
     "发展党员质量，“三会一课”、主题党日、组织生活会落实情况，党员教育管理和作用发挥。"),
    ("R4", "巡视巡察反馈问题整改", "required", "15", "巡视巡察反馈问题整改",
     "巡视巡察、督查检查和上年度述职评议点评指出问题的整改措施、时限和成效，逐条回应。"),
    ("R5", "基层组织建设", "required", "20", "组织力",
     "软弱涣散基层党组织整顿，组织覆盖，标准化规范化建设。"),
    ("B1", "提升组织力", "bonus", "7", "组织力",
     "创新举措、党建品牌和可复制推广的经验做法。"),
    ("B2", "促进中心工作", "bonus", "7", "中心工作",
     "以党建引领促进经济社会发展、乡村振兴、基层治理的实际成效，避免党建与业务“两张皮”。"),
    ("B3", "服务群众", "bonus", "6", "服务群众",
     "为民办实事、解决群众急难愁盼问题的数量和成效。"),
    ("D1", "责任落实不力", "deduction", "10", "作风建设",
     "党建工作被上级通报批评、重点任务未完成、问题整改不到位的，按次扣分。"),
    ("V1", "一票否决事项", "veto", "0", "作风建设",
     "班子成员发生严重违纪违法、重大负面舆情或党建工作出现重大失误的，实行一票否决。"),
]

SECTOR_EMPHASIS = {
    "": ("通用（乡镇/街道/县直部门党组织书记）", None),
    "rural": ("农村", "村“两委”班子建设、村级集体经济发展、驻村第一书记作用发挥、软弱涣散村整顿。"),
    "community": ("社区", "网格化管理、区域化党建共驻共建、社区服务阵地和在职党员进社区报到。"),
    "organ": ("机关", "模范机关创建，党建与业务深度融合，防止“两张皮”，机关作风建设。"),
    "state_enterprise": ("国企", "党建工作要求写入公司章程，“双向进入、交叉任职”，党组织前置研究重大经营管理事项。"),
    "school": ("学校", "党组织领导的校长负责制落实，教师党支部书记“双带头人”培育，思想政治和意识形态工作。"),
    "hospital": ("医院", "党委领导下的院长负责制落实，临床科室党支部建设，医德医风和行风建设。"),
    # 两新 and 园区 (seed 004 extends 述评考 to them).
    "private_enterprise": ("非公企业", "党的组织和工作覆盖，出资人支持党建，党组织在职工群众中发挥政治核心作用、在企业发展中发挥政治引领作用，党建与生产经营深度融合。"),
    "social_organisation": ("社会组织", "党的组织和工作覆盖，党建工作写入章程，登记管理机关和业务主管单位党建责任落实，党组织把好政治方向。"),
    "park": ("园区", "园区党（工）委统筹区域内企业党建，“两新”组织党组织覆盖率，党群服务中心建设和服务企业、服务职工成效。"),
}


def default_templates():
    """Yield (template name, sector, description, indicators) for every shipped template."""
    for sector, (label, emphasis) in SECTOR_EMPHASIS.items():
        items = []
        for order, (code, name, kind, max_score, topic, guidance) in enumerate(BASE, start=1):
            if code == "R5" and emphasis:
                guidance = f"{guidance}本领域重点：{emphasis}"
            items.append(
                {"code": code, "name": name, "kind": kind, "max_score": Decimal(max_score), "topic": topic,
                 "guidance": guidance, "order": order}
            )
        yield f"{label}指标模板", sector, f"述职评议考核{label}指标（系统内置，可复制后修改）", items


def install_default_templates(template_model, indicator_model) -> int:
    """Create the shipped templates that are missing; leave edited ones alone."""
    created = 0
    for name, sector, description, items in default_templates():
        template, was_created = template_model.objects.get_or_create(
            name=name, defaults={"sector": sector, "description": description}
        )
        if was_created:
            indicator_model.objects.bulk_create([indicator_model(template=template, **item) for item in items])
            created += 1
    return created


# A mid-year 专项述职 (seed 002: 「年中有专项述职、岁尾有考评」) is lighter: three required items on the
# special task, the rectification and the responsibility, one deduction; written reports by default.
SPECIAL_RUBRIC = [
    ("S1", "专项任务推进情况", "required", Decimal("40"), "专项任务", "年中专项任务的目标、措施、进度和数据。"),
    ("S2", "问题整改情况", "required", Decimal("30"), "巡视巡察反馈问题整改",
     "上年度点评和巡视巡察指出问题的整改进度，逐条回应。"),
    ("S3", "责任落实情况", "required", Decimal("30"), "班子建设",
     "书记第一责任人、班子成员“一岗双责”落实情况。"),
    ("D1", "责任落实不力", "deduction", Decimal("10"), "作风建设", "专项任务未按期推进的，按次扣分。"),
]

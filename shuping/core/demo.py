"""A realistic demo county, built idempotently (every object is looked up by its code).

Later features append builders to DEMO_STEPS; each gets the county and the demo users.
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from shuping.accounts.models import Role
from shuping.accounts.services import role_grant, user_create
from shuping.orgs import services as org_services
from shuping.orgs.models import Org, OrgKind, Person, Sector, UnitType

DEMO_PASSWORD = "Shuping-2026"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
GIVEN = "建国志强海燕秀英立新红梅国平德明永刚丽华俊峰春生玉兰文斌金凤晓东明辉桂芳长江小军学军新民卫东雪梅振华凤英宏伟"

TOWNSHIPS = [
    ("城关镇", UnitType.TOWNSHIP, Sector.RURAL),
    ("河口镇", UnitType.TOWNSHIP, Sector.RURAL),
    ("柳林镇", UnitType.TOWNSHIP, Sector.RURAL),
    ("石门乡", UnitType.TOWNSHIP, Sector.RURAL),
    ("马坊镇", UnitType.TOWNSHIP, Sector.RURAL),
    ("东湖乡", UnitType.TOWNSHIP, Sector.RURAL),
    ("青龙镇", UnitType.TOWNSHIP, Sector.RURAL),
    ("杨庄乡", UnitType.TOWNSHIP, Sector.RURAL),
    ("北关街道", UnitType.STREET, Sector.COMMUNITY),
    ("南城街道", UnitType.STREET, Sector.COMMUNITY),
    ("清河经济开发区", UnitType.PARK, Sector.PARK),
    ("高新技术产业园区", UnitType.PARK, Sector.PARK),
]
DEPARTMENTS = [
    ("县委办公室", Sector.ORGAN), ("县政府办公室", Sector.ORGAN), ("县纪委监委机关", Sector.ORGAN),
    ("县委组织部", Sector.ORGAN), ("县委宣传部", Sector.ORGAN), ("县委统战部", Sector.ORGAN),
    ("县委政法委", Sector.ORGAN), ("县发展和改革局", Sector.ORGAN), ("县教育局", Sector.SCHOOL),
    ("县财政局", Sector.ORGAN), ("县人力资源和社会保障局", Sector.ORGAN), ("县自然资源局", Sector.ORGAN),
    ("县住房和城乡建设局", Sector.ORGAN), ("县农业农村局", Sector.ORGAN), ("县水利局", Sector.ORGAN),
    ("县卫生健康委员会", Sector.HOSPITAL), ("县市场监督管理局", Sector.ORGAN), ("县交通运输局", Sector.ORGAN),
    ("县城市建设投资集团", Sector.STATE_ENTERPRISE), ("县人民医院", Sector.HOSPITAL),
]
VILLAGE_WORDS = "东西南北前后上下大小新老"
VILLAGE_ROOTS = [
    "王庄", "李家", "张湾", "刘堡", "陈屯", "杨河", "黄岭", "赵集", "周坡", "吴店", "孙营", "马头", "朱桥", "胡寨",
    "郭村", "高庙", "林场", "罗山", "郑楼", "梁沟", "谢岗", "宋洼", "唐坊", "韩圩", "冯岭", "邓台",
]
COMMUNITY_NAMES = ["和平", "幸福", "文化", "建设", "人民", "光明", "友谊", "解放", "团结", "振兴", "康宁", "新华"]


@dataclass
class DemoContext:
    county: Org
    users: dict[str, tuple[str, str]] = field(default_factory=dict)  # role → (username, password)
    rng: random.Random = field(default_factory=lambda: random.Random(2026))
    # (说明, 站内路径) pairs the demo command prints after the logins, e.g. a ballot card to try.
    links: list[tuple[str, str]] = field(default_factory=list)
    # (说明, username, password) of further demo accounts, e.g. the units' own accounts.
    accounts: list[tuple[str, str, str]] = field(default_factory=list)


DEMO_STEPS: list[Callable[[DemoContext], None]] = []


def _person_name(rng: random.Random) -> str:
    surname = rng.choice(SURNAMES)
    start = rng.randrange(0, len(GIVEN) - 1, 2)
    given = GIVEN[start : start + 2] if rng.random() < 0.8 else GIVEN[start]
    return surname + given


def _ensure_org(code, *, parent, name, unit_type, kind, sector, member_count, sort_order) -> Org:
    existing = Org.objects.filter(code=code).first()
    if existing:
        return existing
    return org_services.org_create(
        actor="演示数据", parent=parent, code=code, name=name, unit_type=unit_type, kind=kind,
        sector=sector, member_count=member_count, sort_order=sort_order,
    )


def _ensure_secretary(org: Org, rng: random.Random, position: str) -> Person:
    code = f"P-{org.code}"
    person = Person.objects.filter(code=code).first()
    if person is None:
        person = org_services.person_create(
            actor="演示数据", orgs=[org], code=code, name=_person_name(rng),
            gender=rng.choice(["M", "M", "F"]), birth_year=rng.randint(1966, 1992),
            position=position, phone=f"1{rng.choice('3589')}{rng.randint(0, 999999999):09d}",
        )
    if org.secretary_id != person.pk:
        org_services.org_update(actor="演示数据", org=org, secretary=person)
    return person


@transaction.atomic
def build_county() -> Org:
    rng = random.Random(2026)
    province = _ensure_org("DL", parent=None, name="东岭省委", unit_type=UnitType.PROVINCE,
                           kind=OrgKind.COMMITTEE, sector="", member_count=0, sort_order=1)
    city = _ensure_org("DL-YC", parent=province, name="云川市委", unit_type=UnitType.PREFECTURE,
                       kind=OrgKind.COMMITTEE, sector="", member_count=0, sort_order=1)
    county = _ensure_org("DL-YC-QH", parent=city, name="清河县委", unit_type=UnitType.COUNTY,
                         kind=OrgKind.COMMITTEE, sector="", member_count=21460, sort_order=1)
    _ensure_secretary(county, rng, "县委书记")
    village_total = 0
    for index, (name, unit_type, sector) in enumerate(TOWNSHIPS, start=1):
        kind = OrgKind.WORKING_COMMITTEE if unit_type in (UnitType.STREET, UnitType.PARK) else OrgKind.COMMITTEE
        town = _ensure_org(f"QH-T{index:02d}", parent=county, name=f"{name}{'党工委' if kind == OrgKind.WORKING_COMMITTEE else '党委'}",
                           unit_type=unit_type, kind=kind, sector=sector,
                           member_count=rng.randint(600, 1800), sort_order=index)
        _ensure_secretary(town, rng, f"{name}党{'工' if kind == OrgKind.WORKING_COMMITTEE else ''}委书记")
        count = 13 if index <= 10 else 10
        for v in range(1, count + 1):
            if unit_type == UnitType.STREET or (unit_type == UnitType.PARK and v % 3 == 0):
                base = COMMUNITY_NAMES[(index * 7 + v) % len(COMMUNITY_NAMES)]
                vname, vtype, vsector = f"{name[:2]}{base}社区", UnitType.COMMUNITY, Sector.COMMUNITY
            else:
                root = VILLAGE_ROOTS[(index * 5 + v) % len(VILLAGE_ROOTS)]
                prefix = VILLAGE_WORDS[(index + v) % len(VILLAGE_WORDS)]
                vname, vtype, vsector = f"{prefix}{root}村", UnitType.VILLAGE, Sector.RURAL
            vkind = OrgKind.GENERAL_BRANCH if v % 4 == 0 else OrgKind.BRANCH
            village = _ensure_org(f"QH-T{index:02d}-V{v:02d}", parent=town,
                                  name=f"{vname}{'党总支' if vkind == OrgKind.GENERAL_BRANCH else '党支部'}",
                                  unit_type=vtype, kind=vkind, sector=vsector,
                                  member_count=rng.randint(18, 120), sort_order=v)
            _ensure_secretary(village, rng, f"{vname}党组织书记")
            village_total += 1
    for index, (name, sector) in enumerate(DEPARTMENTS, start=1):
        kind = OrgKind.COMMITTEE if sector in (Sector.STATE_ENTERPRISE, Sector.HOSPITAL) and "委员会" not in name else OrgKind.LEADING_GROUP
        dept = _ensure_org(f"QH-D{index:02d}", parent=county, name=f"{name}{'党委' if kind == OrgKind.COMMITTEE else '党组'}",
                           unit_type=UnitType.DEPARTMENT if sector != Sector.STATE_ENTERPRISE else UnitType.ENTERPRISE,
                           kind=kind, sector=sector, member_count=rng.randint(25, 260), sort_order=100 + index)
        _ensure_secretary(dept, rng, f"{name}党{'委' if kind == OrgKind.COMMITTEE else '组'}书记")
    return county


DEMO_ROLES = [
    ("admin", Role.ADMIN, "组织部管理员（演示）", "DL-YC-QH"),
    ("reviewer", Role.REVIEWER, "党建办审核人（演示）", "DL-YC-QH"),
    ("reporter", Role.REPORTER, "城关镇党委书记（演示）", "QH-T01"),
    ("evaluator", Role.EVALUATOR, "评议人（演示）", "DL-YC-QH"),
    ("leader", Role.LEADER, "县委书记（演示）", "DL-YC-QH"),
    ("inspector", Role.INSPECTOR, "督查人员（演示）", "DL-YC-QH"),
]


@transaction.atomic
def build_users() -> dict[str, tuple[str, str]]:
    User = get_user_model()
    result = {}
    for username, role, full_name, org_code in DEMO_ROLES:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = user_create(actor="演示数据", username=username, full_name=full_name,
                               password=DEMO_PASSWORD, validate=False, demo=True)
        role_grant(actor="演示数据", user=user, role=role, org=Org.objects.get(code=org_code))
        result[role] = (username, DEMO_PASSWORD)
    reporter_person = Person.objects.get(code="P-QH-T01")
    if reporter_person.user_id is None:
        reporter_person.user = User.objects.get(username="reporter")
        reporter_person.save(update_fields=["user"])
    return result


class DemoRefused(Exception):
    pass


def build_demo() -> DemoContext:
    if settings.PRODUCTION:
        # Demo accounts have published passwords: whoever signs in first owns the instance.
        raise DemoRefused("生产模式（SHUPING_PRODUCTION=1）下不能创建演示数据和演示账号")
    county = build_county()
    context = DemoContext(county=county, users=build_users())
    for step in DEMO_STEPS:
        step(context)
    return context

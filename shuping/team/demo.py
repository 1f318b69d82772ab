"""Demo: 城关镇党委's 班子成员 with their 一岗双责 items, the county's 组织部长 as 直接责任人, and two
members asked for a 书面述职 in 2026年度清河县's campaign (the deputy's is submitted and waits in the
reviewers' 待我审核)."""

from django.contrib.auth import get_user_model
from django.db import transaction

from shuping.campaigns.models import Campaign
from shuping.orgs import services as org_services
from shuping.orgs.models import Org, Person

from . import services
from .models import Post

ACTOR = "演示数据"

DEPUTY_REPORT = """城关镇党委副书记{name}落实“一岗双责”书面述职
一、履职情况
（一）分管党建办工作。全年主持专题研究党建工作4次，督促13个村（社区）落实“三会一课”，抽查会议记录52本。
（二）联系软弱涣散村整顿。联系前进村、红旗村2个软弱涣散村，每月到村1次，帮助调整村“两委”班子成员2名，前进村已整顿销号。
二、存在的问题
一是对分管领域党建工作督促检查不够经常，二是红旗村整顿进度滞后于计划1个月。
三、下一步打算
每季度对分管领域党建工作开展1次专项检查，红旗村整顿于6月底前完成销号。
"""


def _person(code: str, name: str, position: str, org: Org) -> Person:
    person = Person.objects.filter(code=code).first()
    if person is None:
        person = org_services.person_create(actor=ACTOR, orgs=[org], code=code, name=name, position=position)
    return person


@transaction.atomic
def build_team_demo(context) -> None:
    from shuping.reports import services as report_services
    from shuping.reports.documents import parse_editor_text

    county, town = context.county, Org.objects.filter(code="QH-T01").first()
    if town is None:
        return
    minister = _person("P-QH-ORGMIN", "周明远", "县委常委、组织部长", county)
    services.member_save(actor=ACTOR, org=county, person=minister, post=Post.ORG_MINISTER,
                         duties="直接负责全县基层党建工作的统筹谋划和督促落实\n牵头组织书记抓基层党建述职评议考核")
    if town.secretary_id:
        services.member_save(actor=ACTOR, org=town, person=town.secretary, post=Post.SECRETARY,
                             duties="履行抓基层党建第一责任人职责")
    deputy = services.member_save(
        actor=ACTOR, org=town, post=Post.DEPUTY, order=1,
        person=_person("P-QH-T01-DEP", "陈立新", "城关镇党委副书记", town),
        duties="分管党建办，每季度专题研究党建工作至少1次\n联系前进村、红旗村软弱涣散村整顿")
    organising = services.member_save(
        actor=ACTOR, org=town, post=Post.ORGANISING, order=2,
        person=_person("P-QH-T01-ORG", "刘晓梅", "城关镇党委组织委员", town),
        duties="具体负责发展党员和党员教育管理\n村级组织运转经费和阵地建设台账")
    campaign = Campaign.objects.filter(title__startswith="2026年度清河县").order_by("pk").first()
    if campaign is None or not campaign.config_editable or not campaign.participants.filter(org=town).exists():
        return
    if not services.written_reporters(campaign).exists():
        services.written_reporters_set(actor=ACTOR, campaign=campaign, members=[deputy, organising])
    written = services.written_reporters(campaign).filter(secretary=deputy.person).first()
    User = get_user_model()
    reporter = User.objects.filter(username=context.users.get("reporter", ("reporter",))[0]).first()
    if written is not None and not hasattr(written, "report") and campaign.state in report_services.WRITABLE_CAMPAIGN_STATES:
        actor = reporter or ACTOR
        report_services.report_save(actor=actor, participant=written, source="editor",
                                    blocks=parse_editor_text(DEPUTY_REPORT.format(name=deputy.person.name)))
        report_services.report_submit(actor=actor, participant=written)
    context.links.append(("班子成员书面述职（城关镇副书记的书面述职在“待我审核”中）",
                          f"/team/campaigns/{campaign.pk}/written/"))

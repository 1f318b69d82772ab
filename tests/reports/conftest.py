import io

import pytest

from shuping.campaigns import services as campaign_services
from shuping.campaigns.models import CampaignState
from shuping.reports import services
from shuping.reports.documents import parse_editor_text

from ..builders import make_campaign

REPORT_V1 = """甲一镇党委书记抓基层党建工作述职报告
一、主要工作和成效
（一）抓班子建设
今年调整村党组织书记3名，培训党员1200人次，投入运转经费45万元。
（二）党建+产业
以党建引领乡村振兴，发展特色种植，高度重视，扎实推进，取得明显成效。
推行“红色代办”工作法，为群众代办事项860件。
二、存在的问题
一是发展党员不够规范。二是阵地建设滞后。
三、下一步打算
1.进一步加强班子建设。
"""


@pytest.fixture
def campaign(tree):
    campaign = make_campaign(tree)
    return campaign_services.campaign_transition(actor=None, campaign=campaign, to_state=CampaignState.WRITING)


@pytest.fixture
def participant(campaign, tree):
    return campaign.participants.get(org=tree.town_a1)


@pytest.fixture
def written(participant, role_users):
    """A participant with one saved version."""
    services.report_save(actor=role_users["reporter"], participant=participant,
                         blocks=parse_editor_text(REPORT_V1), source="editor")
    return participant


@pytest.fixture
def submitted(written, role_users):
    services.report_submit(actor=role_users["reporter"], participant=written)
    return written


def level_reviewer(user, level):
    """The person acting at `level`: `user` at level 1, at higher levels a colleague holding the
    same grants (separation of duties: one person may not decide at two levels of a report)."""
    from django.contrib.auth import get_user_model

    from shuping.accounts.models import RoleGrant

    if level == 1:
        return user
    colleague, created = get_user_model().objects.get_or_create(username=f"{user.username}-l{level}",
                                                                defaults={"first_name": f"第{level}级审核人"})
    if created:
        for grant in RoleGrant.objects.filter(user=user):
            RoleGrant.objects.create(user=colleague, role=grant.role, org=grant.org)
    return colleague


def approve(participant, user, level, comment=""):
    from shuping.accounts.scope import UserScope

    actor = level_reviewer(user, level)
    return services.report_review(actor=actor, scope=UserScope(actor), participant=participant, level_order=level,
                                  decision="approve", comment=comment)


def docx_bytes(build) -> bytes:
    import docx

    document = docx.Document()
    build(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

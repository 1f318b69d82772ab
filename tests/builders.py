"""Shared builders: a small province with two counties, and users per role."""

from django.contrib.auth import get_user_model

from shuping.accounts.services import role_grant
from shuping.orgs import services
from shuping.orgs.models import Org, OrgKind, Person, Sector, UnitType

PASSWORD = "Test-pass-2026"


def make_org(code, parent=None, *, name=None, unit_type=UnitType.TOWNSHIP, kind=OrgKind.COMMITTEE,
             sector=Sector.RURAL, member_count=10) -> Org:
    return services.org_create(
        actor=None, parent=parent, code=code, name=name or f"{code}组织", unit_type=unit_type,
        kind=kind, sector=sector, member_count=member_count,
    )


def make_person(code, orgs, *, name=None, phone="13912345678", **fields) -> Person:
    return services.person_create(actor=None, orgs=list(orgs), code=code, name=name or f"{code}姓名", phone=phone, **fields)


def make_user(username, role=None, org=None, *, superuser=False):
    User = get_user_model()
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=username, is_superuser=superuser)
    if role is not None:
        role_grant(actor=None, user=user, role=role, org=org)
    return user


class Tree:
    """省 → 市 → two counties (A, B) → townships → villages."""

    def __init__(self):
        self.province = make_org("P", unit_type=UnitType.PROVINCE, sector="")
        self.city = make_org("P-C", self.province, unit_type=UnitType.PREFECTURE, sector="")
        self.county_a = make_org("A", self.city, name="甲县委", unit_type=UnitType.COUNTY, sector="")
        self.county_b = make_org("B", self.city, name="乙县委", unit_type=UnitType.COUNTY, sector="")
        self.town_a1 = make_org("A-1", self.county_a, name="甲一镇党委")
        self.town_a2 = make_org("A-2", self.county_a, name="甲二镇党委")
        self.village_a1 = make_org("A-1-1", self.town_a1, name="甲一村党支部", unit_type=UnitType.VILLAGE, kind=OrgKind.BRANCH)
        self.town_b1 = make_org("B-1", self.county_b, name="乙一镇党委")
        self.village_b1 = make_org("B-1-1", self.town_b1, name="乙一村党支部", unit_type=UnitType.VILLAGE, kind=OrgKind.BRANCH)
        self.person_a = make_person("PA", [self.village_a1], name="甲村书记")
        self.person_b = make_person("PB", [self.village_b1], name="乙村书记", phone="13700001111")
        services.org_update(actor=None, org=self.village_a1, secretary=self.person_a)
        services.org_update(actor=None, org=self.village_b1, secretary=self.person_b)



def make_campaign(tree, *, title="2026年度甲县抓基层党建述职评议考核", year=2026, participants=None, **fields):
    """A county-A campaign with the general template, default evaluator groups and two township participants."""
    from shuping.campaigns import services as campaign_services
    from shuping.campaigns.models import RubricTemplate, TemplateIndicator
    from shuping.campaigns.rubric_defaults import install_default_templates

    # Transactional tests flush the tables, data migrations included: put the templates back.
    install_default_templates(RubricTemplate, TemplateIndicator)
    template = RubricTemplate.objects.get(sector="")
    campaign = campaign_services.campaign_create(
        actor=None, organiser=tree.county_a, title=title, year=year, template=template, **fields
    )
    for org in participants if participants is not None else [tree.town_a1, tree.town_a2]:
        campaign_services.participant_add(actor=None, campaign=campaign, org=org, ranking_group_name="乡镇组")
    return campaign


def cast_ballot(campaign, participant, group_code, scores: dict[str, str], *, evaluator="E1", democratic=""):
    """Store one ballot directly (the meeting and Excel paths have their own services)."""
    from decimal import Decimal

    from shuping.campaigns.models import Ballot, BallotScore, BallotSource
    from shuping.campaigns.services import slot_for

    group = campaign.evaluator_groups.get(code=group_code)
    indicators = {i.code: i for i in campaign.indicators.all()}
    ballot = Ballot.objects.create(
        campaign=campaign, participant=participant, group=group, slot=slot_for(evaluator, participant.pk),
        total=sum((Decimal(v) for v in scores.values()), Decimal(0)) if scores else None,
        democratic=democratic, source=BallotSource.EXCEL,
    )
    BallotScore.objects.bulk_create(
        [BallotScore(ballot=ballot, indicator=indicators[code], score=Decimal(v)) for code, v in scores.items()]
    )
    return ballot

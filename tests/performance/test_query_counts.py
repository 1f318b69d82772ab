"""No page's query count grows with the rows it lists (issue 18).

Each case builds the same kind of data twice — N rows in county A and 2N in county B — and
signs in as each county's admin: the page must run the same number of queries for both.
"""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from shuping.accounts.models import Role

from ..builders import make_org, make_person, make_user

N = 3


def _towns(county, n, tag):
    return [make_org(f"{county.code}-{tag}{i}", county, name=f"{county.name}{tag}{i}镇党委") for i in range(n)]


def _campaign(county, towns, title="年度抓基层党建述职评议考核"):
    from shuping.campaigns import services as campaign_services
    from shuping.campaigns.models import RubricTemplate

    campaign = campaign_services.campaign_create(actor=None, organiser=county, title=f"{county.name}{title}", year=2026,
                                                 template=RubricTemplate.objects.get(sector=""))
    for town in towns:
        campaign_services.participant_add(actor=None, campaign=campaign, org=town, ranking_group_name="乡镇组")
    return campaign


def build_reports(county, n, user):
    from shuping.campaigns import services as campaign_services
    from shuping.reports import services
    from shuping.reports.documents import parse_editor_text

    campaign = _campaign(county, _towns(county, n, "R"))
    campaign_services.campaign_transition(actor=None, campaign=campaign, to_state="writing")
    for participant in campaign.participants.all():
        for text in ("一、主要工作\n抓党建促发展。", "一、主要工作\n抓党建促发展，修改稿。"):
            services.report_save(actor=user, participant=participant, source="editor", blocks=parse_editor_text(text))
        services.report_submit(actor=user, participant=participant)
    return [(reverse("reports:campaign", args=[campaign.pk]), f"{county.name}R{n - 1}镇党委"),
            (reverse("reports:list"), None)]


def build_problems(county, n, user):
    from shuping.rectification import services
    from shuping.rectification.models import Category, Source

    people = [make_person(f"{county.code}-P{i}", [county], name=f"责任人{i}") for i in range(n)]
    for i, town in enumerate(_towns(county, n, "Q")):
        problem = services.problem_create(actor=None, org=town, description=f"活动阵地面积不足{i}",
                                          source=Source.INSPECTION, category=Category.SUPPORT)
        services.rectification_plan(actor=None, rectification=problem.rectification, owner=people[i],
                                    measures="改扩建活动场所", deadline=datetime.date(2026, 6, 30))
    return [(reverse("rectification:problems"), f"活动阵地面积不足{n - 1}")]


def build_routine(county, n, user):
    from shuping.routine import services

    towns = _towns(county, n, "T")
    for code, maximum in (("X", 60), ("Y", 40)):
        services.indicator_save(actor=None, organiser=county, year=2026, code=code, name=f"指标{code}",
                                max_score=Decimal(maximum), order=1)
    for town in towns:
        for month in (1, 2, 3):
            services.monthly_scores_save(actor=None, organiser=county, year=2026, month=month, unit=town,
                                         values={"X": "50", "Y": "30"})
    pages = [(reverse(name, args=[county.pk, 2026]), f"{county.name}T{n - 1}镇党委")
             for name in ("routine:overview", "routine:scores")]
    rankings = reverse("routine:rankings", args=[county.pk, 2026])
    return [*pages, (rankings + "?month=3", f"{county.name}T{n - 1}镇党委"),
            (rankings + "?quarter=1", f"{county.name}T{n - 1}镇党委")]


def build_stars(county, n, user):
    from shuping.stars import services

    town = _towns(county, 1, "S")[0]
    for i in range(n):
        make_org(f"{town.code}-{i}", town, name=f"{town.name}第{i}村", unit_type="village", kind="branch")
    criteria_set = services.criteria_set_create(actor=None, organiser=county, year=2026)
    services.ratings_open(actor=None, criteria_set=criteria_set)
    return [(reverse("stars:list"), f"第{n - 1}村")]


def build_campaigns(county, n, user):
    for i in range(n):
        _campaign(county, [], title=f"第{i}次考核")
    campaign = _campaign(county, _towns(county, n, "C"), title="参加单位考核")
    return [(reverse("campaigns:list"), f"第{n - 1}次考核"),
            (reverse("campaigns:detail", args=[campaign.pk]), None),
            (reverse("campaigns:participants", args=[campaign.pk]), f"{county.name}C{n - 1}镇党委")]


def build_orgs(county, n, user):
    towns = _towns(county, n, "O")
    for i, town in enumerate(towns):
        make_person(f"{town.code}-P", [town], name=f"书记{i}", phone=f"1390000{i:04d}")
    return [(reverse("orgs:tree"), None), (reverse("orgs:children", args=[county.pk]), f"{county.name}O{n - 1}镇党委"),
            (reverse("orgs:people"), f"书记{n - 1}")]


def build_dashboards(county, n, user):
    from ..dashboards.conftest import publish

    towns = _towns(county, n, "D")
    campaign = _campaign(county, towns)
    publish(campaign, {town: ("好" if i % 2 else "一般") for i, town in enumerate(towns)})
    query = f"?org={county.pk}&year=2026"
    urls = [(reverse("dashboards:view", args=[key]) + query, None) for key in
            ("progress", "grades-sector", "routine", "rectification", "tree")]
    return [*urls, (reverse("dashboards:view", args=["grades-unit"]) + query, f"{county.name}D{n - 1}镇党委"),
            (reverse("dashboards:subordinates") + query, None)]


def build_meeting(county, n, user):
    """A meeting whose campaign has n extra evaluator groups (named and anonymous), each with
    cards, a reissued card and a paper form: the meeting page lists one row per group."""
    from shuping.campaigns import services as campaign_services
    from shuping.meetings import services

    from ..meetings.conftest import advance

    campaign = _campaign(county, _towns(county, 2, "M"))
    for i in range(n):
        campaign_services.evaluator_group_save(actor=None, campaign=campaign, code=f"X{i}", name=f"扩展评议组{i}",
                                               anonymous=bool(i % 2), order=10 + i)
    campaign = advance(campaign)
    meeting = services.meeting_create(actor=None, campaign=campaign, place="会议室")
    for group in campaign.evaluator_groups.all():
        names = [] if group.anonymous else [f"{group.name}评议人{j}" for j in range(2)]
        cards = services.credentials_issue(actor=None, meeting=meeting, group=group, count=2, names=names)
        services.credential_reissue(actor=None, credential=cards[0].credential)
        services.paper_forms_issue(actor=None, meeting=meeting, group=group, count=1)
    return [(reverse("meetings:detail", args=[meeting.pk]), f"扩展评议组{n - 1}")]


def _counts(client, pages):
    counts = {}
    for url, marker in pages:
        assert client.get(url).status_code == 200, url  # warm-up: first-visit caches, last_seen stamp
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200, url
        if marker:  # the page really lists the rows built for it
            assert marker in response.content.decode(), (url, marker)
        counts[url] = len(ctx)
    return list(counts.values()), counts


@pytest.mark.parametrize("build", [build_reports, build_problems, build_routine, build_stars, build_campaigns,
                                   build_orgs, build_dashboards, build_meeting], ids=lambda f: f.__name__[6:])
def test_list_pages_run_the_same_queries_for_n_and_2n_rows(client, tree, build):
    results = []
    with freeze_time("2026-11-16 10:00:00+08:00"):
        for county, n in ((tree.county_a, N), (tree.county_b, 2 * N)):
            user = make_user(f"admin_{county.code}", Role.ADMIN, county)
            pages = build(county, n, user)
            client.force_login(user)
            results.append(_counts(client, pages))
    (small, small_detail), (large, large_detail) = results
    assert small == large, f"query counts grow with rows: {small_detail} vs {large_detail}"

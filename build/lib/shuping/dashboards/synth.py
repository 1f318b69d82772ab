"""A synthetic province for load tests: orgs, five years of monthly routine scores, published
campaigns with results, and problems. Written with bulk inserts (COPY on PostgreSQL).

Full scale: 14 prefectures, 120 counties, 1,500 townships, 25,000 villages. Refuses to run
twice (the province code SYN is the marker).
"""

import datetime
import hashlib
import io
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction

from shuping.audit.services import log_action
from shuping.campaigns.models import (
    Campaign,
    CampaignState,
    Participant,
    ParticipantResult,
    RankingGroup,
    ResultVersion,
)
from shuping.clock import now
from shuping.orgs.models import Org, OrgKind, Sector, UnitType

ROOT_CODE = "SYN"
FULL = {"prefectures": 14, "counties": 120, "townships": 1500, "villages": 25000}
ROUTINE_INDICATORS = [("R1", "组织生活落实", Decimal("50")), ("R2", "阵地建设与服务群众", Decimal("50"))]
BATCH = 5000


class AlreadyGenerated(Exception):
    pass


@dataclass
class SynthStats:
    orgs: int = 0
    monthly_scores: int = 0
    campaigns: int = 0
    results: int = 0
    problems: int = 0
    register_values: int = 0
    seconds: float = 0.0


def _spread(total: int, parts: int) -> list[int]:
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


def _grade(composite: Decimal) -> str:
    return "好" if composite >= 90 else "较好" if composite >= 80 else "一般" if composite >= 60 else "差"


def counts_for(scale: float) -> dict[str, int]:
    c = {k: max(1, round(v * scale)) for k, v in FULL.items()}
    c["counties"] = max(c["counties"], c["prefectures"])
    c["townships"] = max(c["townships"], c["counties"])
    c["villages"] = max(c["villages"], c["townships"])
    return c


def _copy_or_bulk(model, fields: list[str], rows, stats_attr=None):
    """COPY on PostgreSQL (an order of magnitude faster), bulk_create in batches elsewhere."""
    if connection.vendor == "postgresql":
        columns = ", ".join(model._meta.get_field(f).column for f in fields)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg 3 cursor
            with raw.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy:
                buffer = io.StringIO()
                n = 0
                for row in rows:
                    buffer.write("\t".join("\\N" if v is None else str(v) for v in row))
                    buffer.write("\n")
                    n += 1
                    if n % 50000 == 0:
                        copy.write(buffer.getvalue())
                        buffer = io.StringIO()
                copy.write(buffer.getvalue())
        return n
    attnames = [model._meta.get_field(f).attname for f in fields]
    batch, n = [], 0
    for row in rows:
        batch.append(model(**dict(zip(attnames, row, strict=True))))
        if len(batch) >= BATCH:
            model.objects.bulk_create(batch)
            n += len(batch)
            batch = []
    if batch:
        model.objects.bulk_create(batch)
        n += len(batch)
    return n


def _reset_sequences(*models):
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), list(models)):
            cursor.execute(sql)


def generate(*, scale: float = 1.0, years: int = 5, last_year: int | None = None, seed: int = 2026,
             progress=None) -> SynthStats:
    from shuping.rectification.models import Problem, Rectification, Source, Status
    from shuping.routine.models import MonthlyScore, RoutineIndicator

    started = time.monotonic()
    say = progress or (lambda message: None)
    if Org.objects.filter(code=ROOT_CODE).exists():
        raise AlreadyGenerated("合成省已经生成过（组织编码 SYN 已存在），不能重复生成")
    rng = random.Random(seed)
    counts = counts_for(scale)
    last_year = last_year or now().year
    year_list = list(range(last_year - years + 1, last_year + 1))
    stats = SynthStats()
    at = now()

    with transaction.atomic():
        # ---- orgs, with explicit ids so the materialised path is known before the insert
        next_id = (Org.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        orgs: list[Org] = []

        def add(parent, code, name, unit_type, kind, sector, members, order):
            nonlocal next_id
            pk = next_id
            next_id += 1
            path = f"{parent.path if parent else '/'}{pk}/"
            org = Org(pk=pk, code=code, name=name, parent_id=parent.pk if parent else None, path=path,
                      depth=(parent.depth + 1) if parent else 0, unit_type=unit_type, kind=kind, sector=sector,
                      member_count=members, sort_order=order)
            orgs.append(org)
            return org

        province = add(None, ROOT_CODE, "合成省委", UnitType.PROVINCE, OrgKind.COMMITTEE, "", 0, 1)
        prefectures, counties, townships = [], [], []
        villages_by_county: dict[int, list[Org]] = {}
        towns_by_county: dict[int, list[Org]] = {}
        for p_index in range(counts["prefectures"]):
            prefectures.append(add(province, f"SYN-{p_index + 1:02d}", f"合成第{p_index + 1}市委", UnitType.PREFECTURE,
                                   OrgKind.COMMITTEE, "", 0, p_index + 1))
        county_split = _spread(counts["counties"], len(prefectures))
        for pref, n_counties in zip(prefectures, county_split, strict=True):
            for c_index in range(n_counties):
                counties.append(add(pref, f"{pref.code}-{c_index + 1:02d}", f"{pref.name[:-1]}第{c_index + 1}县委",
                                    UnitType.COUNTY, OrgKind.COMMITTEE, "", rng.randint(8000, 30000), c_index + 1))
        town_split = _spread(counts["townships"], len(counties))
        village_split = _spread(counts["villages"], counts["townships"])
        t_global = 0
        for county, n_towns in zip(counties, town_split, strict=True):
            towns_by_county[county.pk] = []
            villages_by_county[county.pk] = []
            for t_index in range(n_towns):
                street = t_index % 6 == 5
                town = add(county, f"{county.code}-T{t_index + 1:02d}", f"第{t_index + 1}{'街道党工委' if street else '镇党委'}",
                           UnitType.STREET if street else UnitType.TOWNSHIP,
                           OrgKind.WORKING_COMMITTEE if street else OrgKind.COMMITTEE,
                           Sector.COMMUNITY if street else Sector.RURAL, rng.randint(500, 1800), t_index + 1)
                townships.append(town)
                towns_by_county[county.pk].append(town)
                for v_index in range(village_split[t_global]):
                    village = add(town, f"{town.code}-V{v_index + 1:02d}",
                                  f"第{v_index + 1}{'社区' if street else '村'}党支部",
                                  UnitType.COMMUNITY if street else UnitType.VILLAGE, OrgKind.BRANCH,
                                  Sector.COMMUNITY if street else Sector.RURAL, rng.randint(15, 120), v_index + 1)
                    villages_by_county[county.pk].append(village)
                t_global += 1
        say(f"组织 {len(orgs)} 个，写入中……")
        Org.objects.bulk_create(orgs, batch_size=BATCH)
        _reset_sequences(Org)
        stats.orgs = len(orgs)

        # ---- routine: two indicators per county per year; scores for townships and villages
        indicators = [
            RoutineIndicator(organiser=county, year=year, code=code, name=name, max_score=max_score, order=i)
            for county in counties for year in year_list for i, (code, name, max_score) in enumerate(ROUTINE_INDICATORS)
        ]
        RoutineIndicator.objects.bulk_create(indicators, batch_size=BATCH)
        indicator_ids = {
            (row["organiser_id"], row["year"], row["code"]): (row["pk"], row["max_score"])
            for row in RoutineIndicator.objects.filter(organiser__in=counties).values("pk", "organiser_id", "year", "code", "max_score")
        }
        stamp = at.isoformat()

        def score_rows():
            for county in counties:
                units = towns_by_county[county.pk] + villages_by_county[county.pk]
                level = {u.pk: rng.uniform(0.62, 0.97) for u in units}
                for year in year_list:
                    keys = [indicator_ids[(county.pk, year, code)] for code, _n, _m in ROUTINE_INDICATORS]
                    for unit in units:
                        base = level[unit.pk]
                        for month in range(1, 13):
                            drift = 0.02 * (month - 6) / 6
                            for ind_pk, max_score in keys:
                                value = max(0.0, min(1.0, base + drift + rng.uniform(-0.06, 0.06)))
                                yield (ind_pk, unit.pk, month, f"{float(max_score) * value:.2f}", None, stamp)

        say("日常考核月度得分写入中……")
        stats.monthly_scores = _copy_or_bulk(
            MonthlyScore, ["indicator", "org", "month", "score", "entered_by", "entered_at"], score_rows())

        # ---- campaigns: one published campaign per county per year (townships report), and one per
        # prefecture per year (counties report), each with a frozen result version.
        def campaign_with_results(organiser, year, members):
            campaign = Campaign.objects.create(organiser=organiser, year=year, state=CampaignState.PUBLISHED,
                                               title=f"{year}年度{organiser.name}抓基层党建述职评议考核")
            group = RankingGroup.objects.create(campaign=campaign, name="乡镇组" if organiser.unit_type == UnitType.COUNTY else "县区组")
            participants = Participant.objects.bulk_create([
                Participant(campaign=campaign, org=m, ranking_group=group, agenda_order=i + 1)
                for i, m in enumerate(members)
            ])
            composites = sorted(
                ((p, Decimal(str(round(rng.triangular(62, 97, 86), 2)))) for p in participants),
                key=lambda item: -item[1])
            rows = [{"participant": p.pk, "org_code": p.org.code, "composite": str(c), "rank": i + 1, "grade": _grade(c)}
                    for i, (p, c) in enumerate(composites)]
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()
            version = ResultVersion.objects.create(campaign=campaign, number=1, reason="首次发布", data=rows,
                                                   content_hash=digest, created_at=at)
            return campaign, [
                ParticipantResult(version=version, participant=p, composite=c, routine_score=c,
                                  meeting_score=c, democratic_score=c, rank=i + 1, grade=_grade(c))
                for i, (p, c) in enumerate(composites)
            ]

        say("述职评议考核及结果写入中……")
        results = []
        for year in year_list:
            for county in counties:
                _c, rows = campaign_with_results(county, year, towns_by_county[county.pk])
                results.extend(rows)
                stats.campaigns += 1
            for pref in prefectures:
                _c, rows = campaign_with_results(pref, year, [c for c in counties if c.parent_id == pref.pk])
                results.extend(rows)
                stats.campaigns += 1
        ParticipantResult.objects.bulk_create(results, batch_size=BATCH)
        stats.results = len(results)

        # ---- problems: two per township per year, in every rectification state
        say("问题清单写入中……")
        problems = []
        for year in year_list:
            for town in townships:
                for k in range(2):
                    problems.append(Problem(
                        org=town, description=f"{year}年{town.name}党建工作问题{k + 1}：三会一课记录不规范",
                        source=rng.choice([Source.SELF, Source.CRITIQUE, Source.INSPECTION]),
                        found_on=datetime.date(year, rng.randint(1, 12), rng.randint(1, 28)), created_at=at))
        Problem.objects.bulk_create(problems, batch_size=BATCH)
        statuses = [Status.CLOSED] * 5 + [Status.IN_PROGRESS] * 2 + [Status.OVERDUE, Status.NOT_STARTED, Status.PENDING]
        rectifications = []
        for problem in problems:
            if rng.random() < 0.05:
                continue  # no plan yet
            status = rng.choice(statuses)
            rectifications.append(Rectification(
                problem=problem, org_id=problem.org_id, status=status,
                deadline=problem.found_on + datetime.timedelta(days=90), updated_at=at,
                closed_at=at if status == Status.CLOSED else None,
                overdue_since=problem.found_on + datetime.timedelta(days=91) if status == Status.OVERDUE else None))
        Rectification.objects.bulk_create(rectifications, batch_size=BATCH)
        stats.problems = len(problems)

        # ---- registers (基层台账): confirmed 基础数据 of every village, and 软弱涣散 整顿 cases
        say("基层台账写入中……")
        from shuping.registers import synth as register_synth
        from shuping.registers.models import FactSheet

        all_villages = [v for county in counties for v in villages_by_county[county.pk]]
        stats.register_values = register_synth.write(all_villages, year_list, rng, _copy_or_bulk, at)
        _reset_sequences(FactSheet)
        log_action("synth.province", actor="合成数据", org=province,
                   after={"scale": scale, "years": year_list, "orgs": stats.orgs, "monthly_scores": stats.monthly_scores,
                          "campaigns": stats.campaigns, "results": stats.results, "problems": stats.problems,
                          "register_values": stats.register_values})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    stats.seconds = round(time.monotonic() - started, 1)
    return stats

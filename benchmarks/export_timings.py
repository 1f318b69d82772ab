"""How long each export and import a user starts in the browser takes at a county of ~170 units
(not a test). Decides which ones run as background jobs (docs/jobs.md lists the figures).

Builds the demo county (清河县: 12 乡镇/街道/园区, 20 县直部门, 150 村/社区), adds a campaign with every
one of those 182 units as a reporter, 30 evaluators' ballots (imported from Excel, as a county
clerk would), 3 problems per unit, a 点评 per reporter, routine indicators, and times each
import and download through the Django test client as the county admin, then paper forms and
cards for one evaluator group (BENCH_PAPER_FORMS, default 10). A URL answered with a redirect to
/jobs/ is timed as the job's own run (what the worker does); the rest as the request itself.

    SHUPING_DATA_DIR=/tmp/export-bench .venv/bin/python benchmarks/export_timings.py
    ... DATABASE_URL=postgresql://postgres@127.0.0.1:5432/shuping_export_bench ...

It migrates and fills the database it is given: use a throw-away one.
"""

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:  # noqa: C901 - one linear script
    os.environ.setdefault("SHUPING_DATA_DIR", tempfile.mkdtemp(prefix="export-bench-"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shuping.settings")
    os.environ["SHUPING_DEMO"] = "1"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    import random
    from datetime import date, timedelta
    from decimal import Decimal

    import openpyxl
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from shuping.campaigns import demo as campaign_demo
    from shuping.campaigns import excel as campaign_excel
    from shuping.campaigns import services as campaigns
    from shuping.campaigns.models import Campaign, CampaignState, RubricTemplate
    from shuping.clock import now
    from shuping.core.demo import build_demo
    from shuping.core.xlsx import new_workbook, workbook_bytes, write_sheet
    from shuping.meetings import services as meetings
    from shuping.orgs.models import Org
    from shuping.rectification.models import Critique, Problem, Rectification, Source, Status
    from shuping.routine import excel as routine_excel
    from shuping.routine import services as routine
    from shuping.routine.models import QuarterlyCircular

    call_command("migrate", verbosity=0)
    context = build_demo()
    county = context.county
    admin = get_user_model().objects.get(username="admin")
    units = list(Org.objects.filter(path__startswith=county.path, depth__gt=county.depth).order_by("path"))
    print(f"database: {connection.vendor}; county {county.name}: {len(units)} units")

    title = "2026年度清河县基层党组织书记抓基层党建工作述职评议考核（全县）"
    rng = random.Random(7)
    stamp = now()
    if Campaign.objects.filter(title=title).exists():
        sys.exit("run it on a fresh database")
    campaign = campaigns.campaign_create(actor="压测", organiser=county, title=title, year=2026,
                                         template=RubricTemplate.objects.get(sector=""))
    for order, org in enumerate(units, start=1):
        group = "乡镇组" if org.depth == county.depth + 1 else "村（社区）组"
        campaigns.participant_add(actor="压测", campaign=campaign, org=org, ranking_group_name=group, agenda_order=order)
    for target in (CampaignState.WRITING, CampaignState.REVIEW, CampaignState.MEETING):
        campaign = campaigns.campaign_transition(actor="压测", campaign=campaign, to_state=target)
    # 30 evaluators x 182 reporters x 8 scored items stays under the 50,000-row import limit.
    campaign_demo.EVALUATORS = {"CW": 7, "LD": 8, "DB": 8, "QZ": 7}
    ballots = campaign_demo._ballot_workbook(campaign, rng)
    participants = list(campaign.participants.select_related("org"))
    problems = Problem.objects.bulk_create([
        Problem(org=p.org, campaign=campaign, description=f"{p.org.name}问题{k}：三会一课记录不规范，组织生活会质量不高",
                source=Source.CRITIQUE, found_on=date(2026, 3, 1), created_at=stamp)
        for p in participants for k in range(1, 4)])
    Rectification.objects.bulk_create([
        Rectification(problem=pr, org_id=pr.org_id, status=rng.choice(list(Status.values)),
                      deadline=pr.found_on + timedelta(days=90), measures="建立台账，逐月督办", updated_at=stamp)
        for pr in problems])
    Critique.objects.bulk_create([
        Critique(participant=p, strengths="抓党建促乡村振兴成效明显。\n村级集体经济稳步增长。",
                 problems="三会一课记录不规范。\n发展党员年龄结构偏大。", suggestions="加强后备力量培养。",
                 author=admin, created_at=stamp, updated_at=stamp) for p in participants])
    meeting = meetings.meeting_create(actor="压测", campaign=campaign, held_at=stamp, place="县委常委会议室", base_url="")
    group = campaign.evaluator_groups.order_by("order").first()
    if not county.routine_indicators.filter(year=2026).exists():
        for order, (code, name) in enumerate([("R1", "组织生活"), ("R2", "阵地建设"), ("R3", "党员教育")]):
            routine.indicator_save(actor="压测", organiser=county, year=2026, code=code, name=name,
                                   max_score=Decimal(20), order=order)
    draft = campaigns.campaign_create(actor="压测", organiser=county, title="2027年度指标体系草稿", year=2027,
                                      template=RubricTemplate.objects.get(sector=""))

    client = Client()
    client.force_login(admin)

    def timed(label: str, method: str, url: str, data=None, runs: int = 2) -> None:
        from shuping.jobs.models import Job
        from shuping.jobs.services import job_run

        seconds = []
        for _ in range(runs):
            payload = data() if callable(data) else data
            started = time.perf_counter()
            response = getattr(client, method)(url, payload or {})
            elapsed = time.perf_counter() - started
            if response.status_code == 302 and response["Location"].startswith("/jobs/"):
                job = Job.objects.get(pk=response["Location"].split("/")[2])
                started = time.perf_counter()
                job_run(str(job.pk), worker_id="bench")
                elapsed = time.perf_counter() - started
                job.refresh_from_db()
                status = f"{job.get_status_display()}：{(job.error or job.step)[:50]}"
                kind = "job"
            else:
                status = f"HTTP {response.status_code}"
                kind = "request"
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
            seconds.append(elapsed)
        print(f"{label:<38} {kind:<8} {statistics.median(seconds):7.2f} s  {status}")

    def upload(content: bytes, name: str):
        def make():
            handle = io.BytesIO(content)
            handle.name = name
            return {"file": handle}
        return make

    cid, oid = campaign.pk, county.pk
    print("-- imports (all-or-nothing; the row counts are a county's)")
    timed(f"campaigns: 测评票 ({len(ballots) // 1024} KB)", "post", f"/campaigns/{cid}/ballots/import/",
          upload(ballots, "测评票.xlsx"), runs=1)
    rubric = campaign_excel.rubric_export(campaign)
    timed("campaigns: 指标体系", "post", f"/campaigns/{draft.pk}/rubric/import/", upload(rubric, "指标.xlsx"))
    book = new_workbook()
    write_sheet(book, "问题清单", ["组织编码", "问题描述", "问题类别", "发现日期"],
                [[p.org.code, f"导入问题{k}：党员活动室制度未上墙", "工作保障", "2026-03-01"]
                 for p in participants for k in range(1, 4)])
    timed(f"rectification: 问题清单 ({len(problems)} rows)", "post", "/problems/import/",
          upload(workbook_bytes(book), "问题.xlsx"), runs=1)
    scores = openpyxl.load_workbook(io.BytesIO(routine_excel.scores_template(county, 2026, 1)))
    sheet = scores.worksheets[0]
    headers = [c.value for c in sheet[1]]
    for row in sheet.iter_rows(min_row=2):
        row[headers.index("得分")].value = rng.randint(5, 9)  # within every indicator's maximum
    buffer = io.BytesIO()
    scores.save(buffer)
    timed(f"routine: 月度评分 ({sheet.max_row - 1} rows)", "post", f"/routine/{oid}/2026/scores/import/?month=1",
          upload(buffer.getvalue(), "评分.xlsx"))
    orgs_book = client.get("/orgs/export.xlsx").content
    timed(f"orgs: 组织与人员 (re-import, {len(orgs_book) // 1024} KB)", "post", "/orgs/import/",
          upload(orgs_book, "组织.xlsx"))

    print("-- exports")
    timed("campaigns: 指标体系 rubric.xlsx", "post", f"/campaigns/{cid}/rubric.xlsx")
    timed("campaigns: 测评票模板 ballots/template", "get", f"/campaigns/{cid}/ballots/template.xlsx")
    timed("campaigns: 结果 results.xlsx (preview)", "post", f"/campaigns/{cid}/results.xlsx")
    timed("rectification: 整改清单 .xlsx", "post", f"/problems/export.xlsx?campaign={cid}")
    timed("rectification: 整改清单 .docx", "post", f"/problems/export.docx?campaign={cid}")
    timed("rectification: 全部点评 .docx", "post", f"/critiques/campaign/{cid}/export.docx")
    first = campaign.participants.order_by("agenda_order").first()
    timed("rectification: 单个点评 .docx", "get", f"/critiques/{first.pk}/export.docx")
    timed("levels: 点评讲话 .docx", "get", f"/levels/speech/{cid}.docx")
    timed("orgs: 组织与人员 export.xlsx", "get", "/orgs/export.xlsx")
    timed("routine: 责任清单 duties.xlsx", "get", f"/routine/{oid}/2026/duties.xlsx")
    timed("routine: 月度评分模板 template.xlsx", "get", f"/routine/{oid}/2026/scores/template.xlsx?month=1")
    circular = QuarterlyCircular.objects.first()
    timed("routine: 季度通报 .docx", "get", f"/routine/circulars/{circular.pk}/circular.docx")
    timed("registers: 基础数据 export.xlsx", "get", f"/registers/facts/{oid}/2026/export.xlsx")
    timed("registers: 软弱涣散 export.xlsx", "get", f"/registers/weak/{oid}/2026/export.xlsx")
    timed("registers: 党建品牌 export.xlsx", "get", f"/registers/brands/{oid}/export.xlsx")
    timed("registers: 驻村干部 export.xlsx", "get", f"/registers/posts/{oid}/2026/export.xlsx")
    timed("stars: 星级评定 export.xlsx", "get", "/stars/export.xlsx?year=2026")
    forms = int(os.environ.get("BENCH_PAPER_FORMS", "10"))
    timed(f"meetings: 纸质测评表 {forms} forms (issue)", "post", f"/meetings/{meeting.pk}/paper/issue/",
          {"group": group.pk, "count": forms}, runs=1)
    timed(f"meetings: 评议卡 {forms} cards (issue)", "post", f"/meetings/{meeting.pk}/credentials/issue/",
          {"group": group.pk, "count": forms}, runs=1)


if __name__ == "__main__":
    main()

"""How long each export and import a user starts in the browser takes at a county of ~170 units
(not a test). Decides which ones run as background jobs (docs/jobs.md lists the figures).

Builds the demo county (清河县: 12 乡镇/街道/园区, 20 县直部门, 150 村/社区), adds a campaign with every
one of those 182 units as a reporter, 30 evaluators' ballots (imported from Excel, as a county
clerk would), 3 problems per unit, a 点评 per reporter, paper forms and cards for one evaluator
group, and times each download or import through the Django test client as the county admin.
A URL answered with a redirect to /jobs/ is timed as the job's own run (the worker's share).

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
    from shuping.meetings import services as meetings
    from shuping.meetings.models import Meeting
    from shuping.orgs.models import Org
    from shuping.rectification.models import Critique, Problem, Rectification, Source, Status

    call_command("migrate", verbosity=0)
    context = build_demo()
    county = context.county
    admin = get_user_model().objects.get(username="admin")
    units = list(Org.objects.filter(path__startswith=county.path, depth__gt=county.depth).order_by("path"))
    print(f"database: {connection.vendor}; county {county.name}: {len(units)} units")

    title = "2026年度清河县基层党组织书记抓基层党建工作述职评议考核（全县）"
    campaign = Campaign.objects.filter(title=title).first()
    rng = random.Random(7)
    if campaign is None:
        campaign = campaigns.campaign_create(actor="压测", organiser=county, title=title, year=2026,
                                             template=RubricTemplate.objects.get(sector=""))
        for order, org in enumerate(units, start=1):
            group = "乡镇组" if org.depth == county.depth + 1 else "村（社区）组"
            campaigns.participant_add(actor="压测", campaign=campaign, org=org, ranking_group_name=group,
                                      agenda_order=order)
        for target in (CampaignState.WRITING, CampaignState.REVIEW, CampaignState.MEETING):
            campaign = campaigns.campaign_transition(actor="压测", campaign=campaign, to_state=target)
        # 30 evaluators x 182 reporters x 8 scored items stays under the 50,000-row import limit.
        campaign_demo.EVALUATORS = {"CW": 7, "LD": 8, "DB": 8, "QZ": 7}
        workbook = campaign_demo._ballot_workbook(campaign, rng)
        started = time.perf_counter()
        campaign_excel.ballots_import(io.BytesIO(workbook), actor="压测", campaign=campaign, note="压测")
        print(f"ballots import (service, {len(workbook) // 1024} KB, "
              f"{campaign.ballots.count()} ballots): {time.perf_counter() - started:.2f} s")
        participants = list(campaign.participants.select_related("org"))
        stamp = now()
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
        meetings.meeting_create(actor="压测", campaign=campaign, held_at=stamp, place="县委常委会议室", base_url="")
    meeting = Meeting.objects.get(campaign=campaign)
    group = campaign.evaluator_groups.order_by("order").first()

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
                status = f"job {job.get_status_display()} {job.error[:40]}"
                label_kind = "job"
            else:
                status = f"HTTP {response.status_code}"
                label_kind = "request"
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
            seconds.append(elapsed)
        print(f"{label:<40} {label_kind:<8} {statistics.median(seconds):7.2f} s  ({status})")

    cid, oid = campaign.pk, county.pk
    timed("campaigns: 指标体系 rubric.xlsx", "get", f"/campaigns/{cid}/rubric.xlsx")
    timed("campaigns: 测评票模板 ballots/template", "get", f"/campaigns/{cid}/ballots/template.xlsx")
    timed("campaigns: 结果 results.xlsx (preview)", "get", f"/campaigns/{cid}/results.xlsx")
    timed("rectification: 整改清单 export.xlsx", "get", f"/problems/export.xlsx?campaign={cid}")
    timed("rectification: 整改清单 export.docx", "get", f"/problems/export.docx?campaign={cid}")
    timed("rectification: 全部点评 .docx", "get", f"/critiques/campaign/{cid}/export.docx")
    first = campaign.participants.order_by("agenda_order").first()
    timed("rectification: 单个点评 .docx", "get", f"/critiques/{first.pk}/export.docx")
    timed("levels: 点评讲话 .docx", "get", f"/levels/speech/{cid}.docx")
    timed("orgs: 组织与人员 export.xlsx", "get", "/orgs/export.xlsx")
    timed("routine: 责任清单 duties.xlsx", "get", f"/routine/{oid}/2026/duties.xlsx")
    timed("routine: 月度评分模板 template.xlsx", "get", f"/routine/{oid}/2026/scores/template.xlsx?month=1")
    timed("registers: 基础数据 export.xlsx", "get", f"/registers/facts/{oid}/2026/export.xlsx")
    timed("registers: 软弱涣散 export.xlsx", "get", f"/registers/weak/{oid}/2026/export.xlsx")
    timed("registers: 党建品牌 export.xlsx", "get", f"/registers/brands/{oid}/export.xlsx")
    timed("registers: 驻村干部 export.xlsx", "get", f"/registers/posts/{oid}/2026/export.xlsx")
    timed("stars: 星级评定 export.xlsx", "get", "/stars/export.xlsx?year=2026")
    timed("meetings: 纸质测评表 37 forms (issue)", "post", f"/meetings/{meeting.pk}/paper/issue/",
          {"group": group.pk, "count": 37}, runs=1)
    timed("meetings: 纸质测评表-全部 (print)", "get", f"/meetings/{meeting.pk}/paper/print/", runs=1)
    timed("meetings: 评议卡 37 cards (issue)", "post", f"/meetings/{meeting.pk}/credentials/issue/",
          {"group": group.pk, "count": 37}, runs=1)
    problems_xlsx = client.get(f"/problems/export.xlsx?campaign={cid}")
    if problems_xlsx.status_code == 200:
        print(f"(problem ledger: {len(problems_xlsx.content) // 1024} KB)")
    del Decimal


if __name__ == "__main__":
    main()

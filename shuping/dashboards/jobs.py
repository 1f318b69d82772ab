"""Dashboard exports as background jobs: a province's tables can take a while to compute."""

from shuping.core.background import as_starter
from shuping.core.http import XLSX_TYPE
from shuping.core.xlsx import new_workbook, workbook_bytes, write_sheet
from shuping.jobs.services import JobError, JobResult, job_kind
from shuping.orgs.models import Org

from . import selectors


@job_kind("dashboards.export")
def export(job, progress) -> JobResult:
    key, year = job.params["key"], int(job.params["year"])
    if not Org.objects.filter(pk=job.params["root"]).exists():
        raise JobError("导出失败：该组织已不存在")
    with as_starter(job, selectors.PERM, failure="导出失败") as scope:
        root = selectors.root_for(scope, job.params["root"])  # the starter's scope as it is now
    progress(0, 2, f"正在统计{root.name}的数据")
    table = selectors.subordinate_table(root, year) if key == "subordinates" else selectors.dashboard(key, root, year)
    progress(1, 2, "正在写入 Excel")
    workbook = new_workbook()
    write_sheet(workbook, table.title[:31], table.headers, table.rows)
    return JobResult(workbook_bytes(workbook), f"{root.name}{year}年{table.title}.xlsx", XLSX_TYPE)


@job_kind("dashboards.synth_province")
def synth_province(job, progress) -> None:
    from .synth import AlreadyGenerated, generate

    stages = iter(range(1, 5))

    def say(message: str) -> None:
        progress(next(stages, 4), 5, message)

    progress(0, 5, "正在准备")
    try:
        stats = generate(scale=float(job.params["scale"]), years=int(job.params["years"]),
                         seed=int(job.params["seed"]), progress=say)
    except AlreadyGenerated as exc:
        raise JobError(str(exc)) from exc
    progress(5, 5, f"已生成组织 {stats.orgs} 个、月度得分 {stats.monthly_scores} 条，用时 {stats.seconds} 秒")

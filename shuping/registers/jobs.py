"""基层台账 imports (基础数据, 软弱涣散, 党建品牌, 驻村干部) as background jobs (see shuping.jobs)."""

from django.core.exceptions import PermissionDenied

from shuping.core.background import as_starter, import_run
from shuping.jobs.services import job_kind

from . import brands, excel, posts, selectors, weak


@job_kind("registers.facts_import")
def facts_import(job, progress) -> None:
    params = job.params
    with as_starter(job, "register.view", failure="导入失败") as scope:
        root = selectors.org_for(scope, params["root"])
        if not selectors.may_import(scope, root):
            raise PermissionDenied
        import_run(job, progress, lambda handle, max_bytes: excel.facts_import(
            handle, actor=job.created_by, scope=scope, root=root, year=params["year"], max_bytes=max_bytes),
            lambda summary: summary.describe())


@job_kind("registers.weak_import")
def weak_import(job, progress) -> None:
    params = job.params
    with as_starter(job, "register.confirm", failure="导入失败") as scope:
        root = selectors.org_for(scope, params["root"], "register.confirm")
        import_run(job, progress, lambda handle, max_bytes: weak.cases_import(
            handle, actor=job.created_by, root=root, year=params["year"], max_bytes=max_bytes),
            lambda result: f"导入成功：{len(result)} 个软弱涣散党组织，已同步列入问题清单")


@job_kind("registers.brand_import")
def brand_import(job, progress) -> None:
    with as_starter(job, "register.confirm", failure="导入失败") as scope:
        root = selectors.org_for(scope, job.params["root"], "register.confirm")
        import_run(job, progress, lambda handle, max_bytes: brands.brands_import(
            handle, actor=job.created_by, root=root, max_bytes=max_bytes),
            lambda result: f"导入成功：{len(result)} 个党建品牌/示范点")


@job_kind("registers.post_import")
def post_import(job, progress) -> None:
    with as_starter(job, "register.confirm", failure="导入失败") as scope:
        root = selectors.org_for(scope, job.params["root"], "register.confirm")
        import_run(job, progress, lambda handle, max_bytes: posts.assignments_import(
            handle, actor=job.created_by, root=root, max_bytes=max_bytes),
            lambda result: f"导入成功：{len(result)} 名驻村干部")

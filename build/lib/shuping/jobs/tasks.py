"""The one queue task: django-tasks runs it on a worker; the job kind decides what it does."""

from django_tasks import task

from . import services


@task(takes_context=True)
def run_job(context, job_id: str) -> None:
    worker_ids = getattr(context.task_result, "worker_ids", None) or []
    services.job_run(job_id, worker_id=worker_ids[-1] if worker_ids else services.node_name())

"""Run the real queue worker (`shuping worker`) in the test process until the queue is empty."""

import signal
from unittest import mock

from django.core.management import call_command


def run_jobs(worker_id: str = "test-node") -> None:
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    # The worker closes "old" connections between tasks; inside a test transaction that would
    # close the test's own connection, so it is skipped here (the two-node test runs it for real).
    try:
        with mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"):
            call_command("worker", batch=True, interval=0, startup_delay=False, worker_id=worker_id, verbosity=0)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)


def export_rows(client, url: str, data: dict | None = None) -> list[list]:
    """Start an export job as a browser would (POST), work the queue, and read the workbook it offers."""
    import io
    import re

    import openpyxl

    started = client.post(url, data or {})
    assert started.status_code == 302 and started["Location"].startswith("/jobs/"), started.status_code
    run_jobs()
    page = client.get(started["Location"]).content.decode()
    assert "已完成" in page
    back = re.search(r'<a href="([^"]+)">返回</a>', page).group(1).replace("&amp;", "&")
    assert client.get(back).status_code == 200 and ".xlsx" not in back
    download = client.get(started["Location"] + "download/")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    return [list(r) for r in sheet.iter_rows(values_only=True)]


def start_job(client, url: str, data: dict | None = None) -> str:
    """POST the button or form that starts a job; returns the job page it redirects to."""
    response = client.post(url, data or {})
    assert response.status_code == 302 and response["Location"].startswith("/jobs/"), (
        response.status_code, response.get("Location"), response.content.decode()[:500])
    return response["Location"]


def job_page_after_run(client, job_url: str) -> str:
    """Work the queue, then the job page's text as its starter sees it."""
    run_jobs()
    return client.get(job_url).content.decode()


def job_result(client, url: str, data: dict | None = None) -> tuple[str, bytes]:
    """Start a job, work the queue and download what the finished job offers: (job page, file bytes)."""
    job_url = start_job(client, url, data)
    page = job_page_after_run(client, job_url)
    assert "已完成" in page and "下载 " in page, page
    download = client.get(job_url + "download/")
    assert download.status_code == 200
    return page, b"".join(download.streaming_content)

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

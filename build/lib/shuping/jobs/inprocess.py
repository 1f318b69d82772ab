"""A queue worker inside the current process, for `shuping demo` on a laptop: no second command."""

import threading

from django_tasks_db.management.commands.db_worker import Worker

from .services import jobs_recover, node_name


def start_worker_thread(*, interval: float = 1.0) -> tuple[Worker, threading.Thread]:
    """Start polling the queue; set `worker.running = False` to stop after the current job."""
    worker_id = f"{node_name()}-demo"[:64]
    jobs_recover(worker_id=worker_id)
    worker = Worker(queue_names=["default"], interval=interval, batch=False, backend_name="default",
                    startup_delay=False, max_tasks=None, worker_id=worker_id, excluded_queue_names=[])
    thread = threading.Thread(target=worker.run, name="shuping-worker", daemon=True)
    thread.start()
    return worker, thread

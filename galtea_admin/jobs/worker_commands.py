"""How each jobs backend's worker is started: its `manage.py` arguments, defined once for
bin/with-workers (settings.JOB_WORKER_ARGS), the real-worker tests and the benchmark.

It imports nothing from Django, so processes without settings (the benchmark) can read it.
"""

from __future__ import annotations

JOB_WORKER_COMMANDS: dict[str, tuple[str, ...]] = {
    "database": ("db_worker", "--no-reload", "--no-startup-delay"),
    # rq's worker runs each job in a forked process, told to stop gently (jobs/rq_worker.py).
    "rq": (
        "rqworker",
        "--job-class",
        "django_tasks_rq.Job",
        "--worker-class",
        "galtea_admin.jobs.rq_worker.JobWorker",
    ),
    "immediate": (),
}


def job_worker_args(backend: str, *extra: str) -> list[str]:
    """The `manage.py` arguments starting `backend`'s worker, then `extra` (its options)."""
    command = JOB_WORKER_COMMANDS[backend]
    if not command:
        raise ValueError(f"The {backend} jobs backend has no worker.")
    return [*command, *extra]

"""The one task every job runs as (django-tasks; on Django 6 it is `django.tasks`)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_job(job_id: int) -> str:
    """Run job `job_id` (or go on with it, resumed): a worker's whole part in it."""
    from galtea_admin.jobs.running import run  # the engine reads the kinds, once apps are ready

    return run(job_id)

"""Starting, cancelling and resuming jobs, who may, and telling a job whose worker is gone.

A job is started by a person: its items are stored with it, the start is recorded in the
activity log, then its task is enqueued (django-tasks; the backend is settings.TASKS). Its
worker runs it (jobs/running.py) and writes its progress as it goes.

A worker that vanishes (killed, its machine gone) leaves its job "running" with no more
signs of life. `jobs_sweep` marks such a job interrupted, saying exactly what was done, what
was under way and what was not tried; it runs whenever a worker starts a job and whenever a
jobs page is shown. A job whose task the backend reports finished while the job is not is
marked the same way. Resuming an interrupted job checks the items under way first, so none
is done twice.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from galtea_admin.accounts.roles import MANAGER
from galtea_admin.audit.models import Action
from galtea_admin.audit.recording import record_event
from galtea_admin.jobs import kinds
from galtea_admin.jobs.models import Job, JobItem
from galtea_admin.jobs.tasks import run_job

logger = logging.getLogger(__name__)

AUDIT_TYPE = "jobs"
Status = Job.Status


def job_start(
    *,
    user,
    kind: str,
    description: str,
    params: dict,
    keys: list[str] | None,
    data: list[dict] | None = None,
) -> Job:
    """Store a job of `kind` over `keys` (its items, in order) and enqueue its run. `data`:
    what each item keeps from the start, in the same order (an import's row, say). Keys
    None: the job finds its items itself (`JobKind.collect`), its total unknown till then."""
    kinds.get(kind)  # a known kind, or raise now rather than in the worker
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            description=description[: Job._meta.get_field("description").max_length],
            params=params,
            started_by=user,
            started_by_name=user.get_username(),
            total=None if keys is None else len(keys),
        )
        keys = keys or []
        data = data if data is not None else [{}] * len(keys)
        JobItem.objects.bulk_create(
            (
                JobItem(job=job, position=position, key=key, data=item_data)
                for position, (key, item_data) in enumerate(zip(keys, data, strict=True))
            )
        )
        record_event(
            user, Action.START, object_type=AUDIT_TYPE, object_id=job.pk, label=description
        )
    enqueue(job)
    job.refresh_from_db()
    return job


def enqueue(job: Job) -> None:
    """Hand the job to the task backend (with the immediate backend, it runs right here)."""
    try:
        result = run_job.enqueue(job.pk)
    except Exception:
        logger.exception("Job %s could not be queued", job.pk)
        Job.objects.filter(pk=job.pk, status=Status.QUEUED).update(
            status=Status.FAILED,
            finished_at=timezone.now(),
            result="The job could not be queued: see the admin's log.",
        )
        return
    Job.objects.filter(pk=job.pk).update(task_id=str(result.id))


# --- Who may do what --------------------------------------------------------------------------


def is_manager(user) -> bool:
    return user.is_superuser or user.groups.filter(name=MANAGER).exists()


def may_cancel(user, job: Job) -> bool:
    """The person who started the job, or a Manager."""
    return job.started_by_id == user.pk or is_manager(user)


def can_cancel(job: Job) -> bool:
    """Whether the job can still be cancelled (not yet asked to, if it runs)."""
    return (job.is_active and not job.cancel_requested) or job.status == Status.INTERRUPTED


def can_resume(job: Job) -> bool:
    """An interrupted job, or one stopped by Galtea, that has items left (or has not found
    its items yet)."""
    return job.status in Job.RESUMABLE and (
        job.total is None
        or job.items.filter(status__in=(JobItem.Status.PENDING, JobItem.Status.SENDING)).exists()
    )


# --- Cancel and resume ------------------------------------------------------------------------


def job_cancel(*, user, job: Job) -> str:
    """Cancel the job: one that has not started ends at once; a running one stops between
    items (its run ends it "cancelled" with what was done); an interrupted one is given up.
    Returns what happened, in a sentence."""
    name = user.get_username()
    now = timezone.now()
    jobs = Job.objects.filter(pk=job.pk)
    if jobs.filter(status=Status.QUEUED).update(
        status=Status.CANCELLED,
        cancel_requested=True,
        cancelled_by_name=name,
        finished_at=now,
        result=f"Cancelled by {name} before it started: nothing was done.",
    ):
        said = "Cancelled: the job had not started."
    elif jobs.filter(status=Status.RUNNING, cancel_requested=False).update(
        cancel_requested=True, cancelled_by_name=name
    ):
        said = "Cancelling: the job stops once the rows under way are done."
    elif jobs.filter(status=Status.RUNNING).exists():
        return "Cancelling already: the job stops once the rows under way are done."
    elif jobs.filter(status=Status.INTERRUPTED).update(
        status=Status.CANCELLED,
        cancelled_by_name=name,
        finished_at=now,
        result=f"Cancelled by {name} after it was interrupted: {progress_text(job)}.",
    ):
        said = "Cancelled: the job will not be resumed."
    else:
        return "The job had ended already: there was nothing to cancel."
    record_event(
        user, Action.CANCEL, object_type=AUDIT_TYPE, object_id=job.pk, label=job.description
    )
    return said


def job_resume(*, user, job: Job) -> str:
    if not can_resume(job):
        return "There is nothing left to resume."
    # The earlier run's task is forgotten: its end says nothing of the new run.
    resumed = Job.objects.filter(pk=job.pk, status__in=Job.RESUMABLE).update(
        status=Status.QUEUED, cancel_requested=False, result="", finished_at=None, task_id=""
    )
    if not resumed:
        return "There is nothing left to resume."
    record_event(
        user, Action.RESUME, object_type=AUDIT_TYPE, object_id=job.pk, label=job.description
    )
    enqueue(job)
    return "Resumed: the rows under way when it stopped are checked first, then the rest is done."


# --- Workers that vanished --------------------------------------------------------------------


def jobs_sweep(job: Job | None = None) -> None:
    """Mark interrupted every running job (or just `job`) whose worker is gone."""
    active = Job.objects.filter(status__in=Job.ACTIVE)
    if job is not None:
        active = active.filter(pk=job.pk)
    stale_before = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS)
    for stale in active.filter(status=Status.RUNNING, heartbeat_at__lt=stale_before):
        mark_interrupted(stale)
    for left in active.exclude(task_id=""):
        if task_finished(left.task_id):
            left.refresh_from_db()
            if left.status == Status.RUNNING:
                mark_interrupted(left)
            elif left.status == Status.QUEUED:
                job_end(left, Status.FAILED, "The worker could not run the job: see its log.")


def task_finished(task_id: str) -> bool:
    """Whether the task backend says this run has finished (False when it cannot tell)."""
    backend = run_job.get_backend()
    if not backend.supports_get_result:
        return False
    try:
        return run_job.get_result(task_id).is_finished
    except Exception:  # gone (pruned), or unreadable: no verdict
        return False


def mark_interrupted(job: Job) -> None:
    job.refresh_from_db()
    Job.objects.filter(pk=job.pk, status=Status.RUNNING, attempt=job.attempt).update(
        status=Status.INTERRUPTED, finished_at=timezone.now(), result=interrupted_text(job)
    )


def job_end(job: Job, status: str, result: str) -> None:
    Job.objects.filter(pk=job.pk, status__in=Job.ACTIVE).update(
        status=status, result=result, finished_at=timezone.now()
    )


# --- How far it got, in words -----------------------------------------------------------------


def item_counts(job: Job) -> dict[str, int]:
    counted = job.items.values("status").annotate(n=Count("id")).values_list("status", "n")
    return {status: 0 for status in JobItem.Status.values} | dict(counted)


def job_kind(job: Job) -> kinds.JobKind:
    """The job's kind; for a kind this admin no longer has, the plain one (its report
    names outcomes by their status only, with no links and no more columns)."""
    try:
        return kinds.get(job.kind)
    except kinds.UnknownKind:
        return kinds.JobKind()


def outcome_words(job: Job) -> dict[str, str]:
    return job_kind(job).outcome_words


def status_names(job: Job) -> dict[str, str]:
    """How a job's report names each item's state."""
    return {
        JobItem.Status.PENDING: "not tried",
        JobItem.Status.SENDING: "under way when the worker stopped",
        **outcome_words(job),
    }


def progress_text(job: Job) -> str:
    """ "35 changed, 2 already as asked, 1 failed, 12 not tried", from the items."""
    if job.total is None:
        return "nothing was done (its rows were still being found)"
    counts = item_counts(job)
    words = outcome_words(job)
    parts = [
        f"{counts[status]} {words[status]}"
        for status in (JobItem.Status.DONE, JobItem.Status.SKIPPED, JobItem.Status.FAILED)
        if counts[status] or status == JobItem.Status.DONE
    ]
    if counts[JobItem.Status.SENDING]:
        parts.append(f"{counts[JobItem.Status.SENDING]} under way")
    if counts[JobItem.Status.PENDING]:
        parts.append(f"{counts[JobItem.Status.PENDING]} not tried")
    return ", ".join(parts)


def interrupted_text(job: Job) -> str:
    return f"The worker running it stopped: {progress_text(job)}.{under_way_note(job)}"


def under_way_note(job: Job) -> str:
    """For a job that stopped with rows under way: what Resume does with them."""
    if not item_counts(job)[JobItem.Status.SENDING]:
        return ""
    return " Whether the rows under way were changed is checked when it is resumed."

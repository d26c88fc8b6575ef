"""Drafts: jobs a person has prepared (an import's rows, read and checked) but not started.

A draft is stored in the database, not in the session or the page, so that a preview of
10,000 rows costs the browser nothing and can be reloaded; only its author may see or start
it. Drafts are kept for DRAFT_SECONDS: older ones, started or not, are deleted whenever a
new one is made or one is opened. Starting a draft twice (a double click, Back and again)
starts one job: the second start finds the first's.
"""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from galtea_admin.jobs.models import Job, JobDraft
from galtea_admin.jobs.services import job_start

DRAFT_SECONDS = 24 * 60 * 60


def drafts_expire() -> int:
    """Delete the drafts older than DRAFT_SECONDS; returns how many."""
    before = timezone.now() - timedelta(seconds=DRAFT_SECONDS)
    deleted, _ = JobDraft.objects.filter(created_at__lt=before).delete()
    return deleted


def draft_create(*, user, kind: str, params: dict, rows: list[dict]) -> JobDraft:
    drafts_expire()
    return JobDraft.objects.create(kind=kind, created_by=user, params=params, rows=rows)


def draft_get(*, user, kind: str, draft_id: int) -> JobDraft | None:
    """The person's own draft of this kind, if it has not expired."""
    drafts_expire()
    return JobDraft.objects.filter(pk=draft_id, kind=kind, created_by=user).first()


def draft_start(
    *, user, draft: JobDraft, description: str, params: dict, keys: list[str], data: list[dict]
) -> Job:
    """Start the draft's job (once: a draft started already gives its job back)."""
    with transaction.atomic():
        locked = JobDraft.objects.select_for_update().get(pk=draft.pk)
        if locked.job_id is not None:
            return locked.job
        job = job_start(
            user=user,
            kind=draft.kind,
            description=description,
            params=params,
            keys=keys,
            data=data,
        )
        locked.job = job
        locked.save(update_fields=["job"])
    return job

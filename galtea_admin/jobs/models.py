"""Background jobs: who started one, what it does, how far it got, and each item's outcome.

A job's progress is written as it goes (every item's outcome in its own transaction), so a
worker that dies loses nothing: what was done is in the database, and the item that was on
its way is marked as such until a resumed run checks it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Job(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Running"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"
        INTERRUPTED = "interrupted", "Interrupted"

    # A registered kind of job (jobs.kinds), e.g. "bulk_edit".
    kind = models.CharField(max_length=50)
    # What it does, as a person reads it: "Set “Agent speaks first” to Yes on 37 phone
    # connections".
    description = models.CharField(max_length=255)
    # What the kind needs to do it (JSON), e.g. the resource and the values to set.
    params = models.JSONField(default=dict)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="jobs"
    )
    # Kept even if the account is deleted later.
    started_by_name = models.CharField(max_length=150)
    status = models.CharField(
        max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    total = models.PositiveIntegerField(null=True)  # None: not known yet
    done_count = models.PositiveIntegerField(default=0)
    failed_count = models.PositiveIntegerField(default=0)
    skipped_count = models.PositiveIntegerField(default=0)  # nothing to do for them
    # How it ended, in a sentence or two.
    result = models.TextField(blank=True)
    # The id of the task (django-tasks) of its latest run.
    task_id = models.CharField(max_length=64, blank=True)
    # Each run (the first, a resumed one) gets the next number; a run whose number is no
    # longer the job's has been given up on, and writes nothing more.
    attempt = models.PositiveIntegerField(default=0)
    cancel_requested = models.BooleanField(default=False)
    cancelled_by_name = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    # The worker's latest sign of life while running.
    heartbeat_at = models.DateTimeField(null=True)

    ACTIVE = (Status.QUEUED, Status.RUNNING)
    RESUMABLE = (Status.INTERRUPTED, Status.FAILED)

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Job {self.pk}: {self.description}"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def processed(self) -> int:
        return self.done_count + self.failed_count + self.skipped_count

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, round(100 * self.processed / self.total))


class JobItem(models.Model):
    """One thing a job does (a connection to change, a row to import) and its outcome."""

    class Status(models.TextChoices):
        PENDING = "pending", "Not tried"
        SENDING = "sending", "Under way"
        DONE = "done", "Done"
        SKIPPED = "skipped", "Nothing to do"
        FAILED = "failed", "Failed"

    job = models.ForeignKey(Job, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField()
    # What the item is about, e.g. the id of a connection.
    key = models.CharField(max_length=128)
    # How a person calls it, once known, e.g. “Support line” (+14155552671).
    label = models.CharField(max_length=255, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    message = models.TextField(blank=True)
    # What the kind keeps of the item before it is sent (JSON), e.g. the values it changes.
    data = models.JSONField(default=dict)
    # The run that last sent it.
    attempt = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("job", "position")
        constraints = [
            models.UniqueConstraint(fields=["job", "position"], name="job_item_position"),
        ]
        indexes = [models.Index(fields=["job", "status"])]

    def __str__(self) -> str:
        return f"{self.job_id}#{self.position} {self.key}: {self.status}"


class JobDraft(models.Model):
    """A job a person has prepared and not started yet: an import's rows, read and checked,
    waiting on its preview for "Import N rows". Kept in the database (not in the session or
    the page) and for a day at most (jobs/drafts.py)."""

    kind = models.CharField(max_length=50)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="job_drafts"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # What the kind needs of the whole draft (JSON), e.g. the resource and the file's name.
    params = models.JSONField(default=dict)
    # Each thing prepared (JSON), e.g. an import's rows with their problems.
    rows = models.JSONField(default=list)
    # The job started from it, once started (starting it again shows that job).
    job = models.OneToOneField(
        Job, null=True, blank=True, on_delete=models.SET_NULL, related_name="draft"
    )

    class Meta:
        ordering = ("-created_at", "-id")

    def __str__(self) -> str:
        return f"Draft {self.pk} ({self.kind}) by {self.created_by_id}"

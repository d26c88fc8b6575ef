"""Who changed what: one row per change made through the admin, to any resource."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Action(models.TextChoices):
    CREATE = "create", "Created"
    UPDATE = "update", "Edited"
    DELETE = "delete", "Deleted"
    # A background job's life (galtea_admin/jobs): its object is the job.
    START = "start", "Started"
    CANCEL = "cancel", "Cancelled"
    RESUME = "resume", "Resumed"


class Outcome(models.TextChoices):
    DONE = "done", "Done"
    # Galtea received the request, then stopped answering, and could not be asked whether it
    # made the change: settled later (lists/settling.py) to done or not done.
    UNCONFIRMED = "unconfirmed", "Not confirmed yet"
    NOT_DONE = "not_done", "Did not happen"


# What the activity log records besides the registered resources' entities: object type →
# (one, many), as the activity page names them.
OTHER_KINDS = {"jobs": ("Job", "Jobs")}


class ChangeRecord(models.Model):
    """A change to one entity of a Galtea resource, made by a person through the admin."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="changes"
    )
    # Kept even if the user account is deleted later.
    username = models.CharField(max_length=150)
    action = models.CharField(max_length=10, choices=Action.choices)
    # The resource's key in the registry, e.g. "phone_connections".
    object_type = models.CharField(max_length=50)
    object_id = models.CharField(max_length=128)
    # How the entity was called when it changed (its name).
    object_label = models.CharField(max_length=255)
    product_id = models.CharField(max_length=128)
    product_name = models.CharField(max_length=255, blank=True)
    # {"field": [before, after]}: before is null on create, after is null on delete.
    changes = models.JSONField(default=dict)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.DONE)
    # When an unconfirmed change was found done or not done.
    settled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created_at", "-id")
        verbose_name = "change"
        verbose_name_plural = "activity"
        indexes = [
            models.Index(fields=["action", "created_at"]),
            models.Index(fields=["object_type", "object_id"]),
        ]

    def __str__(self) -> str:
        return f"{self.username} {self.get_action_display().lower()} {self.object_label}"

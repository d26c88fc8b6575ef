"""The admin's own records about the resources it manages (the resources live in Galtea)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class CreateSubmission(models.Model):
    """One create form submission, so that sending the same form twice creates one entity.

    The row is written before Galtea is asked to create (the unique token makes a second,
    concurrent submission fail fast) and removed again if Galtea did not create anything.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    entity_id = models.CharField(max_length=128, blank=True)
    # When Galtea's answer was lost and it could not be asked: the unconfirmed change, settled
    # later (lists/settling.py), which then fills entity_id or frees the token.
    unconfirmed_change = models.OneToOneField(
        "audit.ChangeRecord", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"create form {self.token} → {self.entity_id or 'pending'}"

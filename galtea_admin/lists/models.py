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
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"create form {self.token} → {self.entity_id or 'pending'}"

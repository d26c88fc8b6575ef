"""The admin's own records about phone connections (the connections live in Galtea)."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PhoneConnectionAccess(models.Model):
    """No table: only the permissions that the roles grant over phone connections."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("view_phone_connections", "Can view phone connections"),
            ("add_phone_connections", "Can create phone connections"),
            ("change_phone_connections", "Can edit phone connections"),
            ("delete_phone_connections", "Can delete phone connections"),
            ("bulk_phone_connections", "Can run bulk actions on phone connections"),
        ]

    def __str__(self) -> str:
        return "phone connection access"


class CreateSubmission(models.Model):
    """One create form submission, so that sending the same form twice creates one connection.

    The row is written before Galtea is asked to create (the unique token makes a second,
    concurrent submission fail fast) and removed again if Galtea did not create anything.
    """

    token = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    connection_id = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"create form {self.token} → {self.connection_id or 'pending'}"

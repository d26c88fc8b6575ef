"""What people keep for themselves (or share): saved list views, column choices and how the
admin looks to them."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SavedView(models.Model):
    """A list URL saved under a name: its filters, sort and page size."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    # The key of the resource whose list this is (see lists.registry).
    list_name = models.CharField(max_length=50)
    name = models.CharField(max_length=100)
    query = models.CharField(max_length=4000, blank=True)
    shared = models.BooleanField(
        default=False, help_text="Visible to everyone who can see the list."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("name", "id")
        constraints = [
            models.UniqueConstraint(
                fields=["owner", "list_name", "name"], name="unique_saved_view_name"
            )
        ]

    def __str__(self) -> str:
        return self.name


class TableConfig(models.Model):
    """A person's choice of columns, in order, for one table."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="table_configs"
    )
    table = models.CharField(max_length=50)
    columns = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "table"], name="unique_table_config")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.table}"


class Appearance(models.Model):
    """How the admin looks to one person: its colour theme."""

    class Theme(models.TextChoices):
        SYSTEM = "system", "System"  # as the person's system says (prefers-color-scheme)
        LIGHT = "light", "Light"
        DARK = "dark", "Dark"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appearance"
    )
    theme = models.CharField(max_length=10, choices=Theme.choices, default=Theme.SYSTEM)

    def __str__(self) -> str:
        return f"{self.user} · {self.theme}"

"""A connection table's "Used by" column: how many versions call each connection of the
page, from one request made only when the column is shown (it is hidden by default)."""

from __future__ import annotations

from functools import cached_property

from django.urls import reverse
from django.utils.http import urlencode

from galtea_admin.galtea.errors import GalteaError
from galtea_admin.galtea.versions import version_counts
from galtea_admin.lists import cells
from galtea_admin.lists.registry import EMPTY


class UsedByVersions:
    """For a connection table that declares a `used_by` column; `version_target` is the
    version field naming this kind of connection."""

    version_target: str
    version_filter: str  # the version list's filter of that connection's id
    HIDDEN_BY_DEFAULT = ("used_by",)

    @cached_property
    def version_counts(self) -> dict[str, int] | None:
        ids = [record.id for record in self.page_records]
        try:
            return version_counts(self.version_target, ids)
        except GalteaError:
            return None

    def render_used_by(self, record):
        if self.version_counts is None:
            return cells.draw(cells.SHARED, "muted", "Unknown")
        count = self.version_counts.get(record.id, 0)
        if not count:
            return EMPTY
        url = f"{reverse('versions:list')}?{urlencode({self.version_filter: record.id})}"
        return cells.link(url, f"{count} version{'s' if count != 1 else ''}")

"""The version table."""

from __future__ import annotations

from functools import cached_property

import django_tables2 as tables
from django.urls import reverse

from galtea_admin.galtea.resources import resource_names
from galtea_admin.galtea.versions import VERSIONS
from galtea_admin.lists import cells
from galtea_admin.lists.registry import EMPTY, lazy_label_with_time_zone, site
from galtea_admin.lists.tables import CLIPPED, CLIPPED_NAME, ResourceTable, sorted_by

# Each target a version can have → the admin's resource that shows it, and its name.
TARGET_PAGES = {
    "phone_connection_id": ("phone_connections", "Phone"),
    "webrtc_connection_id": ("webrtc_connections", "WebRTC"),
}


def target_cell(version, names: dict[str, str] | None = None):
    """What the version calls: a link to that connection's page (by its name when `names`
    has it), or what it is."""
    for target, (resource_key, kind) in TARGET_PAGES.items():
        connection_id = getattr(version, target)
        if connection_id:
            url = reverse(f"{resource_key}:detail", args=[connection_id])
            name = (names or {}).get(connection_id)
            return cells.draw("versions/_cells.html", "target", kind, connection_id, url, name)
    if version.endpoint_connection_id:
        return cells.with_note("Endpoint", version.endpoint_connection_id, "muted mono")
    return EMPTY


def target_names(versions) -> dict[str, str]:
    """id → name of the connections `versions` call: one request per kind among them."""
    names: dict[str, str] = {}
    for target, (resource_key, _) in TARGET_PAGES.items():
        ids = [getattr(version, target) for version in versions if getattr(version, target)]
        if ids:
            names |= resource_names(site.get(resource_key).spec, ids)
    return names


class VersionTable(ResourceTable):
    name = tables.Column(attrs=CLIPPED_NAME, **sorted_by("name", VERSIONS.sortable))
    product = tables.Column(
        accessor="product_id", verbose_name="Product", orderable=False, attrs=CLIPPED
    )
    number = tables.Column(verbose_name="Number", orderable=False)
    target = tables.Column(verbose_name="Calls", orderable=False, empty_values=(), attrs=CLIPPED)
    created = tables.Column(
        accessor="created_at",
        verbose_name=lazy_label_with_time_zone("Created"),
        **sorted_by("createdAt", VERSIONS.sortable),
    )

    class Meta(ResourceTable.Meta):
        empty_text = "No versions match these filters."

    @cached_property
    def target_names(self) -> dict[str, str]:
        """The names of what this page's versions call: a request per kind, when drawn."""
        return target_names(self.page_records)

    def render_target(self, record):
        return target_cell(record, self.target_names)

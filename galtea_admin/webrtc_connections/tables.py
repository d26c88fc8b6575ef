"""The WebRTC-connection table."""

from __future__ import annotations

import django_tables2 as tables

from galtea_admin.galtea.webrtc_connections import SORTABLE_FIELDS
from galtea_admin.lists import cells
from galtea_admin.lists.registry import lazy_label_with_time_zone
from galtea_admin.lists.tables import CLIPPED, CLIPPED_NAME, ResourceTable, sorted_by
from galtea_admin.versions.columns import UsedByVersions


def key_label(has_api_key: bool) -> str:
    return "Key set" if has_api_key else "No key"


def speaker_label(agent_speaks_first: bool) -> str:
    return "Agent" if agent_speaks_first else "Caller"


def key_detail(has_api_key: bool):
    """Whether a key is set, on the detail page, saying that the key itself is never shown."""
    note = "(Galtea never shows the key itself)"
    return cells.with_note(key_label(has_api_key), note)


def speaker_detail(agent_speaks_first: bool):
    note = (
        "(the agent greets first)" if agent_speaks_first else "(the simulated caller speaks first)"
    )
    return cells.with_note(speaker_label(agent_speaks_first), note)


def agent_detail(agent_name: str):
    return cells.mono(agent_name)


class WebRtcConnectionTable(UsedByVersions, ResourceTable):
    version_target = "webrtc_connection_id"
    version_filter = "webrtc"

    name = tables.Column(attrs=CLIPPED_NAME, **sorted_by("name", SORTABLE_FIELDS))
    product = tables.Column(
        accessor="product_id", verbose_name="Product", orderable=False, attrs=CLIPPED
    )
    agent = tables.Column(
        accessor="agent_name",
        verbose_name="Agent",
        attrs=CLIPPED,
        **sorted_by("agentName", SORTABLE_FIELDS),
    )
    api_key = tables.Column(
        accessor="has_api_key", verbose_name="API key", orderable=False, empty_values=()
    )
    speaks_first = tables.Column(
        accessor="agent_speaks_first", verbose_name="Speaks first", orderable=False
    )
    created = tables.Column(
        accessor="created_at",
        verbose_name=lazy_label_with_time_zone("Created"),
        **sorted_by("createdAt", SORTABLE_FIELDS),
    )
    used_by = tables.Column(verbose_name="Used by", orderable=False, empty_values=())

    class Meta(ResourceTable.Meta):
        empty_text = "No WebRTC connections match these filters."

    def render_api_key(self, value):
        return key_label(value)

    def render_speaks_first(self, value):
        return speaker_label(value)

"""WebRTC connections in the admin: one registration of what their pages are made of."""

from __future__ import annotations

from galtea_admin.galtea.webrtc_connections import WEBRTC_CONNECTIONS
from galtea_admin.lists.registry import EMPTY, ResourceAdmin, register
from galtea_admin.versions.usage import CalledByVersions
from galtea_admin.webrtc_connections.filters import WebRtcConnectionFilter
from galtea_admin.webrtc_connections.forms import WebRtcConnectionForm
from galtea_admin.webrtc_connections.tables import (
    WebRtcConnectionTable,
    agent_detail,
    key_detail,
    speaker_detail,
    speaker_label,
)


def describe_value(field: str, value) -> str:
    if field == "agent_speaks_first":
        return speaker_label(bool(value))
    return EMPTY if value in (None, "") else str(value)


@register
class WebRtcConnectionAdmin(CalledByVersions, ResourceAdmin):
    key = "webrtc_connections"
    spec = WEBRTC_CONNECTIONS
    title = "WebRTC connections"
    description = "The Pipecat Cloud agents Galtea calls from a browser to test them."
    url_prefix = "webrtc-connections"
    filterset_class = WebRtcConnectionFilter
    table_class = WebRtcConnectionTable
    form_class = WebRtcConnectionForm
    version_target = "webrtc_connection_id"
    field_labels = {
        "name": "Name",
        "agent_name": "Agent name",
        "agent_speaks_first": "Agent speaks first",
        "api_key": "API key",
    }
    export_columns = (
        "id",
        "name",
        "product_id",
        "product_name",
        "agent_name",
        "has_api_key",
        "agent_speaks_first",
        "created_at",
        "user_id",
    )
    bulk_edit_fields = ("agent_speaks_first",)
    delete_note = "Galtea will stop calling this agent for tests."
    bulk_delete_note = "Galtea will stop calling these agents for tests."

    def selection_label(self, record) -> str:
        return f"“{record.name}” ({record.agent_name})"

    def summary(self, record) -> list[tuple[str, object]]:
        return [("Name", record.name), ("Agent", record.agent_name)]

    def value_describer(self):
        return describe_value

    def detail_rows(self, record) -> list[tuple[str, str, object]]:
        return [
            ("agent_name", "Agent", agent_detail(record.agent_name)),
            ("has_api_key", "API key", key_detail(record.has_api_key)),
            ("agent_speaks_first", "Speaks first", speaker_detail(record.agent_speaks_first)),
        ]

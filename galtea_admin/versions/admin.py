"""Versions in the admin: their list and pages, read only; which connection a version calls
is changed from that connection's page (see usage.py)."""

from __future__ import annotations

from galtea_admin.galtea.versions import VERSIONS
from galtea_admin.lists.registry import EMPTY, ResourceAdmin, register
from galtea_admin.versions.filters import VersionFilter
from galtea_admin.versions.tables import VersionTable, target_cell, target_names


@register
class VersionAdmin(ResourceAdmin):
    key = "versions"
    spec = VERSIONS
    title = "Versions"
    description = "Each product's versions, and the connection Galtea calls to evaluate each."
    url_prefix = "versions"
    filterset_class = VersionFilter
    table_class = VersionTable
    # "change": which connection a version calls (attached and detached on that
    # connection's page); versions are created and edited in Galtea.
    actions = ("view", "change")
    field_labels = {
        "phone_connection_id": "Phone connection",
        "webrtc_connection_id": "WebRTC connection",
        "endpoint_connection_id": "Endpoint connection",
    }
    export_columns = (
        "id",
        "name",
        "number",
        "product_id",
        "product_name",
        "phone_connection_id",
        "webrtc_connection_id",
        "endpoint_connection_id",
        "created_at",
    )

    def selection_label(self, record) -> str:
        number = f" ({record.number})" if record.number else ""
        return f"“{record.name}”{number}"

    def detail_rows(self, record) -> list[tuple[str, str, object]]:
        return [
            ("number", "Number", record.number or EMPTY),
            ("description", "Description", record.description or EMPTY),
            ("model_id", "Model", record.model_id or EMPTY),
            ("phone_connection_id", "Calls", target_cell(record, target_names([record]))),
        ]

    def detail_panels(self, request, record) -> list[tuple[str, dict]]:
        from galtea_admin.versions.panels import recent_calls_panel

        return [recent_calls_panel(request, [record])]

"""Sessions in the admin: every call Galtea made to evaluate a version, read only, with
its recording."""

from __future__ import annotations

from django.urls import path, reverse

from galtea_admin.calls import views
from galtea_admin.calls.filters import SessionFilter
from galtea_admin.calls.tables import SessionTable, outcome_cell, recording_cell, status_cell
from galtea_admin.galtea.resources import resource_names
from galtea_admin.galtea.sessions import SESSIONS
from galtea_admin.galtea.versions import VERSIONS
from galtea_admin.lists import cells
from galtea_admin.lists.registry import EMPTY, ResourceAdmin, register


@register
class SessionAdmin(ResourceAdmin):
    key = "sessions"
    spec = SESSIONS
    title = "Sessions"
    description = "Every call Galtea made to evaluate a version: how it went, and its recording."
    url_prefix = "sessions"
    filterset_class = SessionFilter
    table_class = SessionTable
    actions = ("view",)
    default_sort = "-created"
    export_columns = (
        "id",
        "version_id",
        "status",
        "stopping_reason",
        "error",
        "test_case_id",
        "custom_id",
        "run_id",
        "is_production",
        "created_at",
        "user_id",
    )

    def label(self, record) -> str:
        return f"Call {record.custom_id or record.id}"

    def selection_label(self, record) -> str:
        return self.label(record)

    def detail_rows(self, record) -> list[tuple[str, str, object]]:
        version_url = reverse("versions:detail", args=[record.version_id])
        name = resource_names(VERSIONS, [record.version_id]).get(record.version_id)
        return [
            (
                "version_id",
                "Version",
                cells.link(version_url, name or cells.mono(record.version_id)),
            ),
            ("status", "Status", status_cell(record.status)),
            ("outcome", "Outcome", outcome_cell(record)),
            ("recording", "Recording", recording_cell(record)),
            ("test_case_id", "Test case", record.test_case_id or EMPTY),
            ("run_id", "Run", record.run_id or EMPTY),
            ("is_production", "Production call", "Yes" if record.is_production else "No"),
        ]

    def extra_urls(self) -> list:
        return [
            path(
                "<str:entity_id>/recording/",
                views.RecordingView.as_view(resource=self),
                name="recording",
            )
        ]

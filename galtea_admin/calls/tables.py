"""The session table: when, which version, how it went, and its recording."""

from __future__ import annotations

from functools import cached_property

import django_tables2 as tables
from django.urls import reverse

from galtea_admin.galtea.resources import resource_names
from galtea_admin.galtea.sessions import SESSIONS
from galtea_admin.galtea.versions import VERSIONS
from galtea_admin.lists import cells
from galtea_admin.lists.registry import EMPTY, lazy_label_with_time_zone
from galtea_admin.lists.tables import CLIPPED, ResourceTable, moment_cell, sorted_by


def status_cell(status: str):
    return cells.draw("calls/_cells.html", "status", status)


def outcome_cell(session):
    """The error of a failed call, else why it stopped."""
    if session.error:
        return cells.draw("calls/_cells.html", "error", session.error)
    return session.stopping_reason or EMPTY


def recording_cell(session):
    """A player that asks for the recording's link when pressed, or why there is none."""
    return cells.draw(
        "calls/_cells.html", "recording", session.id, bool(session.recording_uri), session.status
    )


class SessionTable(ResourceTable):
    link_column = "created"
    FIXED_COLUMNS = ("created",)

    created = tables.Column(
        accessor="created_at",
        verbose_name=lazy_label_with_time_zone("When"),
        **sorted_by("createdAt", SESSIONS.sortable),
    )
    status = tables.Column(verbose_name="Status", **sorted_by("status", SESSIONS.sortable))
    version = tables.Column(
        accessor="version_id", verbose_name="Version", orderable=False, attrs=CLIPPED
    )
    outcome = tables.Column(verbose_name="Outcome", orderable=False, empty_values=(), attrs=CLIPPED)
    recording = tables.Column(verbose_name="Recording", orderable=False, empty_values=())

    class Meta(ResourceTable.Meta):
        empty_text = "No calls match these filters."

    def render_created(self, value):
        return moment_cell(value)

    def render_status(self, value):
        return status_cell(value)

    @cached_property
    def version_names(self) -> dict[str, str]:
        """The names of the versions of this page's calls: one request, when drawn."""
        return resource_names(VERSIONS, [record.version_id for record in self.page_records])

    def render_version(self, value):
        name = self.version_names.get(value)
        url = reverse("versions:detail", args=[value])
        return cells.link(url, name) if name else cells.link(url, cells.mono(value))

    def render_outcome(self, record):
        return outcome_cell(record)

    def render_recording(self, record):
        return recording_cell(record)

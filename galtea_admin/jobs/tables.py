"""The Jobs table: newest first, who started each, what it does, how far it got."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import reverse

from galtea_admin.lists import cells
from galtea_admin.lists.registry import lazy_label_with_time_zone
from galtea_admin.lists.tables import ListTable, moment_cell

CELLS = "jobs/_cells.html"


class JobTable(ListTable):
    link_column = "description"

    created_at = tables.Column(verbose_name=lazy_label_with_time_zone("Started"))
    description = tables.Column(verbose_name="What", orderable=False)
    started_by_name = tables.Column(verbose_name="Who")
    status = tables.Column(verbose_name="Status")
    progress = tables.Column(
        verbose_name="Progress", accessor="done_count", orderable=False, empty_values=()
    )

    class Meta(ListTable.Meta):
        empty_text = "No jobs yet."

    def row_links(self, record):
        return reverse("jobs:detail", args=[record.pk]), {}

    def row_label(self, record) -> str:
        return record.description

    def render_created_at(self, value):
        return moment_cell(value)

    def render_status(self, record):
        return cells.draw(CELLS, "status", record.status, record.get_status_display())

    def render_progress(self, record):
        return cells.draw(
            CELLS, "progress", record.processed, record.total, record.failed_count, record.percent
        )

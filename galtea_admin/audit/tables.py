"""The activity table."""

from __future__ import annotations

import django_tables2 as tables
from django.urls import NoReverseMatch, reverse

from galtea_admin.audit.describing import Describers
from galtea_admin.audit.models import OTHER_KINDS, Outcome
from galtea_admin.lists import cells
from galtea_admin.lists.navigation import EntityUrls
from galtea_admin.lists.registry import EMPTY, lazy_label_with_time_zone, site
from galtea_admin.lists.tables import CLIPPED, WRAPPED, ListTable, moment_cell

CELLS = "audit/_cells.html"


class ChangeRecordTable(ListTable):
    link_column = "object_label"

    created_at = tables.Column(verbose_name=lazy_label_with_time_zone("When"))
    username = tables.Column(verbose_name="Who")
    action = tables.Column(verbose_name="Action")
    object_type = tables.Column(verbose_name="Kind")
    object_label = tables.Column(verbose_name="Name", attrs=CLIPPED)
    product_name = tables.Column(verbose_name="Product", attrs=CLIPPED)
    changes = tables.Column(verbose_name="Changes", orderable=False, empty_values=(), attrs=WRAPPED)

    class Meta(ListTable.Meta):
        empty_text = "No changes match these filters."

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.describers = Describers()
        self.urls: dict[str, EntityUrls] = {}

    def row_links(self, record):
        if record.action == "delete":
            return None, {}
        urls = self.urls.setdefault(record.object_type, EntityUrls(record.object_type))
        try:
            return urls("detail", record.object_id), {}
        except NoReverseMatch:  # a resource no longer registered
            return None, {}

    def render_created_at(self, value):
        return moment_cell(value)

    def render_action(self, record):
        action, label = record.action, record.get_action_display()
        if record.outcome == Outcome.DONE:
            return cells.draw(CELLS, "action", action, label)
        unconfirmed = record.outcome == Outcome.UNCONFIRMED
        check_url = reverse("audit:check", args=[record.pk]) if unconfirmed else ""
        outcome_label = record.get_outcome_display()
        return cells.draw(CELLS, "action", action, label, record.outcome, outcome_label, check_url)

    def render_object_type(self, value):
        resource = site.get(value)
        if resource is None:
            return OTHER_KINDS[value][0] if value in OTHER_KINDS else value
        return resource.noun[:1].upper() + resource.noun[1:]

    def render_object_label(self, value, record):
        if record.action == "delete":
            return cells.with_note(value, record.object_id, "muted mono")
        return value

    def render_changes(self, record):
        if record.object_type in OTHER_KINDS:
            return cells.draw(cells.SHARED, "muted", EMPTY)
        if record.action != "update":
            return cells.draw(cells.SHARED, "muted", "all fields")
        return cells.draw(CELLS, "changes", self.describers.changes(record))

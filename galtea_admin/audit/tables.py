"""The activity table."""

from __future__ import annotations

import django_tables2 as tables

from galtea_admin.audit.models import ChangeRecord
from galtea_admin.audit.templatetags.audit import field_changes
from galtea_admin.lists.html import format_html, join_html
from galtea_admin.lists.remote_tables import DirectHtmlMixin
from galtea_admin.phone_connections.navigation import ConnectionUrls
from galtea_admin.phone_connections.tables import render_moment


class ChangeRecordTable(DirectHtmlMixin, tables.Table):
    created_at = tables.Column(verbose_name="When")
    username = tables.Column(verbose_name="Who")
    action = tables.Column(verbose_name="Action")
    connection_name = tables.Column(verbose_name="Phone connection")
    product_name = tables.Column(verbose_name="Product")
    changes = tables.Column(verbose_name="Changes", orderable=False, empty_values=())

    class Meta:
        model = ChangeRecord
        fields = ("created_at", "username", "action", "connection_name", "product_name", "changes")
        order_by_field = "sort"
        page_field = "page"
        per_page_field = "per_page"
        default = "—"
        attrs = {"class": "data-table"}
        empty_text = "No changes match these filters."

    def __init__(self, *args, voices, **kwargs):
        super().__init__(*args, **kwargs)
        self.voices = voices
        self.connection_url = ConnectionUrls()

    def render_created_at(self, value):
        return render_moment(value)

    def render_action(self, record):
        return format_html(
            '<span class="badge badge-{}">{}</span>', record.action, record.get_action_display()
        )

    def render_connection_name(self, value, record):
        if record.action == "delete":
            return format_html('{} <span class="muted mono">{}</span>', value, record.connection_id)
        url = self.connection_url("detail", record.connection_id)
        return format_html('<a href="{}">{}</a>', url, value)

    def render_changes(self, record):
        if record.action != "update":
            return format_html('<span class="muted">{}</span>', "all fields")
        return join_html(
            format_html(
                '<div><span class="change-field">{}:</span> <del>{}</del> → <ins>{}</ins></div>',
                *change,
            )
            for change in field_changes(record, self.voices)
        )

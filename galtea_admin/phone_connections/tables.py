"""The phone-connection table: how each field reads to a person."""

from __future__ import annotations

from functools import lru_cache

import django_tables2 as tables
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from galtea_admin.accounts import roles
from galtea_admin.galtea import contract
from galtea_admin.galtea.voices import Voice, default_voice
from galtea_admin.lists.html import escape, format_html, join_html
from galtea_admin.lists.remote_tables import DirectHtmlMixin
from galtea_admin.phone_connections import phone_numbers
from galtea_admin.phone_connections.navigation import ConnectionUrls

EMPTY = "—"


def sorted_by(api_field: str) -> dict:
    """Column options: sortable by `api_field` when the API can sort by it (see contract)."""
    return {
        "order_by": (api_field,),
        "orderable": api_field in contract.SORTABLE_PHONE_CONNECTION_FIELDS,
    }


def voice_label(voice_id: str | None, voices: list[Voice]) -> str:
    """ "Jack (en-US)"; "Sarah (default)" for no voice; the raw id for an unknown one."""
    if not voice_id:
        fallback = default_voice(voices)
        return f"{fallback.name if fallback else 'Sarah'} (default)"
    voice = next((v for v in voices if v.id == voice_id), None)
    return voice.label if voice else voice_id


def speaker_label(agent_speaks_first: bool) -> str:
    return "Agent" if agent_speaks_first else "Caller"


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def render_moment(value) -> str:
    """A local, readable date ("5 Mar 2026, 14:03") with the exact UTC time on hover."""
    local = timezone.localtime(value)
    exact = contract.format_datetime(value)
    readable = (
        f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local.hour:02d}:{local.minute:02d}"
    )
    return format_html(
        '<time datetime="{}" title="{} UTC">{}</time>',
        exact,
        exact.replace("T", " ").rstrip("Z"),
        readable,
    )


class PhoneConnectionTable(DirectHtmlMixin, tables.Table):
    select = tables.CheckBoxColumn(
        accessor="id",
        attrs={
            "th__input": {"data-select-all": "ids", "aria-label": "Select all on this page"},
            "td": {"class": "cell-select"},
            "th": {"class": "cell-select"},
        },
    )
    name = tables.Column(attrs={"td": {"class": "cell-name"}}, **sorted_by("name"))
    product = tables.Column(accessor="product_id", verbose_name="Product", orderable=False)
    phone = tables.Column(
        accessor="phone_number", verbose_name="Phone number", **sorted_by("phoneNumber")
    )
    voice = tables.Column(
        verbose_name="Voice", orderable=False, empty_values=(), attrs={"td": {"class": "nowrap"}}
    )
    language = tables.Column(accessor="language_code", verbose_name="Language", orderable=False)
    speaks_first = tables.Column(
        accessor="agent_speaks_first", verbose_name="Speaks first", orderable=False
    )
    created = tables.Column(accessor="created_at", verbose_name="Created", **sorted_by("createdAt"))
    actions = tables.Column(
        accessor="id",
        verbose_name="Actions",
        orderable=False,
        attrs={"td": {"class": "cell-actions"}, "th": {"class": "cell-actions"}},
    )

    class Meta:
        order_by_field = "sort"
        page_field = "page"
        per_page_field = "per_page"
        default = EMPTY
        attrs = {"class": "data-table"}
        empty_text = "No phone connections match these filters."

    # Always shown, in place; every other column can be hidden or moved by each person.
    FIXED_COLUMNS = ("select", "name", "actions")

    def __init__(
        self, data, *, products, voices, user=None, here: str = "", columns=None, **kwargs
    ):
        """`columns`: the other columns to show, in order (default: all, as declared)."""
        self.can_change = bool(user and user.has_perm(roles.CHANGE))
        self.can_delete = bool(user and user.has_perm(roles.DELETE))
        self.can_bulk = bool(user and user.has_perm(roles.BULK))
        exclude = []
        if not (self.can_change or self.can_delete):
            exclude.append("actions")
        if not self.can_bulk:
            exclude.append("select")
        hidden = []
        if columns is not None:
            movable = [name for name in self.base_columns if name not in self.FIXED_COLUMNS]
            hidden = [name for name in movable if name not in columns]
            kwargs["sequence"] = ("select", "name", *columns, *hidden, "actions")
        kwargs["exclude"] = exclude
        super().__init__(data, **kwargs)
        # Hidden, not excluded: the list can still be sorted by a column nobody sees.
        for name in hidden:
            self.columns.hide(name)
        self.product_names = {product.id: product.name for product in products}
        self.product_cells: dict[str, SafeString] = {}
        # Labels as HTML once per page, not once per row.
        self.voice_labels = {voice.id: SafeString(escape(voice.label)) for voice in voices}
        self.default_voice_label = SafeString(escape(voice_label(None, voices)))
        # As HTML once per table: it is the long part of every row's links.
        self.next_query = escape(urlencode({"next": here})) if here else ""
        self.connection_url = ConnectionUrls()

    def link(self, name: str, connection_id: str) -> SafeString:
        """The page `name` of a connection, with the way back to this list (as HTML)."""
        url = escape(self.connection_url(name, connection_id))
        return SafeString(f"{url}?{self.next_query}" if self.next_query else url)

    def render_select(self, value, record):
        return format_html(
            '<input type="checkbox" name="ids" value="{}" form="bulk-form" aria-label="Select {}">',
            value,
            record.name,
        )

    def render_name(self, value, record):
        return format_html('<a href="{}">{}</a>', self.link("detail", record.id), value)

    def render_actions(self, value, record):
        links = []
        if self.can_change:
            links.append(
                format_html(
                    '<a href="{}" aria-label="Edit {}">Edit</a>',
                    self.link("update", value),
                    record.name,
                )
            )
        if self.can_delete:
            links.append(
                format_html(
                    '<a class="danger-link" href="{}" aria-label="Delete {}">Delete</a>',
                    self.link("delete", value),
                    record.name,
                )
            )
        return join_html(links, " ")

    def render_product(self, value):
        cell = self.product_cells.get(value)
        if cell is None:  # drawn once per product and page
            name = self.product_names.get(value)
            if name is None:
                cell = format_html('<span class="mono" title="Unknown product">{}</span>', value)
            else:
                cell = format_html('<span title="{}">{}</span>', value, name)
            self.product_cells[value] = cell
        return cell

    def render_phone(self, value):
        return phone_cell(value)

    def render_voice(self, record):
        if not record.voice:
            return self.default_voice_label
        return self.voice_labels.get(record.voice, record.voice)

    def render_speaks_first(self, value):
        return speaker_label(value)

    def render_created(self, value):
        return render_moment(value)


@lru_cache(maxsize=4096)
def phone_cell(e164: str) -> SafeString:
    """A number as people read it, its country beside it, the exact number on hover."""
    formatted, country = phone_numbers.describe(e164)
    number = format_html('<span class="phone" title="{}">{}</span>', e164, formatted)
    if not country:
        return number
    return format_html('{} <span class="country">{}</span>', number, country)


def describe_value(field: str, value, voices: list[Voice]) -> str:
    """A phone connection's field value as a person reads it (for history and warnings)."""
    if field == "voice":
        return voice_label(value, voices)
    if field == "agent_speaks_first":
        return speaker_label(bool(value))
    return EMPTY if value in (None, "") else str(value)

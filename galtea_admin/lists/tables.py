"""Tables of every list: django-tables2 over a paged remote API (one request per page,
sorting is the API's job), with cells worked out in Python and drawn by `lists/_table.html`.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache

import django_tables2 as tables
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import SafeData, SafeString
from django_tables2.data import TableData
from django_tables2.utils import AttributeDict, OrderBy
from markupsafe import Markup

from galtea_admin.galtea import contract
from galtea_admin.lists import cells
from galtea_admin.lists.copies import ColumnCopies
from galtea_admin.lists.navigation import EntityUrls
from galtea_admin.lists.params import NEXT_VAR, ORDER_VAR, PAGE_VAR, PER_PAGE_VAR, query_string
from galtea_admin.lists.registry import EMPTY

# fetch(order, offset, limit) → the records of that slice, in that order.
Fetch = Callable[[tuple[tuple[str, str], ...], int, int], Sequence]


class RemoteTableData(TableData):
    """Table rows that live behind an API.

    Slicing makes one API request (`limit = stop - start`, `offset = start`); `order_by`
    only records the order, as (API field, direction) pairs, for that request. The rows are
    never read in full.
    """

    def __init__(self, fetch: Fetch):
        super().__init__(data=None)
        self.fetch = fetch
        self.api_order: tuple[tuple[str, str], ...] = ()

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.stop is None:
            raise TypeError("remote rows are read a slice at a time")
        start = key.start or 0
        return list(self.fetch(self.api_order, start, key.stop - start))

    def __iter__(self):
        raise TypeError("remote rows are read a page at a time, never in full")

    def __len__(self):
        raise TypeError("the API gives no total count")

    def order_by(self, aliases):
        self.api_order = api_order(type(self.table), aliases)


def api_order(table_class, aliases) -> tuple[tuple[str, str], ...]:
    """The (API field, "asc"/"desc") pairs that sort like django-tables2 `aliases` ("-name")
    on `table_class`: each column's `order_by` fields, else its accessor."""
    pairs: list[tuple[str, str]] = []
    for alias in aliases:
        name = OrderBy(alias).bare
        column = table_class.base_columns[name]
        descending = alias.startswith("-")
        for accessor in column.order_by or (column.accessor or name,):
            api_field = str(accessor).lstrip("-")
            flipped = str(accessor).startswith("-") != descending
            pairs.append((api_field, "desc" if flipped else "asc"))
    return tuple(pairs)


def sorted_by(api_field: str, sortable: frozenset[str]) -> dict:
    """Column options: sortable by `api_field` when the API can sort by it."""
    return {"order_by": (api_field,), "orderable": api_field in sortable}


# Cells of free text (a name, a product, what a row calls) stay on one line, cut short with an
# ellipsis, their whole text as their title (lists/_table.html): a page of rows fits a screen.
CLIPPED = {"td": {"class": "cell-clip"}}
CLIPPED_NAME = {"td": {"class": "cell-name cell-clip"}}
# Cells of text that must be read whole (the changes of an activity entry) wrap.
WRAPPED = {"td": {"class": "cell-wrap"}}


MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def moment_cell(value):
    """A local, readable date ("5 Mar 2026, 14:03") with the exact UTC time on hover."""
    local = timezone.localtime(value)
    exact = contract.format_datetime(value)
    readable = (
        f"{local.day} {MONTHS[local.month - 1]} {local.year}, {local.hour:02d}:{local.minute:02d}"
    )
    return cells.draw(cells.SHARED, "moment", exact, readable)


@dataclass(frozen=True)
class HeaderCell:
    label: str
    attrs: str  # the th's attributes to follow its name (" class=…" or "")
    sort_url: str | None  # None: the column cannot be sorted
    sorted: str | None  # "ascending", "descending" or None


class ListTable(tables.Table):
    """A list's table: django-tables2 defines the columns, sorting and pagination; the
    cells are worked out here, a column at a time, and `lists/_table.html` draws them.

    A cell is the record's value (by the column's accessor), the column's default when it
    is empty, or what the table's `render_<name>(value, record)` makes of it. Columns that
    need more of django-tables2 (their own `render`, `linkify`, other arguments) are refused
    rather than drawn differently.
    """

    # The column whose cell links to the row's detail page (None: no link).
    link_column: str | None = None

    class Meta:
        template_name = "lists/_table.html"  # a resource's table may name its own
        order_by_field = ORDER_VAR
        page_field = PAGE_VAR
        per_page_field = PER_PAGE_VAR
        default = EMPTY
        attrs = {"class": "data-table"}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.base_columns = ColumnCopies(cls.base_columns)

    def __init__(self, data, *, query_params, **kwargs):
        super().__init__(data, **kwargs)
        self.query_params = query_params

    @property
    def page_records(self) -> list:
        """The records of the page shown (for a lookup the whole page needs once)."""
        return [row.record for row in self.page.object_list]

    def row_links(self, record) -> tuple[str | None, dict[str, str]]:
        """The row's detail page (for `link_column`) and its other pages, by name."""
        return None, {}

    def row_label(self, record) -> str:
        return str(record)

    @property
    def header_cells(self) -> list[HeaderCell]:
        return [self._header_cell(bound) for bound in self.columns]

    def _header_cell(self, bound) -> HeaderCell:
        sorted_as = None
        if bound.is_ordered:
            sorted_as = "descending" if bound.order_by_alias.is_descending else "ascending"
        sort_url = None
        if bound.orderable:
            sort_url = query_string(
                self.query_params,
                changes={ORDER_VAR: bound.order_by_alias.next},
                remove=(PAGE_VAR,),
            )
        return HeaderCell(
            str(bound.header), with_space(bound.attrs["th"].as_html()), sort_url, sorted_as
        )

    @property
    def body_rows(self) -> list[dict]:
        """Each row of the page: {"record", "id", "label", "cells", "links": {page name: URL}}
        (dicts: the template reads them fastest). A cell is (td attributes, content, title):
        the attributes name the cell's column (data-label), the title is the content's text,
        only for a cell cut short. The link column's content links to the row's page."""
        readers = []
        for bound in self.columns:
            td = AttributeDict(bound.attrs["td"])
            clipped = "cell-clip" in (td.get("class") or "").split()
            td["data-label"] = str(bound.header)  # once per column, not escaped in every cell
            linking = bound.name == self.link_column
            readers.append((self._cell_reader(bound), with_space(td.as_html()), clipped, linking))
        texts: dict[str, str] = {}  # a cell's text by its HTML (a product's cell, say, repeats)
        rows = []
        for row in self.page.object_list:
            record = row.record
            detail, links = self.row_links(record)
            cells = []
            for read, attrs, clipped, linking in readers:
                content = read(record)
                title = cell_text(content, texts) if clipped else None
                cells.append((attrs, linked(content, detail) if linking else content, title))
            rows.append(
                {
                    "record": record,
                    "id": record.id,
                    "label": self.row_label(record),
                    "cells": cells,
                    "links": links,
                }
            )
        return rows

    def _cell_reader(self, bound) -> Callable[[object], object]:
        accessor = bound.accessor
        name = accessor.bits[0] if len(accessor.bits) == 1 else None
        column = bound.column
        empty_values, default = column.empty_values, bound.default
        render = getattr(self, f"render_{bound.name}", None)
        arguments = accepted_arguments(getattr(render, "__func__", render)) if render else set()
        arguments -= {"self"}
        if (
            arguments - {"value", "record"}
            or column.link
            or (render is None and type(column).render is not tables.Column.render)
        ):
            raise ImproperlyConfigured(
                f"{type(self).__name__}.{bound.name}: a list column takes only "
                "render_<name>(value, record) methods: no own render, linkify or other arguments."
            )
        pass_value, pass_record = "value" in arguments, "record" in arguments

        def read(record):
            value = getattr(record, name, MISSING) if name else MISSING
            if value is MISSING or callable(value):
                value = accessor.resolve(record, quiet=True)  # nested, dict-like or callable
            if value in empty_values:
                return default
            if render is None:
                return value
            keyword = {}
            if pass_value:
                keyword["value"] = value
            if pass_record:
                keyword["record"] = record
            return render(**keyword)

        return read


MISSING = object()


def cell_text(content, texts: dict[str, str]) -> str:
    """The text a cell shows, without its markup (its title when it is cut short)."""
    if not isinstance(content, SafeData):
        return " ".join(str(content).split())
    text = texts.get(content)
    if text is None:
        text = texts[content] = Markup(content).striptags()  # noqa: S704 (safe already)
    return text


def linked(content, url: str | None):
    """A cell's content as a link to `url` (the row's page), as Django admin's lists link."""
    return cells.link(url, content) if url else content


def with_space(attrs: SafeString) -> SafeString:
    """Attributes (already HTML, from django-tables2) to follow a tag name: " class=…"."""
    return SafeString(f" {attrs}") if attrs else attrs


@cache
def accepted_arguments(function) -> frozenset[str]:
    """The names of `function`'s parameters (render methods: once per method, not per page)."""
    return frozenset(inspect.signature(function).parameters)


class ResourceTable(ListTable):
    """The table of a Galtea resource's list: a selection box per row for bulk actions, the
    name linking to the row's page with the way back to this list, Edit and Delete links,
    and columns each person may hide or move (all but `FIXED_COLUMNS`)."""

    link_column = "name"
    FIXED_COLUMNS = ("name",)
    # Columns a person sees only once they choose to (each costs a request, say).
    HIDDEN_BY_DEFAULT: tuple[str, ...] = ()

    def __init__(self, data, *, resource, products, user, here: str = "", columns=None, **kwargs):
        """`columns`: the other columns to show, in order (default: all, as declared)."""
        allowed = resource.allowed(user)
        self.resource = resource
        self.can_change, self.can_delete = allowed["change"], allowed["delete"]
        # Rows can be selected when there is something to do with a selection.
        self.can_bulk_delete = allowed["bulk"]
        self.can_bulk_edit = allowed["change"] and resource.offers_bulk_edit
        self.can_bulk = self.can_bulk_delete or self.can_bulk_edit
        self.has_actions = self.can_change or self.can_delete
        hidden = []
        if columns is not None:
            movable = [name for name in self.base_columns if name not in self.FIXED_COLUMNS]
            hidden = [name for name in movable if name not in columns]
            kwargs["sequence"] = (*self.FIXED_COLUMNS, *columns, *hidden)
        super().__init__(data, **kwargs)
        # Hidden, not excluded: the list can still be sorted by a column nobody sees.
        for name in hidden:
            self.columns.hide(name)
        self.product_names = {product.id: product.name for product in products}
        self.product_cells: dict[str, SafeString] = {}
        self.next_query = urlencode({NEXT_VAR: here}) if here else ""
        self.urls = EntityUrls(resource.key)

    def link(self, page: str, entity_id: str) -> str:
        """The page `page` of an entity, with the way back to this list."""
        url = self.urls(page, entity_id)
        return f"{url}?{self.next_query}" if self.next_query else url

    def row_links(self, record):
        links = {}
        if self.can_change:
            links["update"] = self.link("update", record.id)
        if self.can_delete:
            links["delete"] = self.link("delete", record.id)
        return self.link("detail", record.id), links

    def row_label(self, record) -> str:
        return self.resource.label(record)

    def render_product(self, value):
        cell = self.product_cells.get(value)
        if cell is None:  # once per product and page
            cell = cells.draw(cells.SHARED, "product", value, self.product_names.get(value))
            self.product_cells[value] = cell
        return cell

    def render_created(self, value):
        return moment_cell(value)

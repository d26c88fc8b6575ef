"""django-tables2 over a paged remote API (one request per page, sorting is the API's job),
and a faster way to draw tables."""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from functools import cache

from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.utils.safestring import SafeString
from django_tables2 import Column
from django_tables2.data import TableData
from django_tables2.utils import OrderBy

from galtea_admin.lists.html import escape
from galtea_admin.lists.query import encode_query

logger = logging.getLogger(__name__)

# fetch(order, offset, limit) → the records of that slice, in that order.
Fetch = Callable[[tuple[tuple[str, str], ...], int, int], Sequence]
# send(fetch, order, offset, limit) → a Future of fetch's answer (run on another thread).
Send = Callable[..., Future]
# A column's reader (record → cell content) and its opening <td> tag.
CellWriter = tuple[Callable[[object], object], str]


class RemoteTableData(TableData):
    """Table rows that live behind an API.

    Slicing makes one API request (`limit = stop - start`, `offset = start`); `order_by`
    only records the order, as (API field, direction) pairs, for the next request. The
    rows are never read in full. `read_ahead` sends a slice's request before the table asks
    for it (even before the table is made).
    """

    def __init__(self, fetch: Fetch):
        super().__init__(data=None)
        self.fetch = fetch
        self.api_order: tuple[tuple[str, str], ...] = ()
        self.ahead: tuple[tuple, Future] | None = None

    def read_ahead(self, order: tuple[tuple[str, str], ...], start: int, stop: int, *, send: Send):
        """Send the request for rows [start:stop] in `order` ((API field, direction) pairs,
        see `api_order`) now, through `send` (another thread): when the table then slices
        exactly that range in that order, it waits for this answer (or its error) instead of
        asking again."""
        self.ahead = ((order, start, stop), send(self.fetch, order, start, stop - start))

    def __getitem__(self, key):
        if not isinstance(key, slice) or key.stop is None:
            raise TypeError("remote rows are read a slice at a time")
        start = key.start or 0
        if self.ahead is not None:
            (sent, future), self.ahead = self.ahead, None
            if sent == (self.api_order, start, key.stop):
                return list(future.result())
            # A second request for one page: what was read ahead no longer matches.
            logger.warning("Rows read ahead as %s were not the rows asked for: %s", sent, key)
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
            field = str(accessor).lstrip("-")
            flipped = str(accessor).startswith("-") != descending
            pairs.append((field, "desc" if flipped else "asc"))
    return tuple(pairs)


class DirectHtmlMixin:
    """Draws a whole table (header and rows) in Python, for speed.

    django-tables2's template works out, for every cell, which arguments the column's
    `render_<name>` method takes and what the cell's attributes are, and renders a template
    per table with every context processor run again. The answers are the same for every
    row of a column, so this works them out once per column, then draws each row.

    What it draws: each cell's value (by its accessor; callables are called), the column's
    default for empty values, or what the table's `render_<name>(value, record)` method
    makes of it, escaped; the columns' `th`/`td` attributes; sortable headers linking to
    this page's query (`query_params`) with the new sort and no page. Columns that need
    more of django-tables2 (their own `render`, `linkify`, other render arguments) are
    refused when the table is drawn, rather than drawn differently.
    """

    def __init__(self, *args, query_params: QueryDict, **kwargs):
        super().__init__(*args, **kwargs)
        self.query_params = query_params
        self._prepared: tuple[str, list[CellWriter]] | None = None

    @property
    def html(self) -> SafeString:
        top, cells = self.prepare_html()
        return SafeString(f"{top}<tbody>\n{''.join(self._rows(cells))}</tbody>\n</table>\n</div>")

    def prepare_html(self) -> tuple[str, list[CellWriter]]:
        """What the table's markup takes that does not depend on its rows, worked out once:
        the opening tags with the header row, and each column's reader and cell tag. Call it
        (once the table is sorted) while the rows are still on their way."""
        if self._prepared is None:
            top = (
                f'<div class="table-scroll">\n<table {self.attrs.as_html()}>\n'
                f"<thead><tr>{''.join(map(self._header_cell, self.columns))}</tr></thead>\n"
            )
            cells = [
                (self._cell_reader(bound), f"<td{with_space(bound.attrs['td'].as_html())}>")
                for bound in self.columns
            ]
            self._prepared = (top, cells)
        return self._prepared

    def _header_cell(self, bound) -> str:
        attrs = with_space(bound.attrs["th"].as_html())
        header = escape(bound.header)
        if bound.is_ordered:
            descending = bound.order_by_alias.is_descending
            attrs += f' aria-sort="{"descending" if descending else "ascending"}"'
            indicator = "▼" if descending else "▲"
        else:
            indicator = "↕"
        if not bound.orderable:
            return f'<th scope="col"{attrs}>{header}</th>'
        query = encode_query(
            self.query_params,
            drop=(self.prefixed_page_field,),
            replace={self.prefixed_order_by_field: str(bound.order_by_alias.next)},
        )
        href = escape(f"?{query}")
        return (
            f'<th scope="col"{attrs}><a class="sort-link" href="{href}">'
            f'{header} <span class="sort-indicator" aria-hidden="true">{indicator}</span></a></th>'
        )

    def _rows(self, columns: list[CellWriter]):
        for index, row in enumerate(self.page.object_list):
            record = row.record
            cells = "".join(f"{td}{escape(read(record))}</td>" for read, td in columns)
            yield f'<tr class="{"odd" if index % 2 else "even"}">{cells}</tr>\n'

    def _cell_reader(self, bound) -> Callable[[object], object]:
        """record → the cell's content: the value, the column's default when it is empty, or
        what the column's `render_<name>` method makes of it (given `value` and/or `record`)."""
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
            or (render is None and type(column).render is not Column.render)
        ):
            raise ImproperlyConfigured(
                f"{type(self).__name__}.{bound.name}: drawn in Python, a column takes only "
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
            if pass_value and pass_record:
                return render(value=value, record=record)
            if pass_value:
                return render(value=value)
            return render(record=record) if pass_record else render()

        return read


MISSING = object()


@cache
def accepted_arguments(function) -> frozenset[str]:
    """The names of `function`'s parameters (render methods: once per method, not per page)."""
    return frozenset(inspect.signature(function).parameters)


def with_space(attrs: str) -> str:
    """HTML attributes to follow a tag name: " class=…", or nothing."""
    return f" {attrs}" if attrs else ""

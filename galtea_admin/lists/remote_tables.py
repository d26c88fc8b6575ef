"""django-tables2 over a paged remote API (one request per page, sorting is the API's job),
and a faster way to draw table rows."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django_tables2.data import TableData
from django_tables2.utils import OrderBy, signature

# fetch(order, offset, limit) → the records of that slice, in that order.
Fetch = Callable[[tuple[tuple[str, str], ...], int, int], Sequence]


class RemoteTableData(TableData):
    """Table rows that live behind an API.

    Slicing makes one API request (`limit = stop - start`, `offset = start`); `order_by`
    only records the order, as (API field, direction) pairs, for the next request. The
    rows are never read in full.
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
        pairs: list[tuple[str, str]] = []
        for alias in aliases:
            column = self.table.columns[OrderBy(alias).bare]
            descending = alias.startswith("-")
            for accessor in column.column.order_by or (column.accessor,):
                field = str(accessor).lstrip("-")
                flipped = str(accessor).startswith("-") != descending
                pairs.append((field, "desc" if flipped else "asc"))
        self.api_order = tuple(pairs)


class DirectRowsMixin:
    """Draws a table's body rows in one pass, for speed.

    django-tables2 works out, for every cell, which arguments the column's `render_<name>`
    method takes and what the cell's attributes are. The answer is the same for every row
    of a column, so this works it out once per column, then renders each row with the same
    render methods, defaults and escaping.
    """

    def html_rows(self) -> list[str]:
        plan = [self._column_plan(bound) for bound in self.columns]
        rows = []
        for index, row in enumerate(self.page.object_list):
            record = row.record
            cells = "".join(
                format_html("<td {}>{}</td>", attrs, self._cell(record, column_plan))
                for column_plan, attrs in plan
            )
            parity = "even" if index % 2 == 0 else "odd"
            rows.append(format_html('<tr class="{}">{}</tr>', parity, mark_safe(cells)))  # noqa: S308 - built by format_html
        return rows

    def _column_plan(self, bound):
        render = getattr(self, f"render_{bound.name}", None)
        wanted = signature(render)[0] if render else ()
        plan = (bound.accessor, bound.column.empty_values, bound.default, render, wanted)
        return plan, mark_safe(bound.attrs["td"].as_html())  # noqa: S308 - django-tables2 escapes it

    @staticmethod
    def _cell(record, column_plan):
        accessor, empty_values, default, render, wanted = column_plan
        value = accessor.resolve(record, quiet=True)
        if value in empty_values:
            return default
        if render is None:
            return value
        available = {"value": value, "record": record}
        return render(**{name: available[name] for name in wanted})

"""django-tables2 over a paged remote API: a page is one request, sorting is the API's job."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django_tables2.data import TableData
from django_tables2.utils import OrderBy

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

"""One page of the phone-connection list: filters + sort + page → one API request.

The request is sent as soon as the URL's parameters are read (`start_list_page`), on a
second thread; the view makes the table and draws the rest of the page meanwhile, then waits
for the rows (`ListPage.wait_for_rows`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django_tables2 import LazyPaginator

from galtea_admin.galtea import contract
from galtea_admin.galtea.ahead import send_ahead
from galtea_admin.galtea.phone_connections import (
    PhoneConnectionQuery,
    PhoneConnectionsNotFound,
    list_phone_connections,
)
from galtea_admin.galtea.products import Product
from galtea_admin.galtea.voices import Voice
from galtea_admin.lists.controls import (
    ListControlsForm,
    filters_valid,
    lazy_page_rows,
    paginate,
)
from galtea_admin.lists.remote_tables import RemoteTableData, api_order
from galtea_admin.phone_connections.filters import PhoneConnectionFilter
from galtea_admin.phone_connections.tables import PhoneConnectionTable

DEFAULT_SORT = "-created"


@dataclass
class ListPage:
    """Everything the list template needs."""

    filterset: PhoneConnectionFilter
    controls: ListControlsForm
    data: RemoteTableData
    params: QueryDict
    products: list[Product]
    table: PhoneConnectionTable | None = None
    has_rows: bool = False
    past_the_end: bool = False

    @property
    def errors(self) -> list[str]:
        return self.controls.messages()

    @property
    def is_valid(self) -> bool:
        return not self.errors and filters_valid(self.filterset)

    @property
    def page(self) -> int:
        return self.controls.chosen_page

    @property
    def per_page(self) -> int:
        return self.controls.chosen_per_page

    @property
    def first_row(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.table.page.object_list) - 1

    def make_table(
        self,
        *,
        voices: list[Voice],
        user=None,
        here: str = "",
        columns: list[str] | None = None,
    ) -> None:
        """The table of these rows, sorted as the URL says (made while they are on their way:
        it needs the person's columns)."""
        self.table = PhoneConnectionTable(
            self.data,
            products=self.products,
            voices=voices,
            user=user,
            here=here,
            columns=columns,
            query_params=self.params,
        )
        self.table.order_by = self.controls.chosen_sort

    def wait_for_rows(self) -> bool:
        """Paginate the table with the rows requested ahead, waiting for them if need be
        (an upstream failure raises here). True when the answer changed the filter form (ids
        that do not exist): what was drawn from the form must be drawn again. Called once."""
        if self.filterset.matches_nothing:
            return False  # nothing was requested
        self.table.prepare_html()  # what the rows do not change, before waiting for them
        try:
            self.past_the_end = not paginate(
                self.table, page=self.page, per_page=self.per_page, paginator_class=LazyPaginator
            )
        except PhoneConnectionsNotFound as missing:
            self.filterset.form.add_error("ids", f"Not found: {', '.join(missing.missing_ids)}.")
            return True
        self.has_rows = not self.past_the_end and bool(self.table.page.object_list)
        return False


def start_list_page(params: QueryDict, *, products: list[Product]) -> ListPage:
    """Validate the URL's parameters and send the request for the one page they describe,
    on a second thread. Then `make_table()`, and read the rows with `wait_for_rows()`."""
    filterset = PhoneConnectionFilter(params or None, products=products)
    controls = ListControlsForm(params, table_class=PhoneConnectionTable, default_sort=DEFAULT_SORT)
    query: PhoneConnectionQuery = filterset.qs

    def fetch(order, offset, limit):
        return list_phone_connections(
            query.order_by(*order), offset=offset, limit=min(limit, contract.MAX_LIMIT)
        )

    listing = ListPage(filterset, controls, RemoteTableData(fetch), params, products)
    if filterset.matches_nothing:
        return listing
    order = api_order(PhoneConnectionTable, (controls.chosen_sort,))
    start, stop = lazy_page_rows(listing.page, listing.per_page)
    listing.data.read_ahead(order, start, stop, send=send_ahead)
    return listing

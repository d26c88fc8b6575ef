"""One page of the phone-connection list: filters + sort + page → one API request."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import QueryDict
from django_tables2 import LazyPaginator

from galtea_admin.galtea import contract
from galtea_admin.galtea.phone_connections import (
    PhoneConnectionQuery,
    PhoneConnectionsNotFound,
    list_phone_connections,
)
from galtea_admin.galtea.products import Product
from galtea_admin.galtea.voices import Voice
from galtea_admin.lists.controls import ListControlsForm, paginate
from galtea_admin.lists.remote_tables import RemoteTableData
from galtea_admin.phone_connections.filters import PhoneConnectionFilter
from galtea_admin.phone_connections.tables import PhoneConnectionTable

DEFAULT_SORT = "-created"


@dataclass
class ListPage:
    """Everything the list template needs."""

    filterset: PhoneConnectionFilter
    controls: ListControlsForm
    table: PhoneConnectionTable
    has_rows: bool = False
    past_the_end: bool = False

    @property
    def errors(self) -> list[str]:
        return self.controls.messages()

    @property
    def is_valid(self) -> bool:
        filters_valid = not self.filterset.is_bound or self.filterset.is_valid()
        return not self.errors and filters_valid

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


def build_list_page(
    params: QueryDict,
    *,
    products: list[Product],
    voices: list[Voice],
    user=None,
    here: str = "",
    columns: list[str] | None = None,
) -> ListPage:
    """Validate the URL's parameters and fetch the one page they describe."""
    filterset = PhoneConnectionFilter(params or None, products=products)
    controls = ListControlsForm(params, table_class=PhoneConnectionTable, default_sort=DEFAULT_SORT)
    query: PhoneConnectionQuery = filterset.qs

    def fetch(order, offset, limit):
        return list_phone_connections(
            query.order_by(*order), offset=offset, limit=min(limit, contract.MAX_LIMIT)
        )

    table = PhoneConnectionTable(
        RemoteTableData(fetch),
        products=products,
        voices=voices,
        user=user,
        here=here,
        columns=columns,
        query_params=params,
    )
    table.order_by = controls.chosen_sort
    listing = ListPage(filterset, controls, table)
    if "ids" in filterset.form.errors:
        return listing  # a bad id list would widen the query to everything: show nothing
    try:
        listing.past_the_end = not paginate(
            table,
            page=controls.chosen_page,
            per_page=controls.chosen_per_page,
            paginator_class=LazyPaginator,
        )
    except PhoneConnectionsNotFound as missing:
        filterset.form.add_error("ids", f"Not found: {', '.join(missing.missing_ids)}.")
        return listing
    listing.has_rows = not listing.past_the_end and bool(table.page.object_list)
    return listing

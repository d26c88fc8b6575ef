"""One page of the phone-connection list: filters + sort + page → one API request."""

from __future__ import annotations

from dataclasses import dataclass, field

from django import forms
from django.http import QueryDict

from galtea_admin.galtea import contract
from galtea_admin.galtea.phone_connections import (
    PhoneConnectionQuery,
    PhoneConnectionsNotFound,
    list_phone_connections,
)
from galtea_admin.galtea.products import Product
from galtea_admin.galtea.voices import Voice
from galtea_admin.phone_connections.filters import PhoneConnectionFilter
from galtea_admin.phone_connections.tables import PhoneConnectionTable
from galtea_admin.remote_tables import RemoteTableData, paginate_remote

PAGE_SIZES = (25, 50, 100)
# Parameters that are not filters: applying or clearing filters keeps sort and page size.
LIST_CONTROLS = ("sort", "per_page")
DEFAULT_SORT = "-created"
MAX_PAGE = 1_000_000


def sort_choices() -> list[tuple[str, str]]:
    """Every `sort=` value the table accepts: each sortable column, both ways."""
    choices = []
    for name, column in PhoneConnectionTable.base_columns.items():
        if column.orderable:
            choices += [(name, name), (f"-{name}", f"-{name}")]
    return choices


class ListControlsForm(forms.Form):
    """Sort, page and page size from the URL; a bad value falls back to its default."""

    sort = forms.ChoiceField(
        required=False,
        error_messages={"invalid_choice": "The list cannot be sorted by “%(value)s”."},
    )
    page = forms.IntegerField(
        required=False,
        min_value=1,
        max_value=MAX_PAGE,
        error_messages={
            "invalid": "The page must be a whole number.",
            "min_value": "The page must be 1 or more.",
            "max_value": "That page is too far.",
        },
    )
    per_page = forms.TypedChoiceField(
        required=False,
        coerce=int,
        choices=[(str(size), str(size)) for size in PAGE_SIZES],
        error_messages={"invalid_choice": "Show 25, 50 or 100 rows per page, not %(value)s."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sort"].choices = sort_choices()

    def value(self, name: str, default):
        """The cleaned value, or the default when missing or invalid."""
        if not self.is_valid() and name in self.errors:
            return default
        return self.cleaned_data.get(name) or default


@dataclass
class ListPage:
    """Everything the list template needs."""

    filterset: PhoneConnectionFilter
    controls: ListControlsForm
    table: PhoneConnectionTable
    page: int
    per_page: int
    sort: str
    has_rows: bool = False
    past_the_end: bool = False
    errors: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        filters_valid = not self.filterset.is_bound or self.filterset.is_valid()
        return not self.errors and filters_valid

    def kept_controls(self) -> list[tuple[str, str]]:
        """The valid, non-default sort and page size, for the filter form to carry along."""
        kept = []
        if self.sort != DEFAULT_SORT:
            kept.append(("sort", self.sort))
        if self.per_page != PAGE_SIZES[0]:
            kept.append(("per_page", str(self.per_page)))
        return kept

    @property
    def first_row(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.table.page.object_list) - 1


def build_list_page(params: QueryDict, *, products: list[Product], voices: list[Voice]) -> ListPage:
    """Validate the URL's parameters and fetch the one page they describe."""
    filterset = PhoneConnectionFilter(params or None, products=products)
    controls = ListControlsForm(params)
    errors = [error for errs in controls.errors.values() for error in errs]
    sort = controls.value("sort", DEFAULT_SORT)
    page = controls.value("page", 1)
    per_page = controls.value("per_page", PAGE_SIZES[0])
    query: PhoneConnectionQuery = filterset.qs

    def fetch(order, offset, limit):
        return list_phone_connections(
            query.order_by(*order), offset=offset, limit=min(limit, contract.MAX_LIMIT)
        )

    table = PhoneConnectionTable(RemoteTableData(fetch), products=products, voices=voices)
    table.order_by = sort
    listing = ListPage(filterset, controls, table, page, per_page, sort, errors=errors)
    if "ids" in filterset.form.errors:
        return listing  # a bad id list would widen the query to everything: show nothing
    try:
        listing.past_the_end = not paginate_remote(table, page=page, per_page=per_page)
    except PhoneConnectionsNotFound as missing:
        filterset.form.add_error("ids", f"Not found: {', '.join(missing.missing_ids)}.")
        return listing
    listing.has_rows = not listing.past_the_end and bool(table.page.object_list)
    return listing

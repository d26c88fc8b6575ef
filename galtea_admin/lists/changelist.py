"""The state of one list page, read from its URL (as Django admin's `ChangeList`): the
filters, the sort, the page and its size; the table of that one page; and the links that
change one of them. Every list of the admin (each resource's, the activity page) is one.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.functional import cached_property
from django.utils.http import urlencode
from django_tables2 import LazyPaginator

from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import GalteaIdsNotFound, GalteaRejected
from galtea_admin.lists.chips import filter_chips
from galtea_admin.lists.params import (
    COUNT_VAR,
    IDS_VAR,
    ORDER_VAR,
    PAGE_VAR,
    PER_PAGE_VAR,
    query_string,
)

PAGE_SIZES = (25, 50, 100)
MAX_PAGE = 1_000_000


def sort_choices(table_class) -> list[tuple[str, str]]:
    """Every sort value a table accepts: each sortable column, both ways."""
    orderable_by_default = getattr(table_class._meta, "orderable", True)
    choices = []
    for name, column in table_class.base_columns.items():
        orderable = column.orderable if column.orderable is not None else orderable_by_default
        if orderable:
            choices += [(name, name), (f"-{name}", f"-{name}")]
    return choices


class ListControlsForm(forms.Form):
    """Sort, page and page size; a bad value is reported and falls back to its default."""

    def __init__(self, data, *, table_class, default_sort: str):
        super().__init__(data)
        self.default_sort = default_sort
        self.fields[ORDER_VAR] = forms.ChoiceField(
            required=False,
            choices=sort_choices(table_class),
            error_messages={"invalid_choice": "The list cannot be sorted by “%(value)s”."},
        )
        self.fields[PAGE_VAR] = forms.IntegerField(
            required=False,
            min_value=1,
            max_value=MAX_PAGE,
            error_messages={
                "invalid": "The page must be a whole number.",
                "min_value": "The page must be 1 or more.",
                "max_value": "That page is too far.",
            },
        )
        self.fields[PER_PAGE_VAR] = forms.TypedChoiceField(
            required=False,
            coerce=int,
            choices=[(str(size), str(size)) for size in PAGE_SIZES],
            error_messages={"invalid_choice": "Show 25, 50 or 100 rows per page, not %(value)s."},
        )

    def value(self, name: str, default):
        """The cleaned value, or the default when missing or invalid."""
        if not self.is_valid() and name in self.errors:
            return default
        return self.cleaned_data.get(name) or default

    @property
    def chosen_sort(self) -> str:
        return self.value(ORDER_VAR, self.default_sort)

    @property
    def chosen_page(self) -> int:
        return self.value(PAGE_VAR, 1)

    @property
    def chosen_per_page(self) -> int:
        return self.value(PER_PAGE_VAR, PAGE_SIZES[0])

    def messages(self) -> list[str]:
        return [error for errors in self.errors.values() for error in errors]

    def kept(self) -> list[tuple[str, str]]:
        """The valid, non-default sort and page size, for a filter form to carry along."""
        kept = []
        if self.chosen_sort != self.default_sort:
            kept.append((ORDER_VAR, self.chosen_sort))
        if self.chosen_per_page != PAGE_SIZES[0]:
            kept.append((PER_PAGE_VAR, str(self.chosen_per_page)))
        return kept


def filters_valid(filterset) -> bool:
    """Whether a list's filters are valid: no filters (an unbound filter set) are."""
    return not filterset.is_bound or filterset.is_valid()


def without_empty_params(request) -> str | None:
    """The same URL without empty parameters or repeated key=value pairs (each kept at its
    last place, so a single-valued key still means what it did), or None when it has none:
    clean URLs, and pages whose every link does not repeat a value a hundred times."""
    params = request.GET
    given = [(key, value) for key, values in params.lists() for value in values]
    if all(value.strip() for _, value in given) and len(set(given)) == len(given):
        return None
    kept = [pair for pair in reversed(given) if pair[1].strip()]
    pairs = list(dict.fromkeys(kept))[::-1]
    return request.path + (f"?{urlencode(pairs)}" if pairs else "")


class ChangeList:
    """One page of a list: its filter set and controls, and (after `load`) its table."""

    def __init__(self, request, *, filterset, table_class, default_sort: str):
        self.params = request.GET
        self.filterset = filterset
        self.controls = ListControlsForm(
            self.params, table_class=table_class, default_sort=default_sort
        )
        self.table = None
        self.has_page = False
        self.past_the_end = False
        self.counted = False  # whether the list knows how many rows match
        # How many rows match, when the person asked to count them (a remote list).
        self.matching: int | None = None
        # The API's message when it refused to sort the list this way.
        self.sort_rejection: str | None = None

    @property
    def errors(self) -> list[str]:
        return self.controls.messages()

    @property
    def is_valid(self) -> bool:
        return not self.errors and not self.sort_rejection and filters_valid(self.filterset)

    @property
    def default_order_url(self) -> str:
        """This list in its default order: the same URL without the sort (and page)."""
        return self.url(**{ORDER_VAR: None, PAGE_VAR: None})

    @property
    def page(self) -> int:
        return self.controls.chosen_page

    @property
    def per_page(self) -> int:
        return self.controls.chosen_per_page

    @property
    def has_rows(self) -> bool:
        return self.has_page and bool(self.table.page.object_list)

    @property
    def total(self) -> int | None:
        return self.table.paginator.count if self.counted else None

    @property
    def page_count(self) -> int | None:
        return self.table.paginator.num_pages if self.counted else None

    @property
    def count_url(self) -> str:
        return self.url(**{COUNT_VAR: "1"})

    @property
    def matching_pages(self) -> int | None:
        if self.matching is None:
            return None
        return max(1, -(-self.matching // self.per_page))

    @property
    def last_page_url(self) -> str | None:
        pages = self.matching_pages
        return self.page_url(pages) if pages and pages != self.page else None

    @property
    def jump_controls(self) -> list[tuple[str, str]]:
        """The list's parameters but the page, for a "Go to page" form."""
        return [
            (key, value)
            for key, values in self.params.lists()
            if key != PAGE_VAR
            for value in values
        ]

    @property
    def first_row(self) -> int:
        return (self.page - 1) * self.per_page + 1

    @property
    def last_row(self) -> int:
        return self.first_row + len(self.table.page.object_list) - 1

    def load(self, table, *, lazy: bool) -> None:
        """Sort and paginate `table` as the URL says: one request for a remote list (`lazy`:
        no count, one row more than the page tells whether there is a next page). Ids the
        API does not know are reported at their filter, and nothing is shown."""
        self.table = table
        self.counted = not lazy
        table.order_by = self.controls.chosen_sort
        paginator_class = LazyPaginator if lazy else Paginator
        try:
            table.paginate(paginator_class=paginator_class, per_page=self.per_page, page=self.page)
        except (EmptyPage, PageNotAnInteger):
            self.past_the_end = True
            return
        except GalteaIdsNotFound as missing:
            self.filterset.form.add_error(IDS_VAR, f"Not found: {', '.join(missing.missing_ids)}.")
            return
        except GalteaRejected as error:
            if not contract.is_sort_rejection(error.message):
                raise
            self.sort_rejection = error.message
            return
        self.has_page = True

    # Links that change one control, keeping everything else of the list.
    def url(self, **changes) -> str:
        """`?query` with each given parameter set (None removes it)."""
        remove = [key for key, value in changes.items() if value is None]
        kept = {key: value for key, value in changes.items() if value is not None}
        return query_string(self.params, changes=kept, remove=remove)

    def page_url(self, number: int) -> str:
        return self.url(**{PAGE_VAR: number})

    @property
    def first_page_url(self) -> str:
        return self.url(**{PAGE_VAR: None})

    @property
    def previous_url(self) -> str | None:
        page = self.table.page
        return self.page_url(page.previous_page_number()) if page.has_previous() else None

    @property
    def next_url(self) -> str | None:
        page = self.table.page
        return self.page_url(page.next_page_number()) if page.has_next() else None

    @property
    def page_sizes(self) -> list[tuple[int, str | None]]:
        """(size, link to it; None for the current size)."""
        return [
            (
                size,
                None if size == self.per_page else self.url(**{PER_PAGE_VAR: size, PAGE_VAR: None}),
            )
            for size in PAGE_SIZES
        ]

    @cached_property
    def chips(self):
        return filter_chips(self.filterset, self.params)

    @property
    def clear_url(self) -> str:
        """The list without filters, keeping a valid sort and page size."""
        kept = self.controls.kept()
        return f"?{urlencode(kept)}" if kept else "?"

    @property
    def kept_controls(self) -> list[tuple[str, str]]:
        return self.controls.kept()

    @property
    def export_query(self) -> str:
        """The list's filters and sort, for an export of every page."""
        return query_string(self.params, remove=(PAGE_VAR, PER_PAGE_VAR))

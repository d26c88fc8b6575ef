"""Sort, page and page size of a list, read from the URL, shared by every list page."""

from __future__ import annotations

from django import forms
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.utils.http import urlencode

from galtea_admin.lists.query import encode_query

PAGE_SIZES = (25, 50, 100)
MAX_PAGE = 1_000_000


def sort_choices(table_class) -> list[tuple[str, str]]:
    """Every `sort=` value a table accepts: each sortable column, both ways."""
    orderable_by_default = getattr(table_class._meta, "orderable", True)
    choices = []
    for name, column in table_class.base_columns.items():
        orderable = column.orderable if column.orderable is not None else orderable_by_default
        if orderable:
            choices += [(name, name), (f"-{name}", f"-{name}")]
    return choices


class ListControlsForm(forms.Form):
    """Sort, page and page size; a bad value is reported and falls back to its default."""

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

    def __init__(self, data, *, table_class, default_sort: str):
        super().__init__(data)
        self.fields["sort"].choices = sort_choices(table_class)
        self.default_sort = default_sort

    def value(self, name: str, default):
        """The cleaned value, or the default when missing or invalid."""
        if not self.is_valid() and name in self.errors:
            return default
        return self.cleaned_data.get(name) or default

    @property
    def chosen_sort(self) -> str:
        return self.value("sort", self.default_sort)

    @property
    def chosen_page(self) -> int:
        return self.value("page", 1)

    @property
    def chosen_per_page(self) -> int:
        return self.value("per_page", PAGE_SIZES[0])

    def messages(self) -> list[str]:
        return [error for errors in self.errors.values() for error in errors]

    def clear_url(self) -> str:
        """The list without filters, keeping a valid sort and page size."""
        return "?" + urlencode(self.kept())

    def kept(self) -> list[tuple[str, str]]:
        """The valid, non-default sort and page size, for a filter form to carry along."""
        kept = []
        if self.chosen_sort != self.default_sort:
            kept.append(("sort", self.chosen_sort))
        if self.chosen_per_page != PAGE_SIZES[0]:
            kept.append(("per_page", str(self.chosen_per_page)))
        return kept


def filters_valid(filterset) -> bool:
    """Whether a list's filters are valid: no filters (an unbound filter set) are."""
    return not filterset.is_bound or filterset.is_valid()


def without_empty_params(request) -> str | None:
    """The same URL without empty parameters, or None when it has none (clean URLs)."""
    params = request.GET
    if all(value.strip() for _, values in params.lists() for value in values):
        return None
    encoded = encode_query(params, keep=lambda key, value: bool(value.strip()))
    return request.path + (f"?{encoded}" if encoded else "")


def lazy_page_rows(page: int, per_page: int) -> tuple[int, int]:
    """The rows [start:stop] LazyPaginator reads for `page`: the page's rows and one more,
    which tells whether a next page exists."""
    start = (page - 1) * per_page
    return start, start + per_page + 1


def paginate(table, *, page: int, per_page: int, paginator_class=Paginator) -> bool:
    """Paginate `table` at `page`; False (and no page) when the page is past the end."""
    try:
        table.paginate(paginator_class=paginator_class, per_page=per_page, page=page)
    except (EmptyPage, PageNotAnInteger):
        return False
    return True

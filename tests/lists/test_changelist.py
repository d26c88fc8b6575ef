"""The state of one list page read from its URL (ChangeList): the sort, page and page size
with their defaults and errors, URLs with empty parameters cleaned away, and the links that
change one control while keeping the rest of the list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

import django_tables2 as tables
import pytest
from django.http import QueryDict
from django.test import RequestFactory

from galtea_admin.galtea.errors import GalteaIdsNotFound
from galtea_admin.galtea.products import Product
from galtea_admin.lists.changelist import (
    PAGE_SIZES,
    ChangeList,
    ListControlsForm,
    filters_valid,
    sort_choices,
    without_empty_params,
)
from galtea_admin.lists.params import ORDER_VAR, PAGE_VAR, PER_PAGE_VAR
from galtea_admin.lists.tables import ListTable, RemoteTableData
from galtea_admin.phone_connections.filters import PhoneConnectionFilter
from tests.phone_connections.pages import query_of

PRODUCTS = [Product("product_alpha", "Alpha", None, datetime.now(UTC))]
DEFAULT_SORT = "-created"


@dataclass(frozen=True)
class Record:
    id: str
    name: str
    created: int


class SampleTable(ListTable):
    name = tables.Column()
    created = tables.Column()
    note = tables.Column(accessor="id", orderable=False)


def controls(query: str) -> ListControlsForm:
    return ListControlsForm(QueryDict(query), table_class=SampleTable, default_sort=DEFAULT_SORT)


# --- Sort, page and page size -----------------------------------------------------------------


def test_the_url_parameters_are_named_once():
    assert (ORDER_VAR, PAGE_VAR, PER_PAGE_VAR) == ("sort", "page", "per_page")
    assert PAGE_SIZES == (25, 50, 100)


def test_each_sortable_column_both_ways_is_a_sort():
    assert sort_choices(SampleTable) == [
        ("name", "name"),
        ("-name", "-name"),
        ("created", "created"),
        ("-created", "-created"),
    ]


@pytest.mark.parametrize("query", ["", "q=x", "sort=&page=&per_page="])
def test_defaults(query):
    form = controls(query)

    assert (form.chosen_sort, form.chosen_page, form.chosen_per_page) == (DEFAULT_SORT, 1, 25)
    assert form.messages() == []
    assert form.kept() == []


def test_valid_values_are_chosen():
    form = controls("sort=name&page=3&per_page=100")

    assert (form.chosen_sort, form.chosen_page, form.chosen_per_page) == ("name", 3, 100)
    assert form.messages() == []
    assert form.kept() == [("sort", "name"), ("per_page", "100")]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("sort=colour", "The list cannot be sorted by “colour”."),
        ("sort=note", "The list cannot be sorted by “note”."),
        ("sort=--name", "The list cannot be sorted by “--name”."),
        ("page=two", "The page must be a whole number."),
        ("page=1.5", "The page must be a whole number."),
        ("page=0", "The page must be 1 or more."),
        ("page=-3", "The page must be 1 or more."),
        ("page=1000001", "That page is too far."),
        ("per_page=30", "Show 25, 50 or 100 rows per page, not 30."),
        ("per_page=<b>", "Show 25, 50 or 100 rows per page, not <b>."),
    ],
)
def test_a_bad_value_is_reported_and_falls_back_to_its_default(query, message):
    form = controls(query)

    assert form.messages() == [message]
    assert (form.chosen_sort, form.chosen_page, form.chosen_per_page) == (DEFAULT_SORT, 1, 25)


def test_one_bad_value_leaves_the_others_chosen():
    form = controls("sort=colour&page=2&per_page=50")

    assert (form.chosen_sort, form.chosen_page, form.chosen_per_page) == (DEFAULT_SORT, 2, 50)
    assert form.kept() == [("per_page", "50")]  # a bad sort is not carried along


def test_the_default_values_given_explicitly_are_not_kept():
    assert controls("sort=-created&per_page=25").kept() == []


# --- Empty parameters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "clean"),
    [
        ("q=&name=", "/phone-connections/"),
        ("q=+&sort=name", "/phone-connections/?sort=name"),
        ("name=line&created_from=&created_to=&page=", "/phone-connections/?name=line"),
        ("ids=%0A%0A&per_page=50", "/phone-connections/?per_page=50"),
        ("product=&product=p1&product=+", "/phone-connections/?product=p1"),
        ("name=caf%C3%A9+bar&q=", "/phone-connections/?name=caf%C3%A9+bar"),
        ("product=p1&product=p1&name=a&product=p1", "/phone-connections/?product=p1&name=a"),
        ("product=p1&product=p2&product=p1", "/phone-connections/?product=p2&product=p1"),
        # A single-valued key means its last value: still the same one.
        ("name=a&name=b&name=a&q=", "/phone-connections/?name=b&name=a"),
    ],
)
def test_empty_parameters_and_repeated_values_are_left_out(query, clean):
    request = RequestFactory().get(f"/phone-connections/?{query}")

    assert without_empty_params(request) == clean


@pytest.mark.parametrize("query", ["", "name=line", "product=p1&product=p2&sort=-name"])
def test_a_url_without_empty_parameters_stays(query):
    assert without_empty_params(RequestFactory().get(f"/phone-connections/?{query}")) is None


# --- The list's links -------------------------------------------------------------------------

ROWS = [Record(f"r{n}", f"Row {n}", n) for n in range(60)]


def filterset(query: str) -> PhoneConnectionFilter:
    return PhoneConnectionFilter(QueryDict(query) or None, products=PRODUCTS)


def changelist(query: str = "", rows=ROWS) -> ChangeList:
    """A list of `rows` in memory (counted), at the page `query` says."""
    request = RequestFactory().get(f"/phone-connections/?{query}")
    cl = ChangeList(
        request, filterset=filterset(query), table_class=SampleTable, default_sort=DEFAULT_SORT
    )
    cl.load(SampleTable(rows, query_params=request.GET), lazy=False)
    return cl


def test_the_first_page():
    cl = changelist("name=row")

    assert cl.is_valid and cl.has_page and cl.has_rows
    assert (cl.page, cl.per_page, cl.first_row, cl.last_row) == (1, 25, 1, 25)
    assert (cl.total, cl.page_count) == (60, 3)
    assert cl.previous_url is None
    assert cl.next_url == "?name=row&page=2"


def test_a_middle_page_links_both_ways_keeping_the_list():
    cl = changelist("product=product_alpha&sort=name&page=2&name=row")

    assert (cl.first_row, cl.last_row) == (26, 50)
    assert cl.previous_url == "?product=product_alpha&sort=name&page=1&name=row"
    assert cl.next_url == "?product=product_alpha&sort=name&page=3&name=row"
    assert cl.first_page_url == "?product=product_alpha&sort=name&name=row"
    assert cl.page_url(7) == "?product=product_alpha&sort=name&page=7&name=row"


def test_the_last_page():
    cl = changelist("page=3")

    assert (cl.first_row, cl.last_row) == (51, 60)
    assert cl.previous_url == "?page=2"
    assert cl.next_url is None


def test_page_sizes_link_to_the_first_page_of_each_other_size():
    cl = changelist("name=row&page=2&per_page=50")

    assert cl.page_sizes == [
        (25, "?name=row&per_page=25"),
        (50, None),
        (100, "?name=row&per_page=100"),
    ]


def test_past_the_end_there_is_no_page():
    cl = changelist("page=9")

    assert cl.past_the_end
    assert not cl.has_page and not cl.has_rows


def test_clear_keeps_a_valid_sort_and_page_size_and_nothing_else():
    assert changelist("name=row&sort=name&per_page=50&page=2").clear_url == (
        "?sort=name&per_page=50"
    )
    assert changelist("name=row&page=2").clear_url == "?"
    assert changelist("name=row&sort=colour").clear_url == "?"


def test_the_export_has_the_filters_and_sort_but_no_page():
    cl = changelist("product=product_alpha&page=2&per_page=50&sort=name&name=row")

    assert cl.export_query == "?product=product_alpha&sort=name&name=row"
    assert changelist("page=2").export_query == "?"


def test_errors_of_the_controls_make_the_list_invalid():
    cl = changelist("sort=colour&page=0")

    assert not cl.is_valid
    assert cl.errors == ["The list cannot be sorted by “colour”.", "The page must be 1 or more."]
    assert (cl.page, cl.per_page) == (1, 25)


def test_bad_filters_make_the_list_invalid():
    assert not changelist("product=product_nope").is_valid
    assert not filters_valid(filterset("created_from=yesterday"))
    assert filters_valid(filterset(""))  # no filters at all are valid filters


def test_chips_link_to_the_list_without_them():
    cl = changelist("name=row&sort=name&page=2")

    [chip] = cl.chips
    assert (chip.label, chip.value) == ("Name contains", "row")
    assert query_of(chip.remove_url) == [("sort", "name")]


# --- A remote list: one request, one row more than the page -----------------------------------


class Api:
    def __init__(self, total: int, error: Exception | None = None):
        self.total = total
        self.error = error
        self.calls: list[tuple] = []

    def fetch(self, order, offset, limit):
        self.calls.append((order, offset, limit))
        if self.error:
            raise self.error
        return ROWS[offset : min(offset + limit, self.total)]


def remote_changelist(query: str, api: Api) -> ChangeList:
    request = RequestFactory().get(f"/phone-connections/?{query}")
    cl = ChangeList(
        request, filterset=filterset(query), table_class=SampleTable, default_sort=DEFAULT_SORT
    )
    cl.load(SampleTable(RemoteTableData(api.fetch), query_params=request.GET), lazy=True)
    return cl


def test_a_remote_page_is_one_request_for_the_page_and_one_row_more():
    api = Api(total=60)

    cl = remote_changelist("page=2&sort=name", api)

    assert api.calls == [((("name", "asc"),), 25, 26)]
    assert (cl.first_row, cl.last_row) == (26, 50)
    assert cl.next_url == "?page=3&sort=name"
    assert cl.previous_url == "?page=1&sort=name"
    assert (cl.total, cl.page_count) == (None, None)  # the API gives no count


def test_a_remote_page_without_a_row_more_is_the_last():
    api = Api(total=50)

    cl = remote_changelist("page=2&per_page=25", api)

    assert api.calls == [((("created", "desc"),), 25, 26)]
    assert cl.has_rows
    assert cl.next_url is None


def test_unknown_ids_are_reported_at_the_ids_filter_and_nothing_is_shown():
    api = Api(total=60, error=GalteaIdsNotFound("not found: pc_x", ["pc_x"]))

    cl = remote_changelist("ids=pc_x+r1", api)

    assert len(api.calls) == 1
    assert not cl.has_page and not cl.has_rows
    assert cl.filterset.form.errors["ids"] == ["Not found: pc_x."]
    assert not cl.is_valid

"""A list's table (ListTable): each cell and header worked out in Python (`header_cells`,
`body_rows`) as django-tables2 would make it, and drawn by `lists/_table.html` with text
escaped and sort links that keep the rest of the URL; and its rows read from an API
(RemoteTableData) one request per slice, never in full."""

from __future__ import annotations

from dataclasses import dataclass

import django_tables2 as tables
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict
from django.template.loader import render_to_string
from django.utils.html import format_html
from django_tables2 import LazyPaginator

from galtea_admin.lists.tables import CLIPPED, ListTable, RemoteTableData, api_order
from tests.html_tree import parse


@dataclass
class Owner:
    name: str


@dataclass
class Record:
    id: str
    title: str | None
    owner: Owner
    size: int

    def shout(self) -> str:
        return self.title.upper() if self.title else ""


class SampleTable(ListTable):
    title = tables.Column(attrs={"td": {"class": "cell-title"}})
    owner = tables.Column(accessor="owner__name", orderable=False)
    size = tables.Column()
    shout = tables.Column(orderable=False)
    both = tables.Column(accessor="id", orderable=False)
    nothing = tables.Column(empty_values=(), orderable=False)

    def render_size(self, value):
        return f"{value} KB"

    def render_both(self, value, record):
        return format_html("<b>{}</b> of {}", value, record.owner.name)

    def render_nothing(self):
        return "constant"


HOSTILE = "<script>hi</script>"
ROWS = [
    Record("r1", HOSTILE, Owner("Ann & Bo"), 3),
    Record("r2", None, Owner("Cy"), 0),
]


def paginated(table_class=SampleTable, rows=ROWS, query: str = "", order_by=None):
    table = table_class(rows, query_params=QueryDict(query))
    if order_by:
        table.order_by = order_by
    table.paginate(per_page=25, page=1)
    return table


def drawn(table):
    return parse(render_to_string("lists/_table.html", {"table": table}))


def cells(page):
    return [[td.text for td in tr.find_all("td")] for tr in page.one("tbody").find_all("tr")]


def headers(page) -> dict:
    return {th.text.strip("▲▼↕ "): th for th in page.one("thead").find_all("th")}


# --- Cells ------------------------------------------------------------------------------------


def test_each_cell_as_django_tables2_makes_it():
    page = drawn(paginated())

    assert cells(page) == [
        [HOSTILE, "Ann & Bo", "3 KB", "<SCRIPT>HI</SCRIPT>", "r1 of Ann & Bo", "constant"],
        ["—", "Cy", "0 KB", "—", "r2 of Cy", "constant"],
    ]
    first_row = page.one("tbody").find_all("tr")[0]
    assert first_row.one("b").text == "r1"  # a render method's HTML stays HTML
    assert first_row.find("script") is None  # text stays text
    # Each cell names its column, for the narrow layout where a row is a block.
    assert first_row.find_all("td")[0].attrs == {"class": "cell-title", "data-label": "Title"}
    assert first_row.find_all("td")[1].attrs == {"data-label": "Owner"}


def test_a_cell_cut_short_on_one_line_has_its_whole_text_as_its_title():
    class ClippedTable(SampleTable):
        title = tables.Column(attrs=CLIPPED)
        both = tables.Column(accessor="id", orderable=False, attrs=CLIPPED)

    first_row = drawn(paginated(ClippedTable)).one("tbody").find_all("tr")[0]
    title, both = first_row.find_all("td")[0], first_row.find_all("td")[4]

    assert both.attrs["class"] == "cell-clip"
    assert both.attrs["title"] == "r1 of Ann & Bo"  # its text, without its markup
    assert title.attrs["title"] == HOSTILE  # text that looks like markup stays as it is
    assert "title" not in first_row.find_all("td")[1].attrs


def test_the_cells_are_worked_out_before_they_are_drawn():
    rows = paginated().body_rows

    assert [row["record"] for row in rows] == ROWS
    first = [content for _, content, _ in rows[0]["cells"]]
    assert first[:4] == [HOSTILE, "Ann & Bo", "3 KB", "<SCRIPT>HI</SCRIPT>"]
    assert str(first[4]) == "<b>r1</b> of Ann &amp; Bo"
    assert [content for _, content, _ in rows[1]["cells"]][:2] == ["—", "Cy"]
    assert [attrs for attrs, _, _ in rows[0]["cells"]][:2] == [
        ' class="cell-title" data-label="Title"',
        ' data-label="Owner"',
    ]
    assert "<a" not in str(first[0])  # no link column


@pytest.mark.parametrize(
    "name",
    [
        "<script>alert(1)</script>",
        "<b>bold</b> & <i>more</i>",
        '"><img src=x onerror=alert(1)>',
        "{{ table }} {% now 'Y' %}",
        "&amp; already escaped",
    ],
)
def test_hostile_values_stay_text(name):
    html = render_to_string(
        "lists/_table.html", {"table": paginated(rows=[Record("r1", name, Owner(name), 1)])}
    )
    page = parse(html)

    row = page.one("tbody").one("tr")
    assert [td.text for td in row.find_all("td")][:2] == [name, name]
    assert row.find("script") is None and row.find("img") is None and row.find("i") is None
    assert "<script>" not in html and "<img" not in html


def test_the_empty_default_is_a_dash():
    [row] = paginated(rows=[Record("r1", "", Owner(""), 1)]).body_rows

    assert [content for _, content, _ in row["cells"]][:2] == ["—", "—"]


class LinkedByName(SampleTable):
    link_column = "title"

    def row_links(self, record):
        return f"/things/{record.id}/", {}


def test_the_link_column_links_to_the_rows_page():
    page = drawn(paginated(LinkedByName))

    first, second = page.one("tbody").find_all("tr")
    assert first.find_all("td")[0].one("a").attrs["href"] == "/things/r1/"
    assert first.find_all("td")[0].one("a").text == HOSTILE
    assert second.find_all("td")[0].one("a").attrs["href"] == "/things/r2/"
    assert first.find_all("td")[1].find("a") is None


# --- Headers ----------------------------------------------------------------------------------


def test_sort_links_keep_the_url_and_go_back_to_the_first_page():
    page = drawn(paginated(query="title=a&page=3&sort=size", order_by="size"))

    by_name = headers(page)
    assert list(by_name) == ["Title", "Owner", "Size", "Shout", "Both", "Nothing"]
    assert by_name["Size"].attrs["aria-sort"] == "ascending"
    assert by_name["Size"].one("a").attrs["href"] == "?title=a&sort=-size"
    assert by_name["Title"].one("a").attrs["href"] == "?title=a&sort=title"
    assert "aria-sort" not in by_name["Title"].attrs
    assert by_name["Owner"].find("a") is None
    assert all(th.attrs["scope"] == "col" for th in by_name.values())


def test_without_a_query_the_links_hold_only_the_sort():
    page = drawn(paginated(order_by="-title"))

    title = page.one("thead").find_all("th")[0]
    assert title.attrs["aria-sort"] == "descending"
    assert title.one("a").attrs["href"] == "?sort=title"


def test_header_cells():
    table = paginated(query="page=2&q=x", order_by="-size")

    by_label = {cell.label: cell for cell in table.header_cells}
    assert list(by_label) == ["Title", "Owner", "Size", "Shout", "Both", "Nothing"]
    assert (by_label["Size"].sort_url, by_label["Size"].sorted) == ("?q=x&sort=size", "descending")
    assert (by_label["Title"].sort_url, by_label["Title"].sorted) == ("?q=x&sort=title", None)
    assert (by_label["Owner"].sort_url, by_label["Owner"].sorted) == (None, None)


# --- What the table refuses to draw -----------------------------------------------------------


class NeedsMore(ListTable):
    title = tables.BooleanColumn()


class AsksForTheTable(ListTable):
    title = tables.Column()

    def render_title(self, value, table):
        return value


class Linked(ListTable):
    title = tables.Column(linkify=lambda record: "/")


@pytest.mark.parametrize("table_class", [NeedsMore, AsksForTheTable, Linked])
def test_columns_needing_more_of_django_tables2_are_refused_not_drawn_differently(table_class):
    table = paginated(table_class)

    with pytest.raises(ImproperlyConfigured, match="title"):
        table.body_rows  # noqa: B018 - working the cells out is the test
    with pytest.raises(ImproperlyConfigured, match="title"):
        render_to_string("lists/_table.html", {"table": table})


class StaticRender(ListTable):
    title = tables.Column()

    @staticmethod
    def render_title(value):
        return value.upper()


def test_a_static_render_method_is_called_like_any_other():
    assert cells(drawn(paginated(StaticRender, rows=ROWS[:1]))) == [["<SCRIPT>HI</SCRIPT>"]]


# --- Rows behind an API -----------------------------------------------------------------------


class Api:
    """fetch(order, offset, limit) that records each call."""

    def __init__(self, total: int = 1000):
        self.total = total
        self.calls: list[tuple] = []

    def fetch(self, order, offset, limit):
        self.calls.append((order, offset, limit))
        return [
            Record(f"r{n}", f"Row {n}", Owner("Ann"), n)
            for n in range(offset, min(offset + limit, self.total))
        ]


def test_a_slice_is_one_request():
    api = Api()
    data = RemoteTableData(api.fetch)

    rows = data[50:76]

    assert [row.id for row in rows] == [f"r{n}" for n in range(50, 76)]
    assert api.calls == [((), 50, 26)]
    assert data[:10] and api.calls[-1] == ((), 0, 10)
    assert len(api.calls) == 2  # each slice asks again: rows may have changed since


@pytest.mark.parametrize("key", [3, slice(5, None), slice(None, None)])
def test_only_bounded_slices_are_read(key):
    api = Api()
    data = RemoteTableData(api.fetch)

    with pytest.raises(TypeError):
        data[key]
    assert api.calls == []


def test_the_rows_are_never_read_in_full_or_counted():
    api = Api()
    data = RemoteTableData(api.fetch)

    with pytest.raises(TypeError):
        iter(data)
    with pytest.raises(TypeError):
        list(data)
    with pytest.raises(TypeError):
        len(data)
    assert api.calls == []


@pytest.mark.parametrize(("page", "offset"), [(1, 0), (2, 25), (3601, 90000)])
def test_a_drawn_page_is_one_request_in_the_tables_order(page, offset):
    api = Api(total=1_000_000)
    table = SampleTable(RemoteTableData(api.fetch), query_params=QueryDict("sort=-size"))
    table.order_by = "-size"

    table.paginate(paginator_class=LazyPaginator, per_page=25, page=page)
    page_drawn = drawn(table)

    assert api.calls == [((("size", "desc"),), offset, 26)]  # the page and one row more
    assert len(page_drawn.one("tbody").find_all("tr")) == 25
    assert table.page.has_next()


class ApiOrder(ListTable):
    name = tables.Column(order_by=("name", "-createdAt"))
    phone = tables.Column(accessor="phone_number", order_by=("phoneNumber",))
    created = tables.Column(accessor="created_at")


@pytest.mark.parametrize(
    ("aliases", "pairs"),
    [
        (["name"], (("name", "asc"), ("createdAt", "desc"))),
        (["-name"], (("name", "desc"), ("createdAt", "asc"))),
        (["-phone"], (("phoneNumber", "desc"),)),
        (["created"], (("created_at", "asc"),)),
        (["phone", "-created"], (("phoneNumber", "asc"), ("created_at", "desc"))),
    ],
)
def test_a_columns_sort_is_its_order_by_fields_else_its_accessor(aliases, pairs):
    assert api_order(ApiOrder, aliases) == pairs

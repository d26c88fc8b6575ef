"""Tables drawn in Python (DirectHtmlMixin): each cell as django-tables2 would make it (the
column's render method given what it asks for, the default for empty values, nested and
callable accessors), text escaped, and sort links that keep the rest of the URL."""

from __future__ import annotations

from dataclasses import dataclass

import django_tables2 as tables
import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import QueryDict

from galtea_admin.lists.html import format_html
from galtea_admin.lists.remote_tables import DirectHtmlMixin
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


class SampleTable(DirectHtmlMixin, tables.Table):
    title = tables.Column(attrs={"td": {"class": "cell-title"}})
    owner = tables.Column(accessor="owner__name", orderable=False)
    size = tables.Column()
    shout = tables.Column(orderable=False)
    both = tables.Column(accessor="id", orderable=False)
    nothing = tables.Column(empty_values=(), orderable=False)

    class Meta:
        order_by_field = "sort"
        page_field = "page"
        default = "—"
        attrs = {"class": "data-table"}

    def render_size(self, value):
        return f"{value} KB"

    def render_both(self, value, record):
        return format_html("<b>{}</b> of {}", value, record.owner.name)

    def render_nothing(self):
        return "constant"


ROWS = [
    Record("r1", "<script>hi</script>", Owner("Ann & Bo"), 3),
    Record("r2", None, Owner("Cy"), 0),
]


def drawn_table(query: str = "", order_by: str | None = None) -> SampleTable:
    table = SampleTable(ROWS, query_params=QueryDict(query))
    if order_by:
        table.order_by = order_by
    table.paginate(per_page=25, page=1)
    return table


def drawn(query: str = "", order_by: str | None = None):
    return parse(str(drawn_table(query, order_by).html))


def cells(page):
    return [[td.text for td in tr.find_all("td")] for tr in page.one("tbody").find_all("tr")]


def test_each_cell_as_django_tables2_makes_it():
    page = drawn()

    assert cells(page) == [
        [
            "<script>hi</script>",
            "Ann & Bo",
            "3 KB",
            "<SCRIPT>HI</SCRIPT>",
            "r1 of Ann & Bo",
            "constant",
        ],
        ["—", "Cy", "0 KB", "—", "r2 of Cy", "constant"],
    ]
    first_row = page.one("tbody").find_all("tr")[0]
    assert first_row.one("b").text == "r1"  # a render method's HTML stays HTML
    assert first_row.find("script") is None  # text stays text
    assert first_row.find_all("td")[0].attrs == {"class": "cell-title"}
    assert first_row.find_all("td")[1].attrs == {}
    assert [tr.attrs["class"] for tr in page.one("tbody").find_all("tr")] == ["even", "odd"]


def test_sort_links_keep_the_url_and_go_back_to_the_first_page():
    page = drawn("title=a&page=3&sort=size", order_by="size")

    headers = {th.text.strip("▲▼↕ "): th for th in page.one("thead").find_all("th")}
    assert list(headers) == ["Title", "Owner", "Size", "Shout", "Both", "Nothing"]
    assert headers["Size"].attrs["aria-sort"] == "ascending"
    assert headers["Size"].one("a").attrs["href"] == "?title=a&sort=-size"
    assert headers["Title"].one("a").attrs["href"] == "?title=a&sort=title"
    assert "aria-sort" not in headers["Title"].attrs
    assert headers["Owner"].find("a") is None


def test_without_a_query_the_links_hold_only_the_sort():
    page = drawn(order_by="-title")

    title = page.one("thead").find_all("th")[0]
    assert title.attrs["aria-sort"] == "descending"
    assert title.one("a").attrs["href"] == "?sort=title"


def test_prepared_before_the_rows_are_read_it_draws_the_same_table():
    table = SampleTable(ROWS, query_params=QueryDict("title=a"))
    table.order_by = "-size"
    table.prepare_html()  # before pagination, as a list does while its rows are on their way
    table.paginate(per_page=25, page=1)

    assert str(table.html) == str(drawn_table("title=a", order_by="-size").html)


class NeedsMore(DirectHtmlMixin, tables.Table):
    title = tables.BooleanColumn()


class AsksForTheTable(DirectHtmlMixin, tables.Table):
    title = tables.Column()

    def render_title(self, value, table):
        return value


class Linked(DirectHtmlMixin, tables.Table):
    title = tables.Column(linkify=lambda record: "/")


@pytest.mark.parametrize("table_class", [NeedsMore, AsksForTheTable, Linked])
def test_columns_needing_more_of_django_tables2_are_refused_not_drawn_differently(table_class):
    table = table_class(ROWS, query_params=QueryDict())
    table.paginate(per_page=25, page=1)

    with pytest.raises(ImproperlyConfigured, match="title"):
        table.html  # noqa: B018 - drawing is the test


class StaticRender(DirectHtmlMixin, tables.Table):
    title = tables.Column()

    @staticmethod
    def render_title(value):
        return value.upper()


def test_a_static_render_method_is_called_like_any_other():
    table = StaticRender(ROWS[:1], query_params=QueryDict())
    table.paginate(per_page=25, page=1)

    assert cells(parse(str(table.html))) == [["<SCRIPT>HI</SCRIPT>"]]

"""Sorting and paging the phone-connection list: one API request per page, stable pages.

Sorting runs on the session emulator and compares every page with the order the API
itself gives for the same `sort[]` pairs. Page boundaries run on an emulator of the test's
own (30 seeded rows), with an `ids` filter selecting exactly the number of rows wanted.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from tests.galtea.fake_upstream import error_reply
from tests.phone_connections.pages import (
    API_SORT,
    LIST_URL,
    ListPage,
    Page,
    api_rows,
    delete_row,
    list_calls,
    only_list_call,
    query_of,
    sort_query,
)

SORTABLE = {"name": "Name", "phone": "Phone number", "created": "Created (UTC)"}


def show(client, emulator, query: str = "") -> ListPage:
    emulator.clear_request_log()
    return ListPage(client.get(LIST_URL + (f"?{query}" if query else "")))


def paging(call: dict) -> tuple[int, int]:
    """(offset, limit) of a logged request."""
    pairs = dict(query_of("?" + call["query"]))
    return int(pairs["offset"]), int(pairs["limit"])


def ids_of(rows: list[dict]) -> list[str]:
    return [row["id"] for row in rows]


# --- Sorting ----------------------------------------------------------------------------------


class TestSorting:
    @pytest.mark.parametrize("sort", list(API_SORT))
    def test_each_column_both_ways(self, signed_in, log, sort):
        page = show(signed_in, log, f"sort={sort}")

        assert page.status == 200
        call = only_list_call(log)
        assert call["query"].startswith(sort_query(sort) + "&")
        assert paging(call) == (0, 26)
        assert page.row_ids == ids_of(api_rows(log, sort=sort, limit=25))

        column = SORTABLE[sort.lstrip("-")]
        direction = "descending" if sort.startswith("-") else "ascending"
        sorted_headers = [name for name, th in page.header_cells if "aria-sort" in th.attrs]
        assert sorted_headers == [column]
        assert page.header(column).attrs["aria-sort"] == direction

    @pytest.mark.parametrize("sort", ["name", "-phone", "-created"])
    def test_header_links_toggle_the_sorted_column_and_keep_the_filters(self, signed_in, log, sort):
        page = show(signed_in, log, f"sort={sort}&name=e&per_page=50&page=2")

        bare = sort.lstrip("-")
        opposite = bare if sort.startswith("-") else f"-{bare}"
        for key, column in SORTABLE.items():
            link = page.header(column).one("a").attrs["href"]
            expected = opposite if key == bare else key
            assert sorted(query_of(link)) == sorted(
                [("sort", expected), ("name", "e"), ("per_page", "50")]
            )
        for column in ("Product", "Voice", "Language", "Speaks first"):
            assert page.header(column).find("a") is None

    def test_names_are_in_order_on_the_page(self, signed_in, log):
        ascending = show(signed_in, log, "sort=name").column("Name")
        descending = show(signed_in, log, "sort=-name").column("Name")

        assert ascending == sorted(ascending)
        assert descending == sorted(descending, reverse=True)

    def test_phone_numbers_are_in_order_on_the_page(self, signed_in, log):
        page = show(signed_in, log, "sort=-phone")

        numbers = [
            row["Phone number"].one("span", class_="phone").attrs["title"] for row in page.rows
        ]
        assert numbers == sorted(numbers, reverse=True)


class TestWalkingEveryPage:
    """Following Next from page 1 shows every row exactly once, in the API's order."""

    @pytest.mark.parametrize("sort", list(API_SORT))
    def test_pages_do_not_overlap_and_cover_every_row(self, signed_in, log, sort):
        everything = ids_of(api_rows(log, sort=sort))
        show(signed_in, log)  # the products and voices are looked up once, then cached

        seen: list[str] = []
        query, number = f"sort={sort}", 1
        while True:
            page = show(signed_in, log, query)
            assert page.status == 200
            assert [r["path"] for r in log.requests_received()] == ["/phoneConnections"]
            assert paging(only_list_call(log)) == ((number - 1) * 25, 26)
            assert page.showing == f"Showing {len(seen) + 1}–{len(seen) + len(page.rows)}"
            seen += page.row_ids
            following = page.link("next")
            if following is None:
                break
            assert sorted(query_of(following)) == [("page", str(number + 1)), ("sort", sort)]
            query, number = following.lstrip("?"), number + 1

        assert len(seen) == len(set(seen))
        assert seen == everything
        assert number == -(-len(everything) // 25)


# --- Page boundaries on a store of the test's own ---------------------------------------------


class TestBoundaries:
    def test_exactly_one_full_page(self, signed_in, private):
        client = signed_in
        wanted = ids_of(api_rows(private, limit=25))
        ids = quote(" ".join(wanted))

        first = show(client, private, f"ids={ids}")

        assert first.status == 200
        assert len(first.rows) == 25
        assert sorted(first.row_ids) == sorted(wanted)
        assert paging(only_list_call(private)) == (0, 26)
        assert first.showing == "Showing 1–25"
        assert first.link("next") is None and first.link("prev") is None

        second = show(client, private, f"ids={ids}&page=2")

        assert second.status == 200
        assert paging(only_list_call(private)) == (25, 26)
        assert second.table is None
        assert second.empty_title == "There is no page 2"
        assert query_of(second.empty_link()) == [("ids", " ".join(wanted))]

    def test_one_row_more_than_a_page(self, signed_in, private):
        client = signed_in
        wanted = ids_of(api_rows(private, limit=26))
        ids = quote(",".join(wanted))

        first = show(client, private, f"ids={ids}")

        assert len(first.rows) == 25
        assert first.row_ids == wanted[:25]
        assert first.link("prev") is None
        following = first.link("next")
        assert sorted(query_of(following)) == [("ids", ",".join(wanted)), ("page", "2")]

        second = show(client, private, following.lstrip("?"))

        assert second.status == 200
        assert paging(only_list_call(private)) == (25, 26)
        assert "limit=26" in only_list_call(private)["query"]
        assert second.row_ids == wanted[25:]
        assert second.showing == "Showing 26–26"
        assert second.link("next") is None
        assert sorted(query_of(second.link("prev"))) == [("ids", ",".join(wanted)), ("page", "1")]

    def test_every_row_then_past_the_end_then_nothing_at_all(self, signed_in, private):
        client = signed_in
        everything = ids_of(api_rows(private))
        assert len(everything) == 30

        first = show(client, private)
        second = show(client, private, "page=2")
        third = show(client, private, "page=3")

        assert first.row_ids + second.row_ids == everything
        assert second.showing == "Showing 26–30"
        assert third.status == 200
        assert third.empty_title == "There is no page 3"
        assert third.empty_link() in ("?", "")

        for row_id in everything:
            delete_row(private, row_id)
        empty = show(client, private)

        assert empty.status == 200
        assert empty.table is None
        assert empty.empty_title == "No phone connections yet"


# --- Page sizes and page numbers ---------------------------------------------------------------


class TestPageSizes:
    @pytest.mark.parametrize("per_page", [25, 50, 100])
    def test_each_size_asks_for_one_row_more_than_it_shows(self, signed_in, log, per_page):
        page = show(signed_in, log, f"per_page={per_page}&page=2&sort=name")

        assert page.status == 200
        assert paging(only_list_call(log)) == (per_page, per_page + 1)
        assert page.row_ids == ids_of(api_rows(log, sort="name", limit=per_page, offset=per_page))
        assert page.showing == f"Showing {per_page + 1}–{per_page + len(page.rows)}"
        sizes = page.page_sizes
        assert set(sizes) == {"25", "50", "100"}
        assert sizes[str(per_page)] is None
        for size, link in sizes.items():
            if link is not None:
                assert sorted(query_of(link)) == [("per_page", size), ("sort", "name")]

    def test_default_size_is_25(self, signed_in, log):
        page = show(signed_in, log)

        assert len(page.rows) == 25
        assert page.page_sizes["25"] is None

    def test_page_three_shows_rows_51_to_75(self, signed_in, log):
        page = show(signed_in, log, "page=3&name=e")

        call = only_list_call(log)
        assert paging(call) == (50, 26)
        assert "offset=50&limit=26" in call["query"]
        total = len(api_rows(log, [("name", "e")]))
        assert total > 75, "the seeded rows have enough names with an e"
        assert page.showing == "Showing 51–75"
        assert sorted(query_of(page.link("prev"))) == [("name", "e"), ("page", "2")]
        assert sorted(query_of(page.link("next"))) == [("name", "e"), ("page", "4")]


class TestPastTheEnd:
    def test_is_a_friendly_empty_state_with_a_way_back(self, signed_in, log):
        page = show(signed_in, log, "page=999&sort=phone&name=e")

        assert page.status == 200
        assert page.table is None
        assert page.empty_title == "There is no page 999"
        assert sorted(query_of(page.empty_link())) == [("name", "e"), ("sort", "phone")]
        call = only_list_call(log)
        assert call["status"] == 200
        assert paging(call) == (998 * 25, 26)

        back = show(signed_in, log, page.empty_link().lstrip("?"))
        assert back.status == 200 and back.rows

    def test_the_last_reachable_page_number(self, signed_in, log):
        page = show(signed_in, log, "page=1000000&per_page=100")

        assert page.status == 200
        assert page.empty_title == "There is no page 1000000"
        assert paging(only_list_call(log)) == (999_999 * 100, 101)


def test_no_list_request_is_repeated_within_a_view(signed_in, log):
    """Rendering a page never reads the rows a second time (no count, no re-fetch)."""
    show(signed_in, log, "sort=name&page=2")
    show(signed_in, log, "sort=name&page=2")

    assert len(list_calls(log)) == 1


class TestASortTheApiRejects:
    """The fields the API sorts by are an assumption: when it refuses one, the list says so
    and offers its default order instead of failing."""

    def test_the_list_shows_the_apis_message_and_a_link_to_the_default_order(
        self, viewer_client, gateway
    ):
        gateway.fail(
            "GET", "/phoneConnections", error_reply(400, "Invalid sort field: phoneNumber")
        )
        url = f"{LIST_URL}?name=line&sort=-phone&page=2"

        response = viewer_client.get(url)

        page = Page(response)
        assert page.status == 400
        alert = page.doc.one("div", class_="alert-error")
        assert "Galtea cannot sort this list this way." in alert.text
        assert "Invalid sort field: phoneNumber" in alert.text
        (link,) = [a for a in alert.find_all("a")]
        assert link.attrs["href"] == "?name=line"
        assert page.doc.find("section", class_="problem") is None, "the list, not an error page"

    def test_another_rejection_is_still_an_error_page(self, viewer_client, gateway):
        gateway.fail("GET", "/phoneConnections", error_reply(400, "Invalid limit"))

        response = viewer_client.get(f"{LIST_URL}?sort=-phone")

        assert response.status_code == 400
        assert Page(response).doc.find("section", class_="problem") is not None

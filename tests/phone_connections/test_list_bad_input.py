"""Malformed list URLs: never a server error, always a readable answer.

A malformed value gives status 400 with its message in the alert at the top and next to its
field, keeps what was typed in the form, and the table still shows what the valid part of
the URL asks for (every case carries a valid product filter, which must still reach the
API). A value that is simply ignored gives 200.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from urllib.parse import parse_qs, urlencode

import pytest

from tests.phone_connections.pages import (
    LIST_URL,
    ListPage,
    api_rows,
    list_calls,
    products,
    query_of,
)


@dataclass(frozen=True)
class Case:
    id: str
    params: list[tuple[str, str]]
    field: str | None  # the form field the message belongs to; None: sort, page, page size
    message: str | None  # part of the message; None: any message next to the field
    statuses: tuple[int, ...] = (400,)
    time_zone: str = "UTC"
    kept: bool = True  # whether the form can show the typed value back
    carries_product: bool = True  # whether the case adds the valid product filter


def five_thousand(char: str) -> str:
    return char * 5000


REJECTED = [
    Case("date-not-a-date", [("created_from", "yesterday")], "created_from", "Enter a date"),
    Case("date-impossible", [("created_to", "2025-02-30T10:00")], "created_to", "Enter a date"),
    Case("date-month-13", [("created_from", "2025-13-01T00:00")], "created_from", "Enter a date"),
    Case(
        "date-range-reversed",
        [("created_from", "2025-06-01T00:00"), ("created_to", "2025-01-01T00:00")],
        "created_to",
        "before",
    ),
    Case(
        "date-in-a-clock-change-gap",
        [("created_from", "2025-03-30T02:30")],
        "created_from",
        "Europe/Madrid",
        time_zone="Europe/Madrid",
    ),
    Case(
        "unknown-product",
        [("product", "prod_doesnotexist")],
        "product",
        "prod_doesnotexist",
        kept=False,
        carries_product=False,
    ),
    Case("page-negative", [("page", "-3")], None, "The page must be 1 or more."),
    Case("page-zero", [("page", "0")], None, "The page must be 1 or more."),
    Case("page-word", [("page", "abc")], None, "The page must be a whole number."),
    Case("page-fraction", [("page", "1.5")], None, "The page must be a whole number."),
    Case("page-huge", [("page", "9" * 40)], None, "That page is too far."),
    Case("per-page-huge", [("per_page", "10000")], None, "not 10000"),
    Case("per-page-not-offered", [("per_page", "30")], None, "Show 25, 50 or 100 rows"),
    Case("per-page-negative", [("per_page", "-25")], None, "Show 25, 50 or 100 rows"),
    Case("sort-unknown-column", [("sort", "colour")], None, "cannot be sorted by “colour”"),
    Case("sort-unsortable-column", [("sort", "voice")], None, "cannot be sorted by “voice”"),
    Case("sort-api-field-name", [("sort", "createdAt")], None, "cannot be sorted"),
    Case("sort-bare-minus", [("sort", "-")], None, "cannot be sorted"),
    Case("long-search", [("q", five_thousand("x"))], "q", "at most 200 characters"),
    Case("long-name", [("name", five_thousand("n"))], "name", "at most 200 characters"),
    Case("long-phone", [("phone", five_thousand("1"))], "phone", "at most 200 characters"),
    Case("long-ids", [("ids", five_thousand("i"))], "ids", "An id has only"),
    Case("long-phones", [("phones", five_thousand("7"))], "phones", "Not valid"),
    Case("long-date", [("created_to", five_thousand("2"))], "created_to", "Enter a date"),
    Case("long-sort", [("sort", five_thousand("s"))], None, "cannot be sorted"),
    Case(
        "long-product",
        [("product", five_thousand("p"))],
        "product",
        "There is no product",
        kept=False,
        carries_product=False,
    ),
    # 5,000 accented letters are a 30 KB URL once percent-encoded: over the API's limit.
    Case("long-exact-names", [("names", five_thousand("é"))], "names", None),
    Case(
        "many-long-exact-names",
        [("names", "\n".join(f"{'Support line ' * 7}{i}" for i in range(200)))],
        "names",
        None,
    ),
    Case(
        "too-many-ids",
        [("ids", " ".join(f"phoneConnection_{i}" for i in range(201)))],
        "ids",
        "At most 200 values at once (you gave 201).",
    ),
    Case(
        "too-many-products",
        [("product", f"prod_{number}") for number in range(51)],
        "product",
        "At most 50 values at once (you gave 51).",
        kept=False,
        carries_product=False,
    ),
    Case("id-with-a-slash", [("ids", "phoneConnection/1")], "ids", "An id has only"),
    Case("phone-not-a-number", [("phones", "+1 415 555 2671\n555")], "phones", "555"),
    Case("phone-without-country", [("phones", "912345678")], "phones", "912345678"),
    Case("phone-impossible", [("phones", "+34 1")], "phones", "+34 1"),
    Case("search-and-phone-both", [("q", "+44 20"), ("phone", "+34")], "q", "use one"),
    Case("search-and-name-both", [("q", "billing"), ("name", "line")], "q", "use one"),
    Case("null-character", [("q", "bad\x00value")], "q", "Null characters", kept=False),
    Case("null-character-in-names", [("names", "a\x00b")], "names", "Null", kept=False),
    # Valid dates whose UTC form lies outside what a datetime can hold, or needs a
    # four-digit year: a clear answer (200 or 400), never a server error or the API's 400.
    Case(
        "far-future-west-of-utc",
        [("created_to", "9999-12-31T23:59")],
        "created_to",
        None,
        statuses=(200, 400),
        time_zone="America/New_York",
    ),
    Case(
        "year-one-east-of-utc",
        [("created_from", "0001-01-01T00:00")],
        "created_from",
        None,
        statuses=(200, 400),
        time_zone="Asia/Tokyo",
    ),
    Case(
        "year-one",
        [("created_from", "0001-01-01T00:00")],
        "created_from",
        None,
        statuses=(200, 400),
    ),
]

IGNORED = [
    Case("unknown-parameter", [("colour", "red")], None, None, statuses=(200,)),
    Case("repeated-name", [("name", "a"), ("name", "e")], "name", None, statuses=(200,)),
    Case("repeated-page-size", [("per_page", "50"), ("per_page", "100")], None, None, (200,)),
    Case("repeated-sort", [("sort", "name"), ("sort", "-phone")], None, None, statuses=(200,)),
    Case(
        "repeated-date",
        [("created_from", "2025-01-01T00:00"), ("created_from", "2025-02-01T00:00")],
        "created_from",
        None,
        statuses=(200,),
    ),
]


@pytest.fixture(scope="module")
def product(emulator) -> dict:
    """The valid product filter every case carries: the one with the most connections."""
    counts = Counter(row["productId"] for row in api_rows(emulator))
    return next(p for p in products(emulator) if p["id"] == counts.most_common(1)[0][0])


@pytest.fixture
def visitor(signed_in):
    """A server error is answered as a 500 page here, so the test can say which case failed."""
    signed_in.raise_request_exception = False
    return signed_in


def show(client, emulator, params: list[tuple[str, str]]) -> ListPage:
    emulator.clear_request_log()
    return ListPage(client.get(f"{LIST_URL}?{urlencode(params)}"))


def sent(emulator) -> dict[str, list[str]]:
    calls = list_calls(emulator)
    assert len(calls) <= 1, calls
    return parse_qs(calls[0]["query"]) if calls else {}


def typed(case: Case) -> str:
    return [value for key, value in case.params if key == case.field][-1]


@pytest.mark.parametrize("case", REJECTED, ids=lambda case: case.id)
def test_a_malformed_value_is_explained_and_the_rest_still_applies(
    visitor, log, settings, product, case
):
    settings.TIME_ZONE = case.time_zone
    carried = [("product", product["id"])] if case.carries_product else []

    page = show(visitor, log, [*case.params, *carried])

    assert page.status in case.statuses, page.title
    assert page.h1 == "Phone connections"
    if page.status == 400:
        assert page.alert_messages
        if case.message is not None:
            assert any(case.message in message for message in page.alert_messages)
    if case.field is not None:
        if page.status == 400:
            errors = page.field_errors(case.field)
            assert errors
            if case.message is not None:
                assert any(case.message in error for error in errors)
        if case.kept:
            assert page.value(case.field) == typed(case)
    if case.carries_product:
        assert page.value("product") == [product["id"]]
        calls = list_calls(log)
        if case.field == "ids":
            assert page.rows == []  # a broken id list must not widen to every row
        else:
            assert len(calls) == 1 and calls[0]["status"] == 200
            assert sent(log)["productIds[]"] == [product["id"]]
            assert set(page.column("Product")) <= {product["name"]}


@pytest.mark.parametrize("case", IGNORED, ids=lambda case: case.id)
def test_a_value_that_cannot_matter_is_ignored(visitor, log, product, case):
    page = show(visitor, log, [*case.params, ("product", product["id"])])

    assert page.status == 200
    assert page.alert_messages == []
    assert page.rows
    received = sent(log)
    assert received["productIds[]"] == [product["id"]]
    assert "colour" not in received
    for key in ("name", "fromCreatedAt", "limit", "offset"):
        assert len(received.get(key, [])) <= 1
    assert len(received["sort[]"]) in (2, 4)


class TestWhatTheApiReceivesInstead:
    def test_a_bad_page_falls_back_to_the_first(self, visitor, log):
        show(visitor, log, [("page", "abc")])

        assert sent(log)["offset"] == ["0"]

    def test_a_bad_page_size_falls_back_to_25(self, visitor, log):
        page = show(visitor, log, [("per_page", "10000")])

        assert sent(log)["limit"] == ["26"]
        assert len(page.rows) == 25

    def test_a_bad_sort_falls_back_to_newest_first(self, visitor, log):
        page = show(visitor, log, [("sort", "colour")])

        assert sent(log)["sort[]"] == ["createdAt", "desc"]
        assert page.header("Created (UTC)").attrs["aria-sort"] == "descending"

    def test_a_reversed_date_range_keeps_its_start(self, visitor, log):
        page = show(
            visitor, log, [("created_from", "2025-06-01T00:00"), ("created_to", "2025-01-01T00:00")]
        )

        assert page.status == 400
        assert sent(log)["fromCreatedAt"] == ["2025-06-01T00:00:00.000Z"]
        assert "toCreatedAt" not in sent(log)

    def test_a_malformed_id_list_asks_nothing(self, visitor, log):
        page = show(visitor, log, [("ids", "phoneConnection/1")])

        assert page.status == 400
        assert list_calls(log) == []
        assert page.rows == []

    def test_an_unknown_product_beside_a_known_one_keeps_the_known_one(self, visitor, log, product):
        page = show(visitor, log, [("product", product["id"]), ("product", "prod_doesnotexist")])

        assert page.status == 400
        assert any("prod_doesnotexist" in e for e in page.field_errors("product"))
        assert sent(log).get("productIds[]") == [product["id"]]
        assert set(page.column("Product")) <= {product["name"]}


class TestClearing:
    def test_clear_leads_to_a_valid_page_even_after_a_bad_sort(self, visitor, log):
        page = show(visitor, log, [("name", "no such line at all"), ("sort", "bogus")])
        assert page.status == 400
        assert page.empty_title == "No phone connections match these filters"

        cleared = visitor.get(LIST_URL + page.empty_link())

        assert cleared.status_code == 200
        assert ("sort", "bogus") not in query_of(page.empty_link())

    def test_clear_keeps_a_valid_sort_and_page_size(self, visitor, log):
        page = show(
            visitor, log, [("name", "no such line"), ("sort", "-phone"), ("per_page", "50")]
        )

        assert sorted(query_of(page.empty_link())) == [("per_page", "50"), ("sort", "-phone")]


def test_many_repeated_keys_never_fail(visitor, log, product):
    response = visitor.get(f"{LIST_URL}?{urlencode([('product', product['id'])] * 500)}&name=e")

    assert response.status_code == 302
    page = ListPage(visitor.get(response.url))
    assert page.status == 200
    assert page.h1 == "Phone connections"


class TestRepeatedValues:
    def test_a_value_repeated_a_hundred_times_counts_once_and_the_page_stays_small(
        self, visitor, log, product
    ):
        once = visitor.get(f"{LIST_URL}?{urlencode({'product': product['id']})}")

        response = visitor.get(f"{LIST_URL}?{urlencode([('product', product['id'])] * 130)}")

        assert response.status_code == 302
        assert response.url == f"{LIST_URL}?{urlencode({'product': product['id']})}"
        log.clear_request_log()
        page = ListPage(visitor.get(response.url))
        assert page.status == 200
        assert abs(len(page.html) - len(once.content.decode())) < 200
        assert page.value("product") == [product["id"]]
        assert sent(log)["productIds[]"] == [product["id"]]

    def test_more_distinct_values_than_a_filter_takes_are_reported_and_the_page_stays_small(
        self, visitor, log, product
    ):
        params = [("product", product["id"])]
        params += [("product", f"prod_unknown_{number:03d}") for number in range(129)]

        page = show(visitor, log, params)

        assert page.status == 400
        assert any("At most 50 values at once (you gave 130)." in m for m in page.alert_messages)
        assert page.field_errors("product") == ["At most 50 values at once (you gave 130)."]
        assert sent(log)["productIds[]"] == [product["id"]]  # the rest still applies
        # A chip for what applied: the one known product.
        chips = page.doc.find_all("li", class_="chip")
        assert [chip.text.split("×")[0].strip() for chip in chips] == [
            f"Product: {product['name']}"
        ]
        # The URL is in each row's link and a few of the page's own, not in every chip.
        assert page.html.count("prod_unknown_128") <= len(page.rows) + 15


class TestChipsShowWhatApplied:
    """A chip exists only for a filter the list applied; refused input is named at its
    field and in the banner instead."""

    def chips(self, page) -> list[str]:
        return [chip.text.split("×")[0].strip() for chip in page.doc.find_all("li", class_="chip")]

    def test_exact_numbers_with_one_bad_one_have_no_chip(self, visitor, log):
        page = show(visitor, log, [("phones", "+14155552671\n12")])

        assert page.status == 400
        assert page.field_errors("phones")
        assert self.chips(page) == []
        assert "phoneNumbers[]" not in sent(log)

    def test_a_reversed_date_range_has_a_chip_for_its_start_only(self, visitor, log):
        params = [("created_from", "2026-03-01T10:00"), ("created_to", "2026-02-01T10:00")]

        page = show(visitor, log, params)

        assert page.status == 400
        assert [chip.split(":")[0] for chip in self.chips(page)] == ["Created from"]
        assert "toCreatedAt" not in sent(log)

    def test_an_unknown_product_has_no_chip(self, visitor, log):
        page = show(visitor, log, [("product", "nope")])

        assert page.status == 400
        assert self.chips(page) == []

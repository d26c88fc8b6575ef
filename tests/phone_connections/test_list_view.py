"""The phone-connection list: what each row shows, and each filter as the API receives it.

Pages are requested with a signed-in test client from an admin pointed at the session
emulator. Each test checks both sides: the rows a person sees, and the one request the API
received (from the emulator's request log). The rows a page must show are computed by
asking the API directly with the same parameters, so rows other tests add do not matter.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, quote, urlsplit
from zoneinfo import ZoneInfo

import phonenumbers
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.phone_connections.pages import (
    COLUMNS,
    LIST_URL,
    ListPage,
    api_rows,
    list_calls,
    only_list_call,
    products,
    query_of,
    sort_query,
    unique_name,
)

# Rows this far apart never share the minute a date-time picker rounds them to.
MINUTES_APART = timedelta(minutes=2)


def show(client, emulator, query: str = "") -> ListPage:
    """The list page for `?query`, with the emulator's log holding only this view's requests."""
    emulator.clear_request_log()
    return ListPage(client.get(LIST_URL + (f"?{query}" if query else "")))


def sent(call: dict) -> dict[str, list[str]]:
    """The parameters the API received, decoded, each key with its values in order."""
    return parse_qs(call["query"], keep_blank_values=True)


def ids_of(rows: list[dict]) -> list[str]:
    return [row["id"] for row in rows]


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture(scope="module")
def catalog(emulator) -> dict[str, str]:
    """Product id → name, as the API lists them."""
    return {product["id"]: product["name"] for product in products(emulator)}


@pytest.fixture
def newest(emulator) -> list[dict]:
    """The 30 newest rows, as the API sorts them by default for the admin."""
    return api_rows(emulator, limit=30)


# --- Rendering -------------------------------------------------------------------------------


class TestDefaultPage:
    def test_first_page_shows_the_25_newest_rows_from_one_request(self, signed_in, log):
        page = show(signed_in, log)

        assert page.status == 200
        assert page.h1 == "Phone connections"
        assert page.column_names == COLUMNS
        call = only_list_call(log)
        assert call["status"] == 200
        assert call["query"] == "sort[]=createdAt&sort[]=desc&offset=0&limit=26"
        assert page.row_ids == ids_of(api_rows(log, limit=25))
        assert page.showing == "Showing 1–25"

    def test_each_name_links_to_its_detail_page(self, signed_in, log, newest):
        page = show(signed_in, log)

        by_id = {row["id"]: row for row in newest}
        for row in page.rows:
            link = row["Name"].one("a")
            connection_id = link.attrs["href"].split("/")[2]
            assert urlsplit(link.attrs["href"]).path == f"/phone-connections/{connection_id}/"
            assert link.text == by_id[connection_id]["name"]

    def test_seeded_rows_read_as_a_person_expects(self, signed_in, log, newest, catalog):
        page = show(signed_in, log)

        voices = {"sarah": "Sarah (en-GB)", "theo": "Theo (en-GB)"}
        voices |= {"megan": "Megan (en-US)", "jack": "Jack (en-US)", None: "Sarah (default)"}
        for shown, row in zip(page.rows, newest, strict=False):
            assert shown["Product"].text == catalog[row["productId"]]
            assert shown["Product"].one("span").attrs["title"] == row["productId"]
            number = phonenumbers.parse(row["phoneNumber"])
            international = phonenumbers.format_number(
                number, phonenumbers.PhoneNumberFormat.INTERNATIONAL
            )
            phone = shown["Phone number"].one("span", class_="phone")
            assert phone.text == international
            assert phone.attrs["title"] == row["phoneNumber"]
            assert shown["Voice"].text == voices[row["voice"]]
            assert shown["Language"].text == (row["languageCode"] or "—")
            assert shown["Speaks first"].text == ("Agent" if row["agentSpeaksFirst"] else "Caller")

    def test_the_sorted_header_says_so(self, signed_in, log):
        page = show(signed_in, log)

        assert page.header("Created (UTC)").attrs["aria-sort"] == "descending"
        for name in COLUMNS[:-1]:
            assert "aria-sort" not in page.header(name).attrs


class TestCellFormatting:
    """Rows made for this test, with every kind of value a cell can hold."""

    @pytest.fixture
    def made(self, emulator, make_row):
        prefix = unique_name("Formatting")
        first, second = products(emulator)[:2]
        rows = {
            "jack": make_row(
                name=f"{prefix} jack",
                productId=first["id"],
                phoneNumber="+34912345678",
                voice="jack",
                languageCode="en-US",
                agentSpeaksFirst=True,
            ),
            "default": make_row(
                name=f"{prefix} default",
                productId=second["id"],
                phoneNumber="+14155552671",
            ),
            "markup": make_row(
                name=f"{prefix} <b>bold</b> & <script>alert(1)</script>",
                productId=first["id"],
                phoneNumber="+442079460958",
                voice="megan",
                languageCode="es-ES",
            ),
        }
        return prefix, rows, {first["id"]: first["name"], second["id"]: second["name"]}

    def test_cells(self, signed_in, log, made, settings):
        settings.TIME_ZONE = "Europe/Madrid"
        prefix, rows, names = made

        page = show(signed_in, log, "name=" + quote(prefix))

        assert page.status == 200
        shown = dict(zip(page.row_ids, page.rows, strict=True))
        assert set(shown) == {row["id"] for row in rows.values()}

        jack = shown[rows["jack"]["id"]]
        assert jack["Name"].text == f"{prefix} jack"
        assert jack["Product"].text == names[rows["jack"]["productId"]]
        assert jack["Product"].one("span").attrs["title"] == rows["jack"]["productId"]
        assert jack["Phone number"].text == "+34 912 34 56 78 Spain"
        assert jack["Phone number"].one("span", class_="phone").attrs["title"] == "+34912345678"
        assert jack["Voice"].text == "Jack (en-US)"
        assert jack["Language"].text == "en-US"
        assert jack["Speaks first"].text == "Agent"

        default = shown[rows["default"]["id"]]
        assert default["Phone number"].text == "+1 415-555-2671 United States"
        assert default["Voice"].text == "Sarah (default)"
        assert default["Language"].text == "—"
        assert default["Speaks first"].text == "Caller"

        markup = shown[rows["markup"]["id"]]
        assert markup["Name"].text == f"{prefix} <b>bold</b> & <script>alert(1)</script>"
        assert markup["Name"].find("b") is None and markup["Name"].find("script") is None
        assert "<script>alert(1)</script>" not in page.html
        assert markup["Voice"].text == "Megan (en-US)"
        assert markup["Phone number"].text == "+44 20 7946 0958 United Kingdom"

    def test_created_is_local_time_with_the_exact_utc_time_on_hover(
        self, signed_in, log, made, settings
    ):
        settings.TIME_ZONE = "Europe/Madrid"
        prefix, rows, _ = made

        page = show(signed_in, log, "name=" + quote(prefix))

        shown = dict(zip(page.row_ids, page.rows, strict=True))
        for row in rows.values():
            created = moment(row["createdAt"])
            local = created.astimezone(ZoneInfo("Europe/Madrid"))
            time = shown[row["id"]]["Created (Europe/Madrid)"].one("time")
            assert time.text == f"{local.day} {local:%b %Y, %H:%M}"
            assert time.attrs["title"].endswith("UTC")
            assert f"{created:%Y-%m-%d %H:%M:%S}" in time.attrs["title"]
            assert moment(time.attrs["datetime"]) == created


# --- Filters, one at a time, as the API receives them ----------------------------------------


class TestFilters:
    def test_one_product(self, signed_in, log, catalog):
        product_id = next(iter(catalog))

        page = show(signed_in, log, f"product={product_id}")

        assert page.status == 200
        call = only_list_call(log)
        assert f"productIds[]={product_id}&" in call["query"]
        assert sent(call)["productIds[]"] == [product_id]
        assert page.row_ids == ids_of(api_rows(log, [("productIds[]", product_id)], limit=25))
        assert set(page.column("Product")) == {catalog[product_id]}
        assert page.value("product") == [product_id]

    def test_several_products_as_a_repeated_key(self, signed_in, log, catalog):
        first, second = list(catalog)[:2]

        page = show(signed_in, log, f"product={first}&product={second}")

        call = only_list_call(log)
        assert f"productIds[]={first}&productIds[]={second}" in call["query"]
        expected = api_rows(log, [("productIds[]", first), ("productIds[]", second)], limit=25)
        assert page.row_ids == ids_of(expected)
        assert set(page.column("Product")) <= {catalog[first], catalog[second]}
        assert sorted(page.value("product")) == sorted([first, second])

    def test_name_contains_ignores_case(self, signed_in, log, newest):
        word = newest[0]["name"].split()[0].upper()

        page = show(signed_in, log, f"name={quote(word)}")

        call = only_list_call(log)
        assert sent(call)["name"] == [word]
        expected = api_rows(log, [("name", word)], limit=25)
        assert expected and page.row_ids == ids_of(expected)
        assert all(word.casefold() in name.casefold() for name in page.column("Name"))
        assert page.value("name") == word

    def test_exact_names_one_per_line(self, signed_in, log, newest):
        first = newest[3]["name"]
        second = next(row["name"] for row in newest[7:] if row["name"] != first)

        page = show(signed_in, log, "names=" + quote(f"{first}\r\n  {second}  \r\n"))

        call = only_list_call(log)
        assert sent(call)["names[]"] == [first, second]
        expected = api_rows(log, [("names[]", first), ("names[]", second)], limit=25)
        assert page.row_ids == ids_of(expected)
        assert set(page.column("Name")) == {first, second}

    def test_phone_contains_ignores_spaces_dashes_and_brackets(self, signed_in, log, newest):
        number = newest[0]["phoneNumber"]
        typed = f"{number[:3]} ({number[3:6]}) {number[6:8]}-{number[8:10]}"

        page = show(signed_in, log, "phone=" + quote(typed))

        call = only_list_call(log)
        assert f"phoneNumber=%2B{number[1:10]}&" in call["query"]
        assert sent(call)["phoneNumber"] == [number[:10]]
        expected = api_rows(log, [("phoneNumber", number[:10])], limit=25)
        assert newest[0]["id"] in page.row_ids
        assert page.row_ids == ids_of(expected)
        for row in page.rows:
            assert number[:10] in row["Phone number"].one("span", class_="phone").attrs["title"]
        assert page.value("phone") == typed

    def test_exact_phone_numbers_are_sent_as_e164(self, signed_in, log, newest):
        first = newest[1]["phoneNumber"]
        other = next(row for row in newest[5:] if row["phoneNumber"] != first)
        second = other["phoneNumber"]
        spaced = phonenumbers.format_number(
            phonenumbers.parse(first), phonenumbers.PhoneNumberFormat.INTERNATIONAL
        )
        typed = f"{spaced}\r\n00{second[1:]}"

        page = show(signed_in, log, "phones=" + quote(typed))

        assert page.status == 200
        call = only_list_call(log)
        assert f"phoneNumbers[]=%2B{first[1:]}&phoneNumbers[]=%2B{second[1:]}&" in call["query"]
        expected = ids_of(api_rows(log, [("phoneNumbers[]", first), ("phoneNumbers[]", second)]))
        assert {newest[1]["id"], other["id"]} <= set(expected)
        assert page.row_ids == expected[:25]

    def test_ids_separated_by_spaces_commas_and_lines(self, signed_in, log, newest):
        wanted = [newest[2]["id"], newest[9]["id"], newest[4]["id"]]

        page = show(signed_in, log, "ids=" + quote(f"{wanted[0]} {wanted[1]},\n{wanted[2]}"))

        assert page.status == 200
        call = only_list_call(log)
        assert sent(call)["ids[]"] == wanted
        assert page.row_ids == [newest[2]["id"], newest[4]["id"], newest[9]["id"]]

    def test_created_range_is_sent_in_utc(self, signed_in, log, settings):
        settings.TIME_ZONE = "Europe/Madrid"
        madrid = ZoneInfo("Europe/Madrid")
        rows = api_rows(log)
        newer = moment(rows[5]["createdAt"])
        older_row = next(r for r in rows[20:] if moment(r["createdAt"]) < newer - MINUTES_APART)
        start = moment(older_row["createdAt"]).astimezone(madrid).replace(second=0, microsecond=0)
        end = newer.astimezone(madrid).replace(second=0, microsecond=0)
        typed_start, typed_end = f"{start:%Y-%m-%dT%H:%M}", f"{end:%Y-%m-%dT%H:%M}"

        page = show(signed_in, log, f"created_from={typed_start}&created_to={typed_end}")

        assert page.status == 200
        call = only_list_call(log)
        utc_start = f"{start.astimezone(UTC):%Y-%m-%dT%H:%M}:00.000Z"
        # "Created to 14:30" includes the whole minute the picker shows.
        utc_end = f"{end.astimezone(UTC):%Y-%m-%dT%H:%M}:59.999Z"
        assert sent(call)["fromCreatedAt"] == [utc_start]
        assert sent(call)["toCreatedAt"] == [utc_end]
        assert f"fromCreatedAt={utc_start.replace(':', '%3A')}" in call["query"]
        expected = ids_of(api_rows(log, [("fromCreatedAt", utc_start), ("toCreatedAt", utc_end)]))
        assert older_row["id"] in expected
        assert page.row_ids == expected[:25]
        for row in page.rows:
            shown = moment(row["Created (Europe/Madrid)"].one("time").attrs["datetime"])
            assert start <= shown <= end + timedelta(minutes=1)
        assert page.value("created_from") == typed_start
        assert page.value("created_to") == typed_end

    def test_filters_combine(self, signed_in, log, catalog, newest):
        product_id = newest[0]["productId"]
        word = newest[0]["name"].split()[0]

        page = show(signed_in, log, f"product={product_id}&name={quote(word)}&sort=name")

        call = only_list_call(log)
        assert sent(call)["productIds[]"] == [product_id]
        assert sent(call)["name"] == [word]
        assert "sort[]=name&sort[]=asc&sort[]=createdAt&sort[]=desc" in call["query"]
        expected = ids_of(
            api_rows(log, [("productIds[]", product_id), ("name", word)], sort="name")
        )
        assert newest[0]["id"] in expected
        assert page.row_ids == expected[:25]


class TestQuickSearch:
    def test_a_phone_number_searches_numbers(self, signed_in, log, newest):
        number = newest[0]["phoneNumber"]
        typed = f"{number[:3]} {number[3:7]}"

        page = show(signed_in, log, "q=" + quote(typed))

        call = only_list_call(log)
        assert f"phoneNumber=%2B{number[1:7]}&" in call["query"]
        assert "name" not in sent(call)
        assert newest[0]["id"] in page.row_ids
        assert page.row_ids == ids_of(api_rows(log, [("phoneNumber", number[:7])], limit=25))
        assert page.value("q") == typed

    def test_digits_without_a_plus_search_numbers_too(self, signed_in, log, newest):
        digits = newest[0]["phoneNumber"][-4:]

        page = show(signed_in, log, f"q={digits[:2]}-{digits[2:]}")

        call = only_list_call(log)
        assert sent(call)["phoneNumber"] == [digits]
        assert newest[0]["id"] in page.row_ids

    def test_anything_else_searches_names(self, signed_in, log, newest):
        word = newest[0]["name"].split()[0].lower()

        page = show(signed_in, log, f"q={quote(word)}")

        call = only_list_call(log)
        assert sent(call)["name"] == [word]
        assert "phoneNumber" not in sent(call)
        assert page.row_ids == ids_of(api_rows(log, [("name", word)], limit=25))
        assert page.value("q") == word

    def test_the_search_box_is_submitted_with_the_filters(self, signed_in, log):
        """Search and Apply submit the filter form, so the search box must belong to it."""
        page = show(signed_in, log, "q=billing")

        (search_box,) = page.controls("q")
        in_form = page.filter_form in search_box.ancestors()
        assert in_form or search_box.attrs.get("form") == "filter-form"


# --- Chips, clearing and the URL as the state --------------------------------------------------


class TestChips:
    def test_each_active_filter_is_a_chip_that_removes_only_itself(self, signed_in, log, catalog):
        first, second = list(catalog)[:2]
        query = f"name=line&product={first}&product={second}&sort=name&per_page=50&page=2"

        page = show(signed_in, log, query)

        assert page.chip_count == "3 active filters"
        chips = {(chip.label, chip.value): chip.remove_url for chip in page.chips}
        assert set(chips) == {
            ("Name contains", "line"),
            ("Product", catalog[first]),
            ("Product", catalog[second]),
        }
        keep = [("sort", "name"), ("per_page", "50")]
        assert sorted(query_of(chips[("Name contains", "line")])) == sorted(
            [("product", first), ("product", second), *keep]
        )
        assert sorted(query_of(chips[("Product", catalog[first])])) == sorted(
            [("name", "line"), ("product", second), *keep]
        )

    def test_a_removed_chip_leads_to_the_list_without_that_filter(self, signed_in, log, newest):
        word = newest[0]["name"].split()[0]
        page = show(signed_in, log, f"q={quote(word)}&created_from=2020-01-01T00:00")
        chip = next(c for c in page.chips if c.label == "Created from")
        assert chip.value == "2020-01-01 00:00"

        after = show(signed_in, log, chip.remove_url.lstrip("?"))

        assert after.status == 200
        assert [c.label for c in after.chips] == ["Search"]
        assert "fromCreatedAt" not in sent(only_list_call(log))

    def test_no_filters_no_chips(self, signed_in, log):
        page = show(signed_in, log, "sort=name&per_page=50")

        assert page.chips == []
        assert page.chip_count is None


class TestApplyingFilters:
    def test_the_form_carries_the_sort_and_page_size_but_not_the_page(self, signed_in, log):
        page = show(signed_in, log, "sort=-phone&per_page=100&page=2&name=e")

        form = page.filter_form
        assert form.attrs.get("method", "get").lower() == "get"
        assert page.hidden_inputs() == [("sort", "-phone"), ("per_page", "100")]
        assert not [el for el in form.iter() if el.attrs.get("name") == "page"]

    def test_defaults_are_not_carried(self, signed_in, log):
        page = show(signed_in, log, "sort=-created&per_page=25")

        assert page.hidden_inputs() == []

    def test_a_bad_sort_is_not_carried(self, signed_in, log):
        page = show(signed_in, log, "sort=colour&per_page=50")

        assert page.hidden_inputs() == [("per_page", "50")]


class TestEmptyParameters:
    @pytest.mark.parametrize(
        ("query", "clean"),
        [
            ("q=&name=", ""),
            ("q=+&sort=name", "sort=name"),
            ("name=line&created_from=&created_to=&page=", "name=line"),
            ("ids=%0A%0A&per_page=50", "per_page=50"),
        ],
    )
    def test_are_redirected_away(self, signed_in, log, query, clean):
        response = signed_in.get(f"{LIST_URL}?{query}")

        assert response.status_code == 302
        target = urlsplit(response["Location"])
        assert target.path == LIST_URL
        assert sorted(query_of(response["Location"])) == sorted(query_of(f"?{clean}"))
        assert list_calls(log) == []

    def test_an_empty_value_beside_a_real_one_is_dropped(self, signed_in, log, catalog):
        product_id = next(iter(catalog))

        response = signed_in.get(f"{LIST_URL}?product=&product={product_id}")

        assert response.status_code == 302
        assert query_of(response["Location"]) == [("product", product_id)]


class TestNoResults:
    def test_says_nothing_matches_and_offers_to_clear(self, signed_in, log):
        name = unique_name("No such line")

        page = show(signed_in, log, f"name={quote(name)}&sort=name&per_page=50")

        assert page.status == 200
        assert page.table is None
        assert page.empty_title == "No phone connections match these filters"
        assert sorted(query_of(page.empty_link())) == [("per_page", "50"), ("sort", "name")]
        assert sent(only_list_call(log))["name"] == [name]

        cleared = show(signed_in, log, page.empty_link().lstrip("?"))
        assert cleared.status == 200
        assert len(cleared.rows) == 50


class TestUrlIsTheState:
    def test_the_same_url_shows_the_same_rows_in_the_same_order(self, signed_in, log):
        query = "sort=phone&page=2&name=e"

        first = show(signed_in, log, query)
        second = show(signed_in, log, query)

        assert first.status == second.status == 200
        assert first.row_ids and first.row_ids == second.row_ids
        assert [r["Phone number"].text for r in first.rows] == [
            r["Phone number"].text for r in second.rows
        ]


class TestStrictIds:
    def test_an_unknown_id_is_a_form_error_and_no_rows(self, signed_in, log, newest):
        known, unknown = newest[0]["id"], "phoneConnection_doesnotexist000"
        typed = f"{known}\n{unknown}"

        page = show(signed_in, log, "ids=" + quote(typed))

        assert page.status == 400
        call = only_list_call(log)
        assert call["status"] == 404
        assert sent(call)["ids[]"] == [known, unknown]
        assert page.rows == []
        assert any(unknown in error for error in page.field_errors("ids"))
        assert all(known not in error for error in page.field_errors("ids"))
        assert any(unknown in message for message in page.alert_messages)
        assert page.value("ids") == typed

    def test_only_unknown_ids_are_reported_after_one_request(self, signed_in, log):
        unknown = ["phoneConnection_doesnotexist001", "phoneConnection_doesnotexist002"]

        page = show(signed_in, log, "ids=" + quote(" ".join(unknown)))

        assert page.status == 400
        call = only_list_call(log)
        assert (call["status"], sent(call)["ids[]"]) == (404, unknown)
        assert page.rows == []
        assert page.field_errors("ids") == [f"Not found: {', '.join(unknown)}."]


# --- Cost and access ---------------------------------------------------------------------------


class TestCost:
    def test_one_upstream_request_per_view_once_lookups_are_cached(self, signed_in, log):
        show(signed_in, log, "sort=name")
        first_view = {r["path"] for r in log.requests_received()}
        assert first_view <= {"/products", "/phoneConnections/voices", "/phoneConnections"}

        for query in ("sort=name&page=2", "name=line", "per_page=100&sort=-phone"):
            page = show(signed_in, log, query)
            assert page.status == 200
            assert [r["path"] for r in log.requests_received()] == ["/phoneConnections"]

    @pytest.mark.parametrize(
        ("query", "offset", "limit", "sort"),
        [
            ("", 0, 26, "-created"),
            ("page=3", 50, 26, "-created"),
            ("per_page=50&page=2&sort=name", 50, 51, "name"),
            ("per_page=100&page=4&sort=-phone&name=e", 300, 101, "-phone"),
            ("sort=created", 0, 26, "created"),
        ],
    )
    def test_exactly_one_request_per_view_for_the_page_and_one_row_more(
        self, signed_in, log, query, offset, limit, sort
    ):
        """One row more than the page tells whether a next page exists, without a count."""
        show(signed_in, log, "sort=name")  # products and voices are cached from here on

        page = show(signed_in, log, query)

        assert page.status == 200
        assert [(r["method"], r["path"]) for r in log.requests_received()] == [
            ("GET", "/phoneConnections")
        ]
        call = only_list_call(log)
        assert call["status"] == 200
        assert sent(call)["offset"] == [str(offset)]
        assert sent(call)["limit"] == [str(limit)]
        assert call["query"].endswith(f"{sort_query(sort)}&offset={offset}&limit={limit}")

    def test_five_small_queries_of_the_admins_own_database_per_view(self, signed_in, log):
        show(signed_in, log, "sort=name")

        with CaptureQueriesContext(connection) as queries:
            page = show(signed_in, log, "sort=name&page=2&name=line")

        assert page.status == 200
        tables = [re.search(r'FROM "(\w+)"', query["sql"]).group(1) for query in queries]
        assert tables == [
            "django_session",  # their session (in the database, which every worker shares)
            "auth_user",  # who is signed in
            "auth_permission",  # their own and their roles' permissions
            "preferences_tableconfig",  # their columns
            "preferences_savedview",  # the saved views they see
        ]


class TestSignedOut:
    def test_is_sent_to_sign_in_and_back_to_the_same_list(self, client, galtea_settings, log):
        full_path = f"{LIST_URL}?q=billing&sort=name&page=2"

        response = client.get(full_path)

        assert response.status_code == 302
        target = urlsplit(response["Location"])
        assert target.path == "/accounts/login/"
        assert parse_qs(target.query)["next"] == [full_path]
        assert log.requests_received() == []

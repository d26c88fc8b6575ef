"""The detail page of one phone connection, against the session emulator.

Each test reads rows it created itself (unique names), so the values shown are known.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import parse_qs, quote, urlsplit
from zoneinfo import ZoneInfo

import pytest

from tests.phone_connections.pages import (
    LIST_URL,
    DetailPage,
    ListPage,
    products,
    unique_name,
)


def detail_url(connection_id: str) -> str:
    return f"/phone-connections/{connection_id}/"


def moment(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


@pytest.fixture
def product(emulator) -> dict:
    return products(emulator)[1]


@pytest.fixture
def full(make_row, product) -> dict:
    """A connection with every optional value set."""
    return make_row(
        name=unique_name("Detail full"),
        productId=product["id"],
        phoneNumber="+34912345678",
        voice="jack",
        languageCode="en-US",
        agentSpeaksFirst=True,
    )


@pytest.fixture
def bare(make_row, product) -> dict:
    """A connection with only the required values."""
    return make_row(
        name=unique_name("Detail bare"),
        productId=product["id"],
        phoneNumber="+14155552671",
    )


class TestFields:
    def test_every_field_reads_as_a_person_expects(self, signed_in, log, full, product):
        page = DetailPage(signed_in.get(detail_url(full["id"])))

        assert page.status == 200
        assert page.h1 == full["name"]
        assert full["name"] in page.title
        assert page.doc.find("p", class_="mono").text == full["id"]
        assert page.detail("Product").text == f"{product['name']} {product['id']}"
        phone = page.detail("Phone number")
        assert phone.one("span", class_="phone").text == "+34 912 34 56 78"
        assert phone.one("span", class_="phone").attrs["title"] == "+34912345678"
        assert phone.one("span", class_="country").text == "Spain"
        assert page.detail("Voice").text == "Jack (en-US)"
        assert page.detail("Language").text == "en-US"
        assert page.detail("Speaks first").text.startswith("Agent")
        created = page.detail("Created (UTC)")
        assert "by API user" in created.text
        assert created.find_all("span", class_="mono")[-1].text == full["userId"]

    def test_values_left_unset_show_their_defaults(self, signed_in, log, bare):
        page = DetailPage(signed_in.get(detail_url(bare["id"])))

        assert page.status == 200
        assert page.detail("Voice").text == "Sarah (default)"
        assert page.detail("Language").text == "—"
        assert page.detail("Speaks first").text.startswith("Caller")
        phone = page.detail("Phone number")
        assert phone.one("span", class_="phone").text == "+1 415-555-2671"
        assert phone.one("span", class_="country").text == "United States"

    def test_markup_in_a_name_is_shown_as_text(self, signed_in, make_row, product):
        name = unique_name("<img src=x onerror=alert(1)> Detail")
        row = make_row(name=name, productId=product["id"])

        page = DetailPage(signed_in.get(detail_url(row["id"])))

        assert page.h1 == name
        assert "<img src=x" not in page.html
        assert page.doc.find("img", src="x") is None

    def test_asks_the_api_for_that_one_connection_and_what_calls_it(self, signed_in, log, full):
        signed_in.get(detail_url(full["id"]))
        log.clear_request_log()

        page = DetailPage(signed_in.get(detail_url(full["id"])))

        assert page.status == 200
        requests = log.requests_received()
        # No version calls a new connection, so there are no calls to ask for.
        assert [(r["method"], r["path"]) for r in requests] == [
            ("GET", f"/phoneConnections/{full['id']}"),
            ("GET", "/versions"),
        ]
        assert f"phoneConnectionIds%5B%5D={full['id']}" in requests[1]["query"]


class TestCreated:
    @pytest.mark.parametrize("zone", ["UTC", "Europe/Madrid", "America/New_York"])
    def test_local_time_with_the_exact_utc_time_on_hover(self, signed_in, full, settings, zone):
        settings.TIME_ZONE = zone
        utc = moment(full["createdAt"])
        local = utc.astimezone(ZoneInfo(zone))

        page = DetailPage(signed_in.get(detail_url(full["id"])))

        time = page.detail(f"Created ({zone})").one("time")
        assert time.text == f"{local.day} {local:%b %Y, %H:%M}"
        assert moment(time.attrs["datetime"]) == utc
        assert time.attrs["title"].endswith("UTC")
        assert f"{utc:%Y-%m-%d %H:%M:%S}" in time.attrs["title"]


class TestNavigation:
    def test_the_list_links_to_the_detail_of_each_row(self, signed_in, log, full):
        listing = ListPage(signed_in.get(f"{LIST_URL}?names={quote(full['name'])}"))
        (row,) = listing.rows
        href = row["Name"].one("a").attrs["href"]
        assert urlsplit(href).path == detail_url(full["id"])

        page = DetailPage(signed_in.get(href))

        assert page.status == 200
        assert page.h1 == full["name"]

    def test_the_way_back_is_the_list_as_it_was_left(self, signed_in, full):
        left = f"{LIST_URL}?sort=name&page=2"

        page = DetailPage(signed_in.get(detail_url(full["id"]) + "?next=" + quote(left)))

        back = page.doc.one("nav", class_="breadcrumbs").find("a")
        assert back.attrs["href"] == left

    @pytest.mark.parametrize(
        "elsewhere", ["https://example.com/", "//example.com/x", "javascript:1"]
    )
    def test_the_way_back_never_leaves_the_site(self, signed_in, full, elsewhere):
        page = DetailPage(signed_in.get(detail_url(full["id"]) + "?next=" + quote(elsewhere)))

        back = page.doc.one("nav", class_="breadcrumbs").find("a")
        assert back.attrs["href"] == LIST_URL

    def test_signed_out_is_sent_to_sign_in_and_back(self, client, galtea_settings, log, full):
        path = detail_url(full["id"]) + "?next=%2Fphone-connections%2F"
        log.clear_request_log()

        response = client.get(path)

        assert response.status_code == 302
        target = urlsplit(response["Location"])
        assert target.path == "/accounts/login/"
        assert parse_qs(target.query)["next"] == [path]
        assert log.requests_received() == []


@pytest.mark.parametrize("route", ["voices", "batch"])
def test_the_apis_own_routes_never_name_a_connection(route, viewer_client, api):
    """`/phone-connections/voices/` is not the API's voices list read as a connection."""
    response = viewer_client.get(f"/phone-connections/{route}/")

    assert response.status_code == 404
    assert api.requests_received() == []

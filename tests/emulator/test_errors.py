"""Error answers: 400 for bad parameters and bodies, 401, strict `ids[]`, JSON and HTML 404s."""

from __future__ import annotations

import pytest
import requests

from tests.emulator.calls import VALID_NUMBER, first_product_id, send

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


def assert_json_error(response: requests.Response, status: int, error: str) -> str:
    """Check the `{"error", "message"}` shape and return the message."""
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == JSON_TYPE
    body = response.json()
    assert set(body) == {"error", "message"}
    assert body["error"] == error
    return body["message"]


# --- Authentication ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer gsk_wrong"},
        {"Authorization": "Bearer"},
        {"Authorization": "Basic gsk_test_emulator_key_0123456789"},
        {"Authorization": "gsk_test_emulator_key_0123456789"},
    ],
)
def test_missing_or_wrong_key_is_401(emulator, headers):
    response = requests.get(emulator.url + "/phoneConnections", headers=headers, timeout=10)
    assert_json_error(response, 401, "Unauthorized")


def test_every_route_needs_the_key(emulator):
    for path in ("/products", "/phoneConnections/voices", "/minimum-sdk-version", "/nope"):
        response = requests.get(emulator.url + path, timeout=10)
        assert response.status_code == 401


def test_the_bearer_scheme_is_case_insensitive(emulator):
    headers = {"Authorization": f"bearer {emulator.api_key}"}
    response = requests.get(emulator.url + "/products", headers=headers, timeout=10)
    assert response.status_code == 200


# --- List parameters --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ("limit=10001", "limit"),
        ("limit=-1", "limit"),
        ("limit=abc", "limit"),
        ("limit=", "limit"),
        ("limit=1.5", "limit"),
        ("limit=1&limit=2", "limit"),
        ("offset=-1", "offset"),
        ("offset=x", "offset"),
        ("fromCreatedAt=yesterday", "fromCreatedAt"),
        ("toCreatedAt=2025-13-01", "toCreatedAt"),
        ("fromCreatedAt=", "fromCreatedAt"),
        ("fromCreatedAt=2025-06-01T10:00:00+02:00", "fromCreatedAt"),
        ("sort[]=createdAt", "sort"),
        ("sort[]=createdAt&sort[]=desc&sort[]=name", "sort"),
        ("sort[]=id&sort[]=asc", "id"),
        ("sort[]=userId&sort[]=asc", "userId"),
        ("sort[]=createdAt&sort[]=ASC", "ASC"),
        ("sort[]=createdAt&sort[]=ascending", "ascending"),
        ("sort[]=asc&sort[]=createdAt", "asc"),
    ],
)
def test_bad_list_parameters_are_400(emulator, query, mentions):
    message = assert_json_error(emulator.get(f"/phoneConnections?{query}"), 400, "Bad Request")
    assert mentions in message


def test_products_reject_sorting_by_phone_number(emulator):
    response = emulator.get("/products?sort[]=phoneNumber&sort[]=asc")
    assert_json_error(response, 400, "Bad Request")


# --- Strict ids -------------------------------------------------------------------------


def test_a_missing_id_fails_the_whole_list(emulator):
    existing = emulator.get("/phoneConnections?limit=1").json()[0]["id"]
    response = emulator.get(
        f"/phoneConnections?ids[]={existing}&ids[]=phoneConnection_nope&ids[]=phoneConnection_gone"
    )
    message = assert_json_error(response, 404, "Not Found")
    assert message == "PhoneConnections not found: phoneConnection_nope, phoneConnection_gone"


def test_an_id_excluded_by_another_filter_counts_as_missing(emulator):
    rows = emulator.get("/phoneConnections").json()
    row = rows[0]
    other_product = next(r["productId"] for r in rows if r["productId"] != row["productId"])
    response = emulator.get(f"/phoneConnections?ids[]={row['id']}&productIds[]={other_product}")
    assert (
        assert_json_error(response, 404, "Not Found") == f"PhoneConnections not found: {row['id']}"
    )


def test_ids_are_checked_before_paging(emulator):
    rows = emulator.get("/phoneConnections?limit=2").json()
    query = f"ids[]={rows[0]['id']}&ids[]={rows[1]['id']}&limit=1&offset=1"
    listed = emulator.get(f"/phoneConnections?{query}")
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()] == [rows[1]["id"]]


def test_product_ids_are_strict_too(emulator):
    product = first_product_id(emulator)
    response = emulator.get(f"/products?ids[]={product}&ids[]=prod_missing")
    assert assert_json_error(response, 404, "Not Found") == "Products not found: prod_missing"


# --- Single entities --------------------------------------------------------------------


def test_a_missing_phone_connection_is_a_json_404(emulator):
    response = emulator.get("/phoneConnections/phoneConnection_missing")
    message = assert_json_error(response, 404, "Not Found")
    assert message == "PhoneConnection not found: phoneConnection_missing"


def test_a_missing_product_is_a_json_404(emulator):
    response = emulator.get("/products/prod_missing")
    assert assert_json_error(response, 404, "Not Found") == "Product not found: prod_missing"


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_writing_a_missing_phone_connection_is_a_json_404(emulator, method):
    response = send(emulator, method, "/phoneConnections/phoneConnection_missing", json={})
    assert_json_error(response, 404, "Not Found")


# --- Unknown routes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/nope"),
        ("GET", "//phoneConnections"),
        ("GET", "/phoneConnections/a/b"),
        ("PUT", "/phoneConnections/phoneConnection_1"),
        ("POST", "/products"),
        ("DELETE", "/phoneConnections"),
    ],
)
def test_unknown_routes_get_the_html_404_page(emulator, method, path):
    response = send(emulator, method, path)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == HTML_TYPE
    assert f"<pre>Cannot {method} {path}</pre>" in response.text
    assert response.text.startswith("<!DOCTYPE html>")


def test_a_trailing_slash_still_matches(emulator):
    assert emulator.get("/phoneConnections/?limit=1").status_code == 200


def test_voices_is_routed_before_ids(emulator):
    response = emulator.get("/phoneConnections/voices")
    assert response.status_code == 200
    assert [voice["id"] for voice in response.json()["voices"]] == [
        "sarah",
        "theo",
        "megan",
        "jack",
    ]


# --- Create bodies ----------------------------------------------------------------------


@pytest.fixture
def valid_body(emulator) -> dict:
    return {
        "productId": first_product_id(emulator),
        "name": "Rejected line",
        "phoneNumber": VALID_NUMBER,
    }


@pytest.mark.parametrize(
    ("changes", "mentions"),
    [
        ({"productId": None}, "productId"),
        ({"name": None}, "name"),
        ({"phoneNumber": None}, "phoneNumber"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": 42}, "name"),
        ({"productId": ["prod"]}, "productId"),
        ({"phoneNumber": 14155552671}, "phoneNumber"),
        ({"phoneNumber": "14155552671"}, "phoneNumber"),
        ({"phoneNumber": "+1 415 555 2671"}, "phoneNumber"),
        ({"phoneNumber": "+1-415-555-2671"}, "phoneNumber"),
        ({"phoneNumber": "+1415555"}, "phoneNumber"),
        ({"phoneNumber": "+19995552671"}, "phoneNumber"),
        ({"phoneNumber": "+0123456789"}, "phoneNumber"),
        ({"agentSpeaksFirst": "yes"}, "agentSpeaksFirst"),
        ({"agentSpeaksFirst": 1}, "agentSpeaksFirst"),
        ({"voice": "alice"}, "voice"),
        ({"voice": "Sarah"}, "voice"),
        ({"voice": 3}, "voice"),
        ({"languageCode": "english"}, "languageCode"),
        ({"languageCode": "EN-US"}, "languageCode"),
        ({"languageCode": "e"}, "languageCode"),
        ({"languageCode": "en_US"}, "languageCode"),
        ({"languageCode": 7}, "languageCode"),
        ({"productId": "prod_missing"}, "prod_missing"),
        ({"id": "phoneConnection_mine"}, "id"),
        ({"userId": "user_1"}, "userId"),
    ],
)
def test_bad_create_bodies_are_400(emulator, valid_body, changes, mentions):
    body = {key: value for key, value in {**valid_body, **changes}.items() if value is not None}
    response = send(emulator, "POST", "/phoneConnections", json=body)
    message = assert_json_error(response, 400, "Bad Request")
    assert mentions in message


def test_a_name_of_255_characters_is_accepted(fresh_emulator):
    body = {
        "productId": first_product_id(fresh_emulator),
        "name": "x" * 255,
        "phoneNumber": VALID_NUMBER,
    }
    assert send(fresh_emulator, "POST", "/phoneConnections", json=body).status_code == 201


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"', b"null"])
def test_a_body_that_is_not_a_json_object_is_400(emulator, body):
    response = send(
        emulator,
        "POST",
        "/phoneConnections",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    assert_json_error(response, 400, "Bad Request")


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        ({"name": None}, "name"),
        ({"phoneNumber": None}, "phoneNumber"),
        ({"agentSpeaksFirst": None}, "agentSpeaksFirst"),
        ({"productId": "prod_other"}, "productId"),
        ({"id": "phoneConnection_new"}, "id"),
        ({"createdAt": "2025-01-01T00:00:00Z"}, "createdAt"),
        ({"phoneNumber": "+1"}, "phoneNumber"),
        ({"voice": "alice"}, "voice"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_patch_bodies_are_400(emulator, body, mentions):
    existing = emulator.get("/phoneConnections?limit=1").json()[0]
    response = send(emulator, "PATCH", f"/phoneConnections/{existing['id']}", json=body)
    assert mentions in assert_json_error(response, 400, "Bad Request")
    assert emulator.get(f"/phoneConnections/{existing['id']}").json() == existing

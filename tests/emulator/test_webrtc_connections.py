"""`/webRtcConnections`: the same conventions as phone connections, and a write-only key.

Reads run against seeded emulators nothing writes to; writes against one of this module's
own, each test with rows of its own.
"""

from __future__ import annotations

import re
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import requests

from tests.emulator.calls import create as create_phone_connection
from tests.emulator.calls import first_product_id, send, unique_name
from tests.emulator_process import start_emulator

PATH = "/webRtcConnections"
FIELDS = {
    "id",
    "productId",
    "name",
    "agentName",
    "hasApiKey",
    "agentSpeaksFirst",
    "userId",
    "createdAt",
    "deletedAt",
}
SORT_FIELDS = ("createdAt", "name", "agentName")
DUPLICATE_MESSAGE = "A WebRtcConnection with the same name already exists for this product."
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
JSON_TYPE = "application/json; charset=utf-8"
REFERENCE_DATE = datetime(2026, 11, 1, tzinfo=UTC)
SEEDED_PHONE_CONNECTIONS = 600
SEEDED = SEEDED_PHONE_CONNECTIONS // 10


def pipecat_key() -> str:
    return f"pk_{uuid.uuid4().hex}"


def q(value: str) -> str:
    return quote(value, safe="")


def ids(items: list[dict]) -> set[str]:
    return {item["id"] for item in items}


def listed(emulator, query: str = "") -> list[dict]:
    """`GET /webRtcConnections?<query>`, which must succeed."""
    response = emulator.get(f"{PATH}?{query}")
    assert response.status_code == 200, response.text
    assert isinstance(response.json(), list)
    return response.json()


def post(emulator, body: dict) -> requests.Response:
    return send(emulator, "POST", PATH, json=body)


def patch(emulator, row_id: str, body: dict) -> requests.Response:
    return send(emulator, "PATCH", f"{PATH}/{row_id}", json=body)


def delete(emulator, row_id: str) -> requests.Response:
    return send(emulator, "DELETE", f"{PATH}/{row_id}")


def valid_body(emulator, **fields) -> dict:
    return {
        "productId": first_product_id(emulator),
        "name": unique_name("Web concierge"),
        "agentName": "acme-support-agent",
        **fields,
    }


def create(emulator, **fields) -> dict:
    response = post(emulator, valid_body(emulator, **fields))
    assert response.status_code == 201, response.text
    return response.json()


def error_message(response: requests.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == JSON_TYPE
    body = response.json()
    assert set(body) == {"error", "message"}
    return body["message"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """An emulator seeded with 600 phone connections, so 60 WebRTC ones; only read."""
    running = start_emulator(
        tmp_path_factory.mktemp("webrtc-seeded"), seed=SEEDED_PHONE_CONNECTIONS
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def rows(seeded) -> list[dict]:
    return listed(seeded)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """This module's emulator for writes (30 phone connections, 10 WebRTC connections)."""
    running = start_emulator(tmp_path_factory.mktemp("webrtc-writes"), seed=30)
    yield running
    running.stop()


# --- Seeding ----------------------------------------------------------------------------


@pytest.mark.parametrize(("phone_connections", "expected"), [(0, 0), (1, 10), (30, 10), (120, 12)])
def test_a_tenth_as_many_as_phone_connections_are_seeded_at_least_ten(
    tmp_path, phone_connections, expected
):
    running = start_emulator(tmp_path, seed=phone_connections)
    try:
        assert len(listed(running)) == expected
        assert len(running.get("/phoneConnections").json()) == phone_connections
    finally:
        running.stop()


def test_the_seed_gives_the_requested_rows_with_unique_ids_and_times(rows):
    assert len(rows) == SEEDED
    assert len(ids(rows)) == SEEDED
    assert len({row["createdAt"] for row in rows}) == SEEDED
    assert all(re.fullmatch(r"webRtcConnection_[0-9a-f]{24}", row["id"]) for row in rows)
    assert all(set(row) == FIELDS for row in rows)
    assert all(row["deletedAt"] is None for row in rows)


def test_the_same_seed_gives_the_same_rows_in_another_store(tmp_path, rows):
    again = start_emulator(tmp_path, seed=SEEDED_PHONE_CONNECTIONS)
    try:
        assert listed(again) == rows
    finally:
        again.stop()


def test_seeded_rows_are_realistic_and_varied(seeded, rows):
    products = {product["id"] for product in seeded.get("/products").json()}
    assert {row["productId"] for row in rows} <= products
    assert len({row["productId"] for row in rows}) >= 6
    assert max(Counter((row["productId"], row["name"]) for row in rows).values()) == 1
    assert any("—" in row["name"] for row in rows)
    assert any("(staging)" in row["name"] for row in rows)
    assert all(re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", row["agentName"]) for row in rows)
    assert len({row["agentName"] for row in rows}) > SEEDED // 3
    assert {row["hasApiKey"] for row in rows} == {True, False}
    assert {row["agentSpeaksFirst"] for row in rows} == {True, False}
    users = {row["userId"] for row in rows}
    assert None in users
    assert all(user is None or user.startswith("user_") for user in users)


def test_seeded_rows_were_made_in_the_year_before_the_reference_date(rows):
    times = [datetime.fromisoformat(row["createdAt"]) for row in rows]
    assert min(times) >= REFERENCE_DATE - timedelta(days=366)
    assert max(times) < REFERENCE_DATE


def test_seeding_them_left_the_seeded_phone_connections_as_they_were(fresh_emulator):
    phone_connections = fresh_emulator.get("/phoneConnections").json()
    assert len(phone_connections) == 30
    oldest, newest = phone_connections[-1], phone_connections[0]
    assert (oldest["id"], oldest["name"], oldest["phoneNumber"], oldest["createdAt"]) == (
        "phoneConnection_58c46ccb352f8714ff861a60",
        "Escalations — LATAM",
        "+12014822485",
        "2024-11-04T09:25:55.545Z",
    )
    assert (newest["id"], newest["name"], newest["phoneNumber"], newest["createdAt"]) == (
        "phoneConnection_a17ede435742c28fe7675667",
        "Front desk (staging)",
        "+12018463375",
        "2026-10-22T12:33:10.505Z",
    )


def test_a_restart_keeps_them_without_reseeding(tmp_path):
    data_path = tmp_path / "store.sqlite3"
    first = start_emulator(tmp_path, seed=5, data_path=data_path)
    try:
        created = create(first)
        removed = listed(first)[-1]
        assert delete(first, removed["id"]).status_code == 204
        before = listed(first)
    finally:
        first.stop()
    second = start_emulator(tmp_path, seed=500, data_path=data_path)
    try:
        assert listed(second) == before
        assert len(before) == 10
        assert second.get(f"{PATH}/{created['id']}").json() == created
    finally:
        second.stop()


def test_the_start_line_counts_them(fresh_emulator, tmp_path):
    log = (tmp_path / f"emulator-{fresh_emulator.port}.log").read_text()
    assert "(30 phone connections, 10 WebRTC connections)" in log


# --- Reading one ------------------------------------------------------------------------


def test_one_row_reads_as_it_is_listed(seeded, rows):
    response = seeded.get(f"{PATH}/{rows[4]['id']}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.json() == rows[4]


def test_a_missing_row_is_a_json_404(seeded):
    response = seeded.get(f"{PATH}/webRtcConnection_missing")
    message = error_message(response, 404)
    assert message == "WebRtcConnection not found: webRtcConnection_missing"


# --- List filters -----------------------------------------------------------------------


def test_ids_is_or_within_the_array(seeded, rows):
    wanted = [rows[3]["id"], rows[7]["id"]]
    assert ids(listed(seeded, f"ids[]={wanted[0]}&ids[]={wanted[1]}")) == set(wanted)
    assert ids(listed(seeded, f"ids={wanted[0]}&ids%5B%5D={wanted[1]}")) == set(wanted)


def test_a_missing_id_fails_the_whole_list(seeded, rows):
    query = f"ids[]={rows[0]['id']}&ids[]=webRtcConnection_nope&ids[]=webRtcConnection_gone"
    message = error_message(seeded.get(f"{PATH}?{query}"), 404)
    assert message == "WebRtcConnections not found: webRtcConnection_nope, webRtcConnection_gone"


def test_an_id_excluded_by_another_filter_counts_as_missing(seeded, rows):
    row = rows[0]
    other = next(r["productId"] for r in rows if r["productId"] != row["productId"])
    response = seeded.get(f"{PATH}?ids[]={row['id']}&productIds[]={other}")
    assert error_message(response, 404) == f"WebRtcConnections not found: {row['id']}"


def test_ids_are_checked_before_paging(seeded, rows):
    query = f"ids[]={rows[0]['id']}&ids[]={rows[1]['id']}&limit=1&offset=1"
    assert [r["id"] for r in listed(seeded, query)] == [rows[1]["id"]]


def test_product_ids_is_or_within_the_array(seeded, rows):
    products = [product for product, _ in Counter(r["productId"] for r in rows).most_common(2)]
    result = listed(seeded, f"productIds[]={products[0]}&productIds[]={products[1]}")
    assert ids(result) == ids([r for r in rows if r["productId"] in products])
    assert listed(seeded, "productIds[]=prod_missing") == []


def test_names_is_exact_and_case_sensitive(seeded, rows):
    name = rows[5]["name"]
    assert ids(listed(seeded, f"names[]={q(name)}")) == ids([r for r in rows if r["name"] == name])
    assert listed(seeded, f"names[]={q(name.upper())}") == []
    assert listed(seeded, f"names[]={q(name[:-1])}") == []


@pytest.mark.parametrize(("needle", "expected"), [("CONCIERGE", "concierge"), ("— ", "— ")])
def test_name_is_a_case_insensitive_substring(seeded, rows, needle, expected):
    matching = [r for r in rows if expected in r["name"].lower()]
    assert matching
    assert ids(listed(seeded, f"name={q(needle)}")) == ids(matching)


def test_agent_name_is_a_case_insensitive_substring(seeded, rows):
    matching = [r for r in rows if "agent" in r["agentName"]]
    assert 0 < len(matching) < len(rows)
    assert ids(listed(seeded, "agentName=AGENT")) == ids(matching)
    assert listed(seeded, "agentName=zz-no-such-agent") == []


def test_filters_combine_with_and(seeded, rows):
    product = rows[0]["productId"]
    query = f"productIds[]={product}&agentName=a&name=e"
    expected = [
        r
        for r in rows
        if r["productId"] == product and "a" in r["agentName"] and "e" in r["name"].lower()
    ]
    assert expected
    assert ids(listed(seeded, query)) == ids(expected)


def test_created_at_bounds_are_inclusive(seeded, rows):
    newer, older = rows[10], rows[20]
    result = listed(seeded, f"fromCreatedAt={older['createdAt']}&toCreatedAt={newer['createdAt']}")
    assert [r["id"] for r in result] == [r["id"] for r in rows[10:21]]


def test_a_date_alone_means_midnight_utc(seeded, rows):
    midnight = datetime(2026, 6, 1, tzinfo=UTC)
    expected = [r for r in rows if datetime.fromisoformat(r["createdAt"]) <= midnight]
    assert 0 < len(expected) < len(rows)
    assert ids(listed(seeded, "toCreatedAt=2026-06-01")) == ids(expected)


# --- Order and pages --------------------------------------------------------------------


def expected_order(rows: list[dict], *pairs: tuple[str, str]) -> list[str]:
    """Ids sorted by the pairs, then by id in the last pair's direction (stable sorts)."""
    ordered = sorted(rows, key=lambda row: row["id"], reverse=pairs[-1][1] == "desc")
    for field, direction in reversed(pairs):
        ordered = sorted(
            ordered, key=lambda row, field=field: row[field], reverse=direction == "desc"
        )
    return [row["id"] for row in ordered]


def sort_query(*pairs: tuple[str, str]) -> str:
    return "&".join(f"sort[]={field}&sort[]={direction}" for field, direction in pairs)


def test_default_order_is_created_at_descending(rows):
    assert [row["id"] for row in rows] == expected_order(rows, ("createdAt", "desc"))


@pytest.mark.parametrize("direction", ["asc", "desc"])
@pytest.mark.parametrize("field", SORT_FIELDS)
def test_each_field_sorts_both_ways(seeded, rows, field, direction):
    result = listed(seeded, sort_query((field, direction)))
    assert [row["id"] for row in result] == expected_order(rows, (field, direction))


@pytest.mark.parametrize(
    "pairs",
    [
        (("agentName", "asc"), ("createdAt", "desc")),
        (("name", "desc"), ("agentName", "asc"), ("createdAt", "asc")),
    ],
)
def test_several_pairs_sort_in_turn(seeded, rows, pairs):
    result = listed(seeded, sort_query(*pairs))
    assert [row["id"] for row in result] == expected_order(rows, *pairs)


def test_pages_concatenate_to_the_whole_list(seeded, rows):
    order = sort_query(("agentName", "asc"))
    pages = [listed(seeded, f"{order}&limit=7&offset={offset}") for offset in range(0, 70, 7)]
    assert [row["id"] for page in pages for row in page] == expected_order(
        rows, ("agentName", "asc")
    )


@pytest.mark.parametrize(
    ("query", "count"),
    [("limit=0", 0), ("limit=1", 1), (f"offset={SEEDED - 1}", 1), (f"offset={SEEDED}", 0)],
)
def test_limit_and_offset(seeded, query, count):
    assert len(listed(seeded, query)) == count


@pytest.mark.parametrize(
    ("query", "mentions"),
    [
        ("sort[]=phoneNumber&sort[]=asc", "phoneNumber"),
        ("sort[]=hasApiKey&sort[]=asc", "hasApiKey"),
        ("sort[]=apiKey&sort[]=desc", "apiKey"),
        ("sort[]=id&sort[]=asc", "id"),
    ],
)
def test_sorting_by_anything_else_is_400(seeded, query, mentions):
    message = error_message(seeded.get(f"{PATH}?{query}"), 400)
    assert mentions in message
    assert "agentName" in message


@pytest.mark.parametrize(
    "query",
    [
        "limit=10001",
        "limit=-1",
        "limit=abc",
        "limit=1&limit=2",
        "offset=x",
        "fromCreatedAt=yesterday",
        "toCreatedAt=2025-13-01",
        "sort[]=createdAt",
        "sort[]=createdAt&sort[]=ASC",
        "sort[]=createdAt&sort[]=desc&sort[]=name",
        "name=a&name=b",
    ],
)
def test_bad_list_parameters_get_the_phone_connections_400(seeded, query):
    phone = error_message(seeded.get(f"/phoneConnections?{query}"), 400)
    assert error_message(seeded.get(f"{PATH}?{query}"), 400) == phone


def test_agent_name_is_given_once(seeded):
    message = error_message(seeded.get(f"{PATH}?agentName=a&agentName=b"), 400)
    assert message == "agentName must be given once, not 2 times."


# --- Create -----------------------------------------------------------------------------


def test_create_answers_201_with_the_object_and_its_defaults(api):
    body = valid_body(api)
    response = post(api, body)
    assert response.status_code == 201
    assert response.headers["Content-Type"] == JSON_TYPE
    created = response.json()
    assert set(created) == FIELDS
    assert re.fullmatch(r"webRtcConnection_[0-9a-f]{24}", created["id"])
    assert {key: created[key] for key in body} == body
    assert created["hasApiKey"] is False
    assert created["agentSpeaksFirst"] is False
    assert created["userId"] == "user_api"
    assert created["deletedAt"] is None
    assert TIMESTAMP.fullmatch(created["createdAt"])
    assert api.get(f"{PATH}/{created['id']}").json() == created
    assert listed(api, "limit=1")[0] == created


def test_create_stores_a_key_without_answering_it(api):
    key = pipecat_key()
    created = create(api, apiKey=key, agentSpeaksFirst=True)
    assert (created["hasApiKey"], created["agentSpeaksFirst"]) == (True, True)
    assert "apiKey" not in created
    assert key not in api.get(f"{PATH}/{created['id']}").text


def test_create_accepts_null_optional_fields(api):
    created = create(api, apiKey=None, agentSpeaksFirst=None)
    assert (created["hasApiKey"], created["agentSpeaksFirst"]) == (False, False)


@pytest.mark.parametrize(
    ("changes", "mentions"),
    [
        ({"productId": None}, "productId is required"),
        ({"name": None}, "name is required"),
        ({"agentName": None}, "agentName is required"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 256}, "name"),
        ({"name": 42}, "name"),
        ({"agentName": ""}, "agentName"),
        ({"agentName": ["acme"]}, "agentName"),
        ({"productId": 7}, "productId"),
        ({"productId": "prod_missing"}, "prod_missing"),
        ({"agentSpeaksFirst": "yes"}, "agentSpeaksFirst"),
        ({"agentSpeaksFirst": 1}, "agentSpeaksFirst"),
        ({"id": "webRtcConnection_mine"}, "id"),
        ({"userId": "user_1"}, "userId"),
        ({"hasApiKey": True}, "hasApiKey"),
        ({"phoneNumber": "+14155552671"}, "phoneNumber"),
    ],
)
def test_bad_create_bodies_are_400(api, changes, mentions):
    body = {key: value for key, value in valid_body(api, **changes).items() if value is not None}
    assert mentions in error_message(post(api, body), 400)
    if isinstance(body.get("name"), str) and body["name"].strip():
        assert listed(api, f"names[]={q(body['name'])}") == []


@pytest.mark.parametrize(
    "key",
    [
        "pk_1234567",
        "pk_",
        "sk_0123456789abcdef",
        "PK_0123456789abcdef",
        "pk 0123456789abcdef",
        "pk_0123 456789abcdef",
        " pk_0123456789abcdef",
        "",
        42,
        True,
        ["pk_0123456789abcdef"],
    ],
)
def test_a_key_that_is_not_a_pipecat_key_is_400_without_repeating_it(api, key):
    body = valid_body(api, apiKey=key)
    message = error_message(post(api, body), 400)
    assert "apiKey" in message
    if isinstance(key, str) and len(key.strip()) > len("pk_"):
        assert key.strip() not in message
    assert listed(api, f"names[]={q(body['name'])}") == []


def test_a_key_of_pk_and_eight_characters_is_accepted(api):
    assert create(api, apiKey="pk_12345678")["hasApiKey"] is True


def test_names_are_unique_within_a_product_only(api):
    first, second = [product["id"] for product in api.get("/products").json()[:2]]
    name = unique_name("Checkout assistant")
    create(api, productId=first, name=name)
    duplicate = post(api, valid_body(api, productId=first, name=name, agentName="other-agent"))
    assert error_message(duplicate, 400) == DUPLICATE_MESSAGE
    assert "with the same" in DUPLICATE_MESSAGE
    assert create(api, productId=second, name=name)["productId"] == second


def test_a_phone_connection_name_is_free_for_a_webrtc_connection(api):
    phone = create_phone_connection(api, name=unique_name("Shared"))
    assert create(api, productId=phone["productId"], name=phone["name"])["name"] == phone["name"]


def test_a_deleted_name_can_be_reused(api):
    original = create(api)
    assert delete(api, original["id"]).status_code == 204
    reused = create(api, productId=original["productId"], name=original["name"])
    assert reused["id"] != original["id"]


def test_concurrent_creates_of_one_name_let_exactly_one_through(api):
    body = valid_body(api, apiKey=pipecat_key())
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(lambda _: post(api, body).status_code, range(16)))
    assert sorted(statuses) == [201] + [400] * 15


# --- Update -----------------------------------------------------------------------------


def test_patch_changes_only_the_keys_sent(api):
    original = create(api)
    changes = {"name": unique_name("Renamed"), "agentName": "acme-concierge-v2"}
    response = patch(api, original["id"], {**changes, "agentSpeaksFirst": True})
    assert response.status_code == 200
    updated = response.json()
    assert updated == {**original, **changes, "agentSpeaksFirst": True}
    assert api.get(f"{PATH}/{original['id']}").json() == updated


def test_patch_sets_replaces_and_clears_the_key(api):
    original = create(api)
    first, second = pipecat_key(), pipecat_key()
    set_once = patch(api, original["id"], {"apiKey": first})
    assert set_once.json() == {**original, "hasApiKey": True}
    replaced = patch(api, original["id"], {"apiKey": second})
    assert replaced.json()["hasApiKey"] is True
    assert patch(api, original["id"], {"name": unique_name()}).json()["hasApiKey"] is True
    cleared = patch(api, original["id"], {"apiKey": None})
    assert cleared.status_code == 200
    assert cleared.json()["hasApiKey"] is False
    assert api.get(f"{PATH}/{original['id']}").json()["hasApiKey"] is False
    for answer in (set_once, replaced, cleared):
        assert "apiKey" not in answer.json()
        assert first not in answer.text
        assert second not in answer.text


def test_an_empty_patch_changes_nothing(api):
    original = create(api, apiKey=pipecat_key())
    response = patch(api, original["id"], {})
    assert response.status_code == 200
    assert response.json() == original


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        ({"productId": "prod_other"}, "productId cannot be changed"),
        ({"name": None}, "name"),
        ({"agentName": None}, "agentName"),
        ({"agentSpeaksFirst": None}, "agentSpeaksFirst"),
        ({"name": ""}, "name"),
        ({"agentName": 3}, "agentName"),
        ({"apiKey": "pk_short"}, "apiKey"),
        ({"apiKey": "sk_0123456789abcdef"}, "apiKey"),
        ({"hasApiKey": False}, "hasApiKey"),
        ({"createdAt": "2025-01-01T00:00:00Z"}, "createdAt"),
    ],
)
def test_bad_patch_bodies_are_400_and_change_nothing(api, body, mentions):
    original = create(api, apiKey=pipecat_key())
    message = error_message(patch(api, original["id"], body), 400)
    assert mentions in message
    if "apiKey" in body:
        assert body["apiKey"] not in message
    assert api.get(f"{PATH}/{original['id']}").json() == original


def test_renaming_onto_a_taken_name_is_400(api):
    taken = create(api)
    moving = create(api, productId=taken["productId"])
    response = patch(api, moving["id"], {"name": taken["name"]})
    assert error_message(response, 400) == DUPLICATE_MESSAGE
    assert patch(api, taken["id"], {"name": taken["name"]}).status_code == 200


def test_renaming_updates_the_name_and_agent_name_filters(api):
    original = create(api)
    tag = uuid.uuid4().hex[:8]
    patch(api, original["id"], {"name": f"Fresh NAME {tag}", "agentName": f"globex-{tag}-agent"})
    assert [r["id"] for r in listed(api, f"name=name {tag}")] == [original["id"]]
    assert [r["id"] for r in listed(api, f"agentName={tag.upper()}")] == [original["id"]]
    assert listed(api, f"names[]={q(original['name'])}") == []


@pytest.mark.parametrize("method", ["PATCH", "DELETE"])
def test_writing_a_missing_row_is_a_json_404(api, method):
    response = send(api, method, f"{PATH}/webRtcConnection_missing", json={})
    assert error_message(response, 404) == "WebRtcConnection not found: webRtcConnection_missing"


# --- Delete -----------------------------------------------------------------------------


def test_delete_answers_as_a_phone_connection_delete_does(api):
    phone = create_phone_connection(api)
    webrtc = create(api, apiKey=pipecat_key())
    phone_answer = send(api, "DELETE", f"/phoneConnections/{phone['id']}")
    answer = delete(api, webrtc["id"])
    assert answer.status_code == phone_answer.status_code == 204
    assert answer.content == phone_answer.content == b""
    assert "Content-Type" not in answer.headers
    assert "Content-Type" not in phone_answer.headers
    assert error_message(api.get(f"{PATH}/{webrtc['id']}"), 404)


def test_a_deleted_row_is_gone_everywhere(api):
    original = create(api)
    delete(api, original["id"])
    assert error_message(api.get(f"{PATH}/{original['id']}"), 404)
    assert original["id"] not in ids(listed(api))
    assert listed(api, f"names[]={q(original['name'])}") == []
    assert delete(api, original["id"]).status_code == 404
    assert patch(api, original["id"], {"name": "Back"}).status_code == 404
    strict = api.get(f"{PATH}?ids[]={original['id']}")
    assert error_message(strict, 404) == f"WebRtcConnections not found: {original['id']}"


# --- Routes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("PUT", f"{PATH}/webRtcConnection_1"),
        ("DELETE", PATH),
        ("PATCH", PATH),
        ("GET", f"{PATH}/a/b"),
        ("GET", f"/{PATH}"),
    ],
)
def test_unknown_routes_get_the_html_404_page(seeded, method, path):
    response = send(seeded, method, path)
    assert response.status_code == 404
    assert f"<pre>Cannot {method} {path}</pre>" in response.text


def test_a_trailing_slash_still_matches(seeded):
    assert seeded.get(f"{PATH}/?limit=1").status_code == 200


def test_the_api_key_is_required(seeded):
    assert requests.get(seeded.url + PATH, timeout=10).status_code == 401


# --- The key is never given back --------------------------------------------------------


def test_no_answer_log_line_or_output_holds_a_key(tmp_path):
    running = start_emulator(tmp_path, seed=30)
    keys = [pipecat_key() for _ in range(3)]
    try:
        body = valid_body(running, apiKey=keys[0])
        running.clear_request_log()
        created = post(running, body)
        row_id = created.json()["id"]
        answers = [
            created,
            post(running, {**body, "apiKey": keys[1]}),
            post(running, {**body, "name": unique_name(), "productId": "prod_missing"}),
            post(running, {**body, "name": unique_name(), "agentName": ""}),
            post(running, {**body, "name": unique_name(), "extra": keys[1]}),
            patch(running, row_id, {"apiKey": keys[1]}),
            patch(running, row_id, {"apiKey": keys[2], "agentSpeaksFirst": "no"}),
            patch(running, row_id, {"apiKey": keys[2] + " "}),
            running.get(f"{PATH}/{row_id}"),
            running.get(f"{PATH}?ids[]={row_id}"),
            running.get(PATH),
            delete(running, row_id),
        ]
        statuses = [answer.status_code for answer in answers]
        assert statuses == [201, 400, 400, 400, 400, 200, 400, 400, 200, 200, 200, 204]
        seeded_keys = [row for row in listed(running) if row["hasApiKey"]]
        assert seeded_keys
        assert all("apiKey" not in row for row in listed(running))
        log_lines = running.requests_received()
    finally:
        running.stop()
    for answer in answers:
        assert not any(key in answer.text for key in keys), answer.text
    assert {frozenset(line) for line in log_lines} == {
        frozenset({"method", "path", "query", "status"})
    }
    assert [line["method"] for line in log_lines[:8]] == ["POST"] * 5 + ["PATCH"] * 3
    written = running.request_log_path.read_text()
    written += (tmp_path / f"emulator-{running.port}.log").read_text()
    assert not any(key in written for key in keys)
    assert "pk_" not in written

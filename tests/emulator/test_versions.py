"""`/versions`: filters (with `""` for "no connection"), order and pages, and the PATCH that
attaches a version to one conversation target of its own product.

Reads run against a seeded emulator nothing writes to; writes against one of this module's
own, each test on versions of its own.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import requests

from emulator.schema import PHONE_CONNECTIONS, PRODUCTS, WEBRTC_CONNECTIONS
from emulator.seed import seed_store
from emulator.seed.organization import seed_products
from emulator.seed.phone_connections import seed_phone_connections
from emulator.seed.versions import MAX_PHONE_TARGETS, MAX_WEBRTC_TARGETS, seed_versions
from emulator.seed.webrtc_connections import seed_webrtc_connections
from emulator.store import Store
from tests.emulator.calls import create as create_phone_connection
from tests.emulator.calls import send, unique_name
from tests.emulator_process import start_emulator

PATH = "/versions"
FIELDS = {
    "id",
    "productId",
    "name",
    "number",
    "description",
    "modelId",
    "phoneConnectionId",
    "webRtcConnectionId",
    "conversationEndpointConnectionId",
    "createdAt",
    "deletedAt",
}
TARGETS = ("phoneConnectionId", "webRtcConnectionId", "conversationEndpointConnectionId")
# (response field, include parameter, exclude parameter)
REFERENCE_PAIRS = [
    ("phoneConnectionId", "phoneConnectionIds", "excludePhoneConnectionIds"),
    ("webRtcConnectionId", "webRtcConnectionIds", "excludeWebRtcConnectionIds"),
]
JSON_TYPE = "application/json; charset=utf-8"
NAME_CLASH = "A Version with the same Name already exists."
REFERENCE_DATE = datetime(2026, 11, 1, tzinfo=UTC)
SEEDED_PHONE_CONNECTIONS = 300


def q(value: str) -> str:
    return quote(value, safe="")


def ids(items: list[dict]) -> set[str]:
    return {item["id"] for item in items}


def listed(emulator, query: str = "") -> list[dict]:
    response = emulator.get(f"{PATH}?{query}")
    assert response.status_code == 200, response.text
    assert isinstance(response.json(), list)
    return response.json()


def patch(emulator, version_id: str, body) -> requests.Response:
    return send(emulator, "PATCH", f"{PATH}/{version_id}", json=body)


def error_message(response: requests.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == JSON_TYPE
    body = response.json()
    assert set(body) == {"error", "message"}
    return body["message"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """300 phone connections, 30 WebRTC connections and their versions; only read."""
    running = start_emulator(
        tmp_path_factory.mktemp("versions-seeded"), seed=SEEDED_PHONE_CONNECTIONS
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def rows(seeded) -> list[dict]:
    return listed(seeded)


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """This module's emulator for writes (60 phone connections and their versions)."""
    running = start_emulator(tmp_path_factory.mktemp("versions-writes"), seed=60)
    yield running
    running.stop()


# --- Seeding ----------------------------------------------------------------------------


def test_seeded_versions_have_the_api_shape(rows):
    assert len(rows) > SEEDED_PHONE_CONNECTIONS // 2
    assert all(set(row) == FIELDS for row in rows)
    assert all(re.fullmatch(r"version_[0-9a-f]{24}", row["id"]) for row in rows)
    assert len(ids(rows)) == len(rows)
    assert all(row["deletedAt"] is None for row in rows)
    assert all(row["conversationEndpointConnectionId"] is None for row in rows)
    assert {row["modelId"] is None for row in rows} == {True, False}
    assert {row["description"] is None for row in rows} == {True, False}


def test_names_and_numbers_are_unique_within_each_product(rows):
    assert max(Counter((row["productId"], row["name"]) for row in rows).values()) == 1
    for product in {row["productId"] for row in rows}:
        numbers = sorted(row["number"] for row in rows if row["productId"] == product)
        assert numbers == list(range(1, len(numbers) + 1))
    assert any(row["name"] == f"v{row['number']}" for row in rows)
    assert any(not row["name"].startswith("v") for row in rows)


def test_numbers_follow_the_order_of_creation(rows):
    for product in {row["productId"] for row in rows}:
        oldest_first = sorted(
            (row for row in rows if row["productId"] == product), key=lambda row: row["createdAt"]
        )
        assert [row["number"] for row in oldest_first] == list(range(1, len(oldest_first) + 1))


def test_some_numbers_have_several_versions_many_one_and_some_none(seeded, rows):
    phone_connections = seeded.get("/phoneConnections").json()
    per_number = Counter(row["phoneConnectionId"] for row in rows if row["phoneConnectionId"])
    counts = Counter(per_number[connection["id"]] for connection in phone_connections)
    assert counts[0] > 0
    assert counts[1] > counts[2] + counts[3]
    assert counts[2] > 0
    assert counts[3] > 0
    assert max(per_number.values()) == 3


def test_some_versions_target_a_webrtc_connection_and_some_nothing(rows):
    kinds = Counter(next((target for target in TARGETS if row[target]), None) for row in rows)
    assert kinds["phoneConnectionId"] > kinds["webRtcConnectionId"] > 0
    assert kinds[None] > 0


def test_every_target_is_a_live_connection_of_the_version_s_product(seeded, rows):
    connections = {
        row["id"]: row["productId"]
        for path in ("/phoneConnections", "/webRtcConnections")
        for row in seeded.get(path).json()
    }
    for row in rows:
        assert sum(row[target] is not None for target in TARGETS) <= 1
        target = row["phoneConnectionId"] or row["webRtcConnectionId"]
        if target:
            assert connections[target] == row["productId"]


def test_versions_were_made_before_the_reference_date_after_their_connection(seeded, rows):
    created = {
        row["id"]: row["createdAt"]
        for path in ("/phoneConnections", "/webRtcConnections")
        for row in seeded.get(path).json()
    }
    for row in rows:
        assert datetime.fromisoformat(row["createdAt"]) < REFERENCE_DATE
        target = row["phoneConnectionId"] or row["webRtcConnectionId"]
        if target:
            assert row["createdAt"] >= created[target]


def test_the_same_seed_gives_the_same_versions_in_another_store(tmp_path, rows):
    again = start_emulator(tmp_path, seed=SEEDED_PHONE_CONNECTIONS)
    try:
        assert listed(again) == rows
    finally:
        again.stop()


def test_seed_zero_makes_no_versions(tmp_path):
    running = start_emulator(tmp_path, seed=0)
    try:
        assert listed(running) == []
    finally:
        running.stop()


def test_a_store_seeded_before_versions_gets_them_on_its_next_start(tmp_path):
    """An older store held connections only: versions are added, naming its own rows."""
    data_path = tmp_path / "store.sqlite3"
    store = Store.open(data_path)
    seed_store_without_versions(store, 40)
    store.close()
    running = start_emulator(tmp_path, seed=40, data_path=data_path)
    try:
        versions = listed(running)
        numbers = {row["id"] for row in running.get("/phoneConnections").json()}
        assert versions
        assert {row["phoneConnectionId"] for row in versions} - {None} <= numbers
        assert running.get(f"/sessions?versionIds[]={versions[0]['id']}").status_code == 200
    finally:
        running.stop()


def seed_store_without_versions(store: Store, count: int) -> None:
    """What `seed_store` made before versions were seeded."""
    store.insert(PRODUCTS, seed_products())
    store.bulk_load(PHONE_CONNECTIONS, seed_phone_connections(count))
    store.bulk_load(WEBRTC_CONNECTIONS, seed_webrtc_connections(10))


def test_a_restart_keeps_versions_and_their_changes_without_reseeding(tmp_path):
    data_path = tmp_path / "store.sqlite3"
    first = start_emulator(tmp_path, seed=10, data_path=data_path)
    try:
        version = listed(first)[0]
        renamed = patch(first, version["id"], {"name": unique_name("Kept")}).json()
        before = listed(first)
    finally:
        first.stop()
    second = start_emulator(tmp_path, seed=300, data_path=data_path)
    try:
        assert listed(second) == before
        assert second.get(f"{PATH}/{version['id']}").json() == renamed
    finally:
        second.stop()


def test_a_large_seed_caps_the_versions(tmp_path):
    """100,000 numbers would otherwise mean tens of thousands of versions to seed."""
    store = Store.open(tmp_path / "store.sqlite3")
    seed_store(store, 0)
    products = store.live_rows(PRODUCTS, ("id", "created_at"))
    store.close()
    phone = [
        {
            "id": f"phoneConnection_{index:024x}",
            "product_id": products[index % 8]["id"],
            "created_at": 1_700_000_000_000 + index,
        }
        for index in range(100_000)
    ]
    webrtc = phone[:10_000]
    versions = seed_versions(products, phone, webrtc)
    targeted = {version["phone_connection_id"] for version in versions} - {None}
    assert len(targeted) == MAX_PHONE_TARGETS
    assert len({version["webrtc_connection_id"] for version in versions} - {None}) == (
        MAX_WEBRTC_TARGETS
    )
    assert len(versions) < 5_000


# --- Reading one ------------------------------------------------------------------------


def test_one_version_reads_as_it_is_listed(seeded, rows):
    response = seeded.get(f"{PATH}/{rows[3]['id']}")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.json() == rows[3]


def test_a_missing_version_is_a_json_404(seeded):
    message = error_message(seeded.get(f"{PATH}/version_missing"), 404)
    assert message == "Version not found: version_missing"


# --- List filters -----------------------------------------------------------------------


def test_ids_is_or_within_the_array_and_strict(seeded, rows):
    wanted = [rows[1]["id"], rows[5]["id"]]
    assert ids(listed(seeded, f"ids[]={wanted[0]}&ids[]={wanted[1]}")) == set(wanted)
    response = seeded.get(f"{PATH}?ids[]={wanted[0]}&ids[]=version_nope")
    assert error_message(response, 404) == "Versions not found: version_nope"


def test_product_ids_names_and_name(seeded, rows):
    product = rows[0]["productId"]
    assert ids(listed(seeded, f"productIds[]={product}")) == ids(
        [row for row in rows if row["productId"] == product]
    )
    name = next(row["name"] for row in rows if "(" in row["name"])
    assert ids(listed(seeded, f"names[]={q(name)}")) == ids(
        [row for row in rows if row["name"] == name]
    )
    assert listed(seeded, f"names[]={q(name.upper())}") == []
    needle = name.split()[0]
    matching = [row for row in rows if needle.casefold() in row["name"].casefold()]
    assert ids(listed(seeded, f"name={q(needle.upper())}")) == ids(matching)


@pytest.mark.parametrize(("field", "include", "exclude"), REFERENCE_PAIRS)
def test_an_include_array_of_ids_finds_their_versions(seeded, rows, field, include, exclude):
    targets = list(dict.fromkeys(row[field] for row in rows if row[field]))[:3]
    query = "&".join(f"{include}[]={target}" for target in targets)
    assert ids(listed(seeded, query)) == ids([row for row in rows if row[field] in targets])


@pytest.mark.parametrize(("field", "include", "exclude"), REFERENCE_PAIRS)
def test_an_empty_include_value_means_no_connection(seeded, rows, field, include, exclude):
    without = [row for row in rows if row[field] is None]
    assert 0 < len(without) < len(rows)
    assert ids(listed(seeded, f"{include}[]=")) == ids(without)
    target = next(row[field] for row in rows if row[field])
    either = [row for row in rows if row[field] in (None, target)]
    assert ids(listed(seeded, f"{include}[]=&{include}[]={target}")) == ids(either)


@pytest.mark.parametrize(("field", "include", "exclude"), REFERENCE_PAIRS)
def test_an_empty_exclude_value_means_having_one(seeded, rows, field, include, exclude):
    assert ids(listed(seeded, f"{exclude}[]=")) == ids([row for row in rows if row[field]])


@pytest.mark.parametrize(("field", "include", "exclude"), REFERENCE_PAIRS)
def test_excluded_ids_keep_versions_without_a_connection(seeded, rows, field, include, exclude):
    target = next(row[field] for row in rows if row[field])
    kept = [row for row in rows if row[field] != target]
    assert ids(listed(seeded, f"{exclude}[]={target}")) == ids(kept)
    having_others = [row for row in kept if row[field] is not None]
    assert ids(listed(seeded, f"{exclude}[]=&{exclude}[]={target}")) == ids(having_others)


def test_include_and_exclude_and_other_filters_combine(seeded, rows):
    targets = list(
        dict.fromkeys(row["phoneConnectionId"] for row in rows if row["phoneConnectionId"])
    )
    query = (
        f"phoneConnectionIds[]=&phoneConnectionIds[]={targets[0]}&phoneConnectionIds[]={targets[1]}"
        f"&excludePhoneConnectionIds[]={targets[1]}&excludeWebRtcConnectionIds[]="
    )
    expected = [
        row
        for row in rows
        if row["phoneConnectionId"] in (None, targets[0])
        and row["phoneConnectionId"] != targets[1]
        and row["webRtcConnectionId"] is not None
    ]
    assert expected
    assert ids(listed(seeded, query)) == ids(expected)
    product = expected[0]["productId"]
    assert ids(listed(seeded, f"{query}&productIds[]={product}")) == ids(
        [row for row in expected if row["productId"] == product]
    )


def test_an_unknown_connection_id_matches_nothing_without_failing(seeded):
    assert listed(seeded, "phoneConnectionIds[]=phoneConnection_nope") == []
    assert listed(seeded, "webRtcConnectionIds[]=webRtcConnection_nope") == []


def test_created_at_bounds_are_inclusive(seeded, rows):
    newer, older = rows[5], rows[15]
    result = listed(seeded, f"fromCreatedAt={older['createdAt']}&toCreatedAt={newer['createdAt']}")
    assert [row["id"] for row in result] == [row["id"] for row in rows[5:16]]


# --- Order and pages --------------------------------------------------------------------


def expected_order(rows: list[dict], field: str, direction: str) -> list[str]:
    ordered = sorted(rows, key=lambda row: row["id"], reverse=direction == "desc")
    ordered = sorted(ordered, key=lambda row: row[field], reverse=direction == "desc")
    return [row["id"] for row in ordered]


def test_default_order_is_created_at_descending(rows):
    assert [row["id"] for row in rows] == expected_order(rows, "createdAt", "desc")


@pytest.mark.parametrize("direction", ["asc", "desc"])
@pytest.mark.parametrize("field", ["createdAt", "name"])
def test_each_sort_field_sorts_both_ways(seeded, rows, field, direction):
    result = listed(seeded, f"sort[]={field}&sort[]={direction}")
    assert [row["id"] for row in result] == expected_order(rows, field, direction)


def test_pages_concatenate_to_the_whole_list(seeded, rows):
    pages = [
        listed(seeded, f"sort[]=name&sort[]=asc&limit=50&offset={offset}")
        for offset in range(0, len(rows) + 50, 50)
    ]
    assert [row["id"] for page in pages for row in page] == expected_order(rows, "name", "asc")


@pytest.mark.parametrize(
    "query",
    [
        "sort[]=number&sort[]=asc",
        "sort[]=phoneConnectionId&sort[]=asc",
        "limit=10001",
        "offset=-1",
        "fromCreatedAt=soon",
        "name=a&name=b",
    ],
)
def test_bad_list_parameters_are_400(seeded, query):
    assert error_message(seeded.get(f"{PATH}?{query}"), 400)


# --- Update -----------------------------------------------------------------------------


def connection_in(api, path: str, product_id: str) -> dict:
    """A live connection of the product, made when it has none."""
    rows = api.get(f"{path}?productIds[]={product_id}").json()
    if rows:
        return rows[0]
    if path == "/phoneConnections":
        return create_phone_connection(api, productId=product_id)
    body = {"productId": product_id, "name": unique_name("Web"), "agentName": "acme-agent"}
    return send(api, "POST", path, json=body).json()


def unused_version(api, **targets) -> dict:
    """A seeded version no other test has used, its targets set to `targets` (none else)."""
    row = next(row for row in listed(api) if row["id"] not in USED)
    USED.add(row["id"])
    body = {"phoneConnectionId": None, "webRtcConnectionId": None, **targets}
    response = patch(api, row["id"], body)
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture
def version(api) -> dict:
    """A version of this test's own, with no conversation target."""
    return unused_version(api)


@pytest.fixture
def phone_version(api, version) -> dict:
    """A version of this test's own, calling a phone connection of its product."""
    number = connection_in(api, "/phoneConnections", version["productId"])
    response = patch(api, version["id"], {"phoneConnectionId": number["id"]})
    assert response.status_code == 200, response.text
    return response.json()


USED: set[str] = set()


def other_product(api, product_id: str) -> str:
    return next(p["id"] for p in api.get("/products").json() if p["id"] != product_id)


def test_patch_renames_and_describes_and_answers_the_object(api, version):
    changes = {"name": unique_name("Prompt refresh"), "description": "Shorter opening."}
    response = patch(api, version["id"], changes)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.json() == {**version, **changes}
    assert api.get(f"{PATH}/{version['id']}").json() == response.json()
    cleared = patch(api, version["id"], {"description": None}).json()
    assert cleared["description"] is None
    assert [row["id"] for row in listed(api, f"names[]={q(changes['name'])}")] == [version["id"]]


def test_patch_attaches_and_detaches_a_phone_connection(api, version):
    number = connection_in(api, "/phoneConnections", version["productId"])
    attached = patch(api, version["id"], {"phoneConnectionId": number["id"]})
    assert attached.status_code == 200, attached.text
    assert attached.json() == {**version, "phoneConnectionId": number["id"]}
    assert version["id"] in ids(listed(api, f"phoneConnectionIds[]={number['id']}"))
    assert version["id"] not in ids(listed(api, "phoneConnectionIds[]="))
    detached = patch(api, version["id"], {"phoneConnectionId": None})
    assert detached.json() == version
    assert version["id"] in ids(listed(api, "phoneConnectionIds[]="))


def test_switching_the_target_needs_the_other_nulled_in_the_same_body(api, phone_version):
    version = phone_version
    webrtc = connection_in(api, "/webRtcConnections", version["productId"])
    refused = patch(api, version["id"], {"webRtcConnectionId": webrtc["id"]})
    message = error_message(refused, 400)
    assert "at most one conversation target" in message
    assert "phoneConnectionId and webRtcConnectionId" in message
    assert "null" in message
    assert api.get(f"{PATH}/{version['id']}").json() == version
    body = {"webRtcConnectionId": webrtc["id"], "phoneConnectionId": None}
    switched = patch(api, version["id"], body)
    assert switched.status_code == 200, switched.text
    assert switched.json() == {**version, **body}


def test_two_targets_in_one_body_are_400(api, version):
    number = connection_in(api, "/phoneConnections", version["productId"])
    webrtc = connection_in(api, "/webRtcConnections", version["productId"])
    body = {"phoneConnectionId": number["id"], "webRtcConnectionId": webrtc["id"]}
    assert "mutually exclusive" in error_message(patch(api, version["id"], body), 400)
    assert api.get(f"{PATH}/{version['id']}").json() == version


def test_a_connection_of_another_product_is_400(api, version):
    foreign = create_phone_connection(api, productId=other_product(api, version["productId"]))
    message = error_message(patch(api, version["id"], {"phoneConnectionId": foreign["id"]}), 400)
    assert foreign["id"] in message
    assert "another product" in message
    assert api.get(f"{PATH}/{version['id']}").json() == version


@pytest.mark.parametrize(
    ("field", "value", "singular"),
    [
        ("phoneConnectionId", "phoneConnection_missing", "PhoneConnection"),
        ("webRtcConnectionId", "webRtcConnection_missing", "WebRtcConnection"),
    ],
)
def test_a_missing_connection_is_400(api, field, value, singular, version):
    message = error_message(patch(api, version["id"], {field: value}), 400)
    assert message == f"{singular} not found: {value}"


def test_a_deleted_connection_cannot_be_attached(api, version):
    number = create_phone_connection(api, productId=version["productId"])
    assert send(api, "DELETE", f"/phoneConnections/{number['id']}").status_code == 204
    response = patch(api, version["id"], {"phoneConnectionId": number["id"]})
    assert error_message(response, 400) == f"PhoneConnection not found: {number['id']}"


def test_a_duplicate_name_in_the_product_is_409(api, version):
    taken = next(
        row
        for row in listed(api, f"productIds[]={version['productId']}")
        if row["id"] != version["id"]
    )
    response = patch(api, version["id"], {"name": taken["name"]})
    assert error_message(response, 409) == NAME_CLASH
    assert response.json()["error"] == "Conflict"
    assert patch(api, version["id"], {"name": version["name"]}).status_code == 200


def test_a_name_taken_in_another_product_only_is_free(api, version):
    elsewhere = next(
        row
        for row in listed(api)
        if row["productId"] != version["productId"]
        and row["name"]
        not in {r["name"] for r in listed(api, f"productIds[]={version['productId']}")}
    )
    assert patch(api, version["id"], {"name": elsewhere["name"]}).status_code == 200


def test_an_empty_patch_changes_nothing(api, version):
    response = patch(api, version["id"], {})
    assert response.status_code == 200
    assert response.json() == version


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        ({"productId": "prod_other"}, "productId cannot be changed"),
        ({"name": None}, "name"),
        ({"name": ""}, "name"),
        ({"name": 7}, "name"),
        ({"description": 3}, "description"),
        ({"phoneConnectionId": ""}, "phoneConnectionId"),
        ({"phoneConnectionId": 12}, "phoneConnectionId"),
        ({"webRtcConnectionId": ["x"]}, "webRtcConnectionId"),
        ({"number": 4}, "number"),
        ({"modelId": "model_x"}, "modelId"),
        ({"conversationEndpointConnectionId": None}, "conversationEndpointConnectionId"),
        ({"createdAt": "2026-01-01"}, "createdAt"),
    ],
)
def test_bad_patch_bodies_are_400_and_change_nothing(api, body, mentions, version):
    assert mentions in error_message(patch(api, version["id"], body), 400)
    assert api.get(f"{PATH}/{version['id']}").json() == version


def test_a_body_that_is_no_json_object_is_400(api, version):
    response = send(
        api,
        "PATCH",
        f"{PATH}/{version['id']}",
        data=b"[1]",
        headers={"Content-Type": "application/json"},
    )
    assert error_message(response, 400) == "The request body must be a JSON object."


def test_patching_a_missing_version_is_a_json_404(api):
    response = patch(api, "version_missing", {"name": "x"})
    assert error_message(response, 404) == "Version not found: version_missing"


# --- Routes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", PATH),
        ("DELETE", f"{PATH}/version_1"),
        ("PUT", f"{PATH}/version_1"),
        ("DELETE", f"{PATH}/batch"),
    ],
)
def test_versions_cannot_be_created_or_deleted(seeded, method, path):
    response = send(seeded, method, path, json={})
    assert response.status_code == 404
    assert f"<pre>Cannot {method} {path}</pre>" in response.text


def test_the_api_key_is_required(seeded):
    assert requests.get(seeded.url + PATH, timeout=10).status_code == 401
    assert requests.patch(seeded.url + f"{PATH}/version_1", json={}, timeout=10).status_code == 401


def test_both_api_generations_serve_versions_and_sessions(tmp_path, seeded, rows):
    current = start_emulator(tmp_path, seed=SEEDED_PHONE_CONNECTIONS, api_generation="current")
    try:
        assert listed(current) == rows
        query = f"versionIds[]={rows[0]['id']}"
        assert current.get(f"/sessions?{query}").json() == seeded.get(f"/sessions?{query}").json()
    finally:
        current.stop()


def test_versions_were_made_after_their_product(seeded, rows):
    products = {product["id"]: product["createdAt"] for product in seeded.get("/products").json()}
    assert all(row["createdAt"] > products[row["productId"]] for row in rows)
    times = [datetime.fromisoformat(row["createdAt"]) for row in rows]
    assert max(times) - min(times) > timedelta(days=365)

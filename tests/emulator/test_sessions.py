"""`/sessions`: read-only, scoped by at least one id filter, in every status.

Everything runs against one seeded emulator nothing writes to.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta

import pytest
import requests

from emulator.seed import seed_store
from emulator.store import Store
from tests.emulator.calls import send
from tests.emulator_process import start_emulator

PATH = "/sessions"
FIELDS = {
    "id",
    "versionId",
    "testCaseId",
    "customId",
    "status",
    "stoppingReason",
    "error",
    "recordingUri",
    "userId",
    "runId",
    "isProduction",
    "createdAt",
    "deletedAt",
}
STATUSES = ("PENDING", "COMPLETED", "FAILED")
SCOPE_MESSAGE = (
    "At least one id filter is required, one of: ids[], versionIds[], testCaseIds[], "
    "customIds[], userIds[], productIds[]."
)
JSON_TYPE = "application/json; charset=utf-8"
REFERENCE_DATE = datetime(2026, 11, 1, tzinfo=UTC)
RECORDING_URI = re.compile(r"s3://galtea-recordings/org_[0-9a-f]+/(session_[0-9a-f]{24})\.wav")
SEEDED_PHONE_CONNECTIONS = 200


def ids(items: list[dict]) -> set[str]:
    return {item["id"] for item in items}


def listed(emulator, query: str) -> list[dict]:
    response = emulator.get(f"{PATH}?{query}")
    assert response.status_code == 200, response.text
    assert isinstance(response.json(), list)
    return response.json()


def error_message(response: requests.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == JSON_TYPE
    body = response.json()
    assert set(body) == {"error", "message"}
    return body["message"]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    running = start_emulator(
        tmp_path_factory.mktemp("sessions-seeded"), seed=SEEDED_PHONE_CONNECTIONS
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def products(seeded) -> list[str]:
    return [product["id"] for product in seeded.get("/products").json()]


@pytest.fixture(scope="module")
def versions(seeded) -> dict[str, dict]:
    return {row["id"]: row for row in seeded.get("/versions").json()}


@pytest.fixture(scope="module")
def rows(seeded, products) -> list[dict]:
    """Every seeded session, newest first: all products' sessions are all sessions."""
    return listed(seeded, "&".join(f"productIds[]={product}" for product in products))


# --- Seeding ----------------------------------------------------------------------------


def test_seeded_sessions_have_the_api_shape(rows):
    assert len(rows) > SEEDED_PHONE_CONNECTIONS
    assert all(set(row) == FIELDS for row in rows)
    assert all(re.fullmatch(r"session_[0-9a-f]{24}", row["id"]) for row in rows)
    assert len(ids(rows)) == len(rows)
    assert all(row["deletedAt"] is None for row in rows)
    assert {type(row["isProduction"]) for row in rows} == {bool}


def test_every_status_is_seeded_with_its_outcome(rows):
    by_status = Counter(row["status"] for row in rows)
    assert set(by_status) == set(STATUSES)
    assert by_status["COMPLETED"] > by_status["FAILED"] > 0
    for row in rows:
        if row["status"] == "PENDING":
            assert (row["stoppingReason"], row["error"], row["recordingUri"]) == (None, None, None)
        elif row["status"] == "COMPLETED":
            assert row["stoppingReason"]
            assert row["error"] is None
        else:
            assert row["error"]
    reasons = {row["stoppingReason"] for row in rows if row["status"] == "COMPLETED"}
    assert {"Conversation completed", "Max turns reached", "Caller hung up"} <= reasons
    errors = {row["error"] for row in rows if row["status"] == "FAILED"}
    assert {"SIP 486 Busy Here", "No answer after 30 s", "Agent did not answer"} <= errors


def test_most_ended_telephony_sessions_have_a_recording(rows, versions):
    telephony = [row for row in rows if versions[row["versionId"]]["phoneConnectionId"]]
    for status in ("COMPLETED", "FAILED"):
        ended = [row for row in telephony if row["status"] == status]
        recorded = [row for row in ended if row["recordingUri"]]
        assert len(recorded) > len(ended) / 2, status
        assert len(recorded) < len(ended), status
    for row in rows:
        if row["recordingUri"]:
            match = RECORDING_URI.fullmatch(row["recordingUri"])
            assert match, row["recordingUri"]
            assert match.group(1) == row["id"]


def test_sessions_belong_to_targeted_versions_ten_at_most(rows, versions):
    per_version = Counter(row["versionId"] for row in rows)
    assert max(per_version.values()) <= 10
    for version_id in per_version:
        version = versions[version_id]
        assert version["phoneConnectionId"] or version["webRtcConnectionId"]
    assert any(version["webRtcConnectionId"] for version in map(versions.get, per_version))


def test_sessions_spread_over_recent_weeks_after_their_version(rows, versions):
    times = [datetime.fromisoformat(row["createdAt"]) for row in rows]
    assert min(times) >= REFERENCE_DATE - timedelta(days=43)
    assert max(times) < REFERENCE_DATE
    assert max(times) - min(times) > timedelta(days=28)
    assert all(row["createdAt"] > versions[row["versionId"]]["createdAt"] for row in rows)


def test_production_sessions_have_no_test_case_user_or_run(rows):
    production = [row for row in rows if row["isProduction"]]
    tests = [row for row in rows if not row["isProduction"]]
    assert production
    assert len(tests) > len(production)
    assert all((r["testCaseId"], r["userId"], r["runId"]) == (None,) * 3 for r in production)
    assert all(r["testCaseId"] and r["userId"] and r["runId"] for r in tests)
    assert any(r["customId"] for r in production)


def seeded_sessions(path, count: int) -> list[dict]:
    store = Store.open(path)
    seed_store(store, count)
    store.close()
    with sqlite3.connect(path) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(row) for row in connection.execute("SELECT * FROM sessions ORDER BY id")]


def test_the_same_seed_gives_the_same_sessions(tmp_path):
    first = seeded_sessions(tmp_path / "a.sqlite3", 150)
    assert first
    assert seeded_sessions(tmp_path / "b.sqlite3", 150) == first


def test_the_seeded_phone_and_webrtc_connections_stay_as_they_were(fresh_emulator):
    """Versions and sessions draw from generators of their own (existing rows are pinned)."""
    phone_connections = fresh_emulator.get("/phoneConnections").json()
    newest = phone_connections[0]
    assert (newest["id"], newest["name"], newest["createdAt"]) == (
        "phoneConnection_a17ede435742c28fe7675667",
        "Front desk (staging)",
        "2026-10-22T12:33:10.505Z",
    )
    assert len(fresh_emulator.get("/webRtcConnections").json()) == 10


# --- The required scope -----------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        "",
        "statuses[]=COMPLETED",
        "limit=5",
        "fromCreatedAt=2026-10-01",
        "sort[]=createdAt&sort[]=asc",
        "versionIds[]=",
        "ids[]=&userIds[]=%20",
    ],
)
def test_a_list_without_an_id_filter_is_400(seeded, query):
    assert error_message(seeded.get(f"{PATH}?{query}"), 400) == SCOPE_MESSAGE


# --- Reading one ------------------------------------------------------------------------


def test_one_session_reads_as_it_is_listed(seeded, rows):
    response = seeded.get(f"{PATH}/{rows[2]['id']}")
    assert response.status_code == 200
    assert response.json() == rows[2]


def test_a_missing_session_is_a_json_404(seeded):
    message = error_message(seeded.get(f"{PATH}/session_missing"), 404)
    assert message == "Session not found: session_missing"


# --- Filters ----------------------------------------------------------------------------


def test_ids_is_strict(seeded, rows):
    wanted = [rows[0]["id"], rows[9]["id"]]
    assert ids(listed(seeded, f"ids[]={wanted[0]}&ids[]={wanted[1]}")) == set(wanted)
    response = seeded.get(f"{PATH}?ids[]={wanted[0]}&ids[]=session_nope")
    assert error_message(response, 404) == "Sessions not found: session_nope"


@pytest.mark.parametrize(
    ("key", "field"),
    [
        ("versionIds", "versionId"),
        ("testCaseIds", "testCaseId"),
        ("userIds", "userId"),
        ("customIds", "customId"),
    ],
)
def test_each_id_filter_is_or_within_its_array(seeded, rows, key, field):
    values = [value for value, _ in Counter(r[field] for r in rows if r[field]).most_common(2)]
    result = listed(seeded, "&".join(f"{key}[]={value}" for value in values))
    assert ids(result) == ids([row for row in rows if row[field] in values])
    assert listed(seeded, f"{key}[]=unknown_id") == []


def test_product_ids_are_the_versions_products(seeded, rows, versions, products):
    for product in products[:3]:
        expected = [row for row in rows if versions[row["versionId"]]["productId"] == product]
        assert ids(listed(seeded, f"productIds[]={product}")) == ids(expected)


@pytest.mark.parametrize("status", STATUSES)
def test_statuses_filters_within_a_scope(seeded, rows, products, status):
    scope = "&".join(f"productIds[]={product}" for product in products)
    expected = [row for row in rows if row["status"] == status]
    assert ids(listed(seeded, f"{scope}&statuses[]={status}")) == ids(expected)


def test_several_statuses_are_or(seeded, rows, products):
    scope = f"productIds[]={products[0]}"
    result = listed(seeded, f"{scope}&statuses[]=PENDING&statuses[]=FAILED")
    assert result
    assert {row["status"] for row in result} == {"PENDING", "FAILED"}


@pytest.mark.parametrize("status", ["completed", "RUNNING", ""])
def test_another_status_is_400(seeded, products, status):
    response = seeded.get(f"{PATH}?productIds[]={products[0]}&statuses[]={status}")
    message = error_message(response, 400)
    assert "PENDING, COMPLETED, FAILED" in message
    assert repr(status) in message


def test_filters_combine_with_and(seeded, rows):
    version = rows[0]["versionId"]
    user = next(row["userId"] for row in rows if row["versionId"] == version and row["userId"])
    expected = [row for row in rows if row["versionId"] == version and row["userId"] == user]
    assert ids(listed(seeded, f"versionIds[]={version}&userIds[]={user}")) == ids(expected)


def test_created_at_bounds_are_inclusive(seeded, rows, products):
    scope = "&".join(f"productIds[]={product}" for product in products)
    newer, older = rows[10], rows[30]
    query = f"{scope}&fromCreatedAt={older['createdAt']}&toCreatedAt={newer['createdAt']}"
    assert ids(listed(seeded, query)) == ids(
        [row for row in rows if older["createdAt"] <= row["createdAt"] <= newer["createdAt"]]
    )


# --- Order and pages --------------------------------------------------------------------


def expected_order(rows: list[dict], field: str, direction: str) -> list[str]:
    ordered = sorted(rows, key=lambda row: row["id"], reverse=direction == "desc")
    ordered = sorted(ordered, key=lambda row: row[field], reverse=direction == "desc")
    return [row["id"] for row in ordered]


def test_default_order_is_created_at_descending(rows):
    assert [row["id"] for row in rows] == expected_order(rows, "createdAt", "desc")


@pytest.mark.parametrize("direction", ["asc", "desc"])
@pytest.mark.parametrize("field", ["createdAt", "status"])
def test_each_sort_field_sorts_both_ways(seeded, rows, products, field, direction):
    scope = "&".join(f"productIds[]={product}" for product in products)
    result = listed(seeded, f"{scope}&sort[]={field}&sort[]={direction}")
    assert [row["id"] for row in result] == expected_order(rows, field, direction)


def test_pages_concatenate_to_the_whole_list(seeded, rows, products):
    scope = "&".join(f"productIds[]={product}" for product in products)
    pages = [
        listed(seeded, f"{scope}&limit=100&offset={offset}")
        for offset in range(0, len(rows) + 100, 100)
    ]
    assert [row["id"] for page in pages for row in page] == [row["id"] for row in rows]


@pytest.mark.parametrize(
    "query", ["sort[]=name&sort[]=asc", "sort[]=status", "limit=-1", "offset=x", "toCreatedAt=x"]
)
def test_bad_list_parameters_are_400(seeded, products, query):
    assert error_message(seeded.get(f"{PATH}?productIds[]={products[0]}&{query}"), 400)


# --- Routes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("POST", PATH), ("PATCH", f"{PATH}/session_1"), ("DELETE", f"{PATH}/session_1")],
)
def test_sessions_are_read_only(seeded, method, path):
    response = send(seeded, method, path, json={})
    assert response.status_code == 404
    assert f"<pre>Cannot {method} {path}</pre>" in response.text


def test_the_api_key_is_required(seeded, rows):
    assert requests.get(f"{seeded.url}{PATH}?ids[]={rows[0]['id']}", timeout=10).status_code == 401

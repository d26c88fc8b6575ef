"""`DELETE /phoneConnections/batch`: all of the ids soft-deleted at once, or none of them."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.emulator.calls import create, delete_batch, list_rows, send

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
SUCCESS = {"message": "Phone connections deleted successfully"}


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """This module's emulator: every test deletes rows of its own."""
    from tests.emulator_process import start_emulator

    running = start_emulator(tmp_path_factory.mktemp("batch-delete"), seed=30)
    yield running
    running.stop()


def made(api, count: int) -> list[str]:
    return [create(api)["id"] for _ in range(count)]


def is_live(api, row_id: str) -> bool:
    return api.get(f"/phoneConnections/{row_id}").status_code == 200


def json_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == JSON_TYPE
    body = response.json()
    assert set(body) == {"error", "message"}
    return body["message"]


# --- Success ----------------------------------------------------------------------------


def test_a_batch_deletes_every_id_and_says_so(api):
    row_ids = made(api, 3)
    before = len(list_rows(api))
    response = delete_batch(api, {"ids": row_ids})
    assert response.status_code == 200
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.json() == SUCCESS
    assert not any(is_live(api, row_id) for row_id in row_ids)
    assert len(list_rows(api)) == before - 3
    listed = api.get("/phoneConnections?" + "&".join(f"ids[]={i}" for i in row_ids))
    assert json_error(listed, 404) == f"PhoneConnections not found: {', '.join(row_ids)}"


def test_a_batch_of_one_works(api):
    (row_id,) = made(api, 1)
    assert delete_batch(api, {"ids": [row_id]}).json() == SUCCESS
    assert not is_live(api, row_id)


def test_duplicate_ids_are_deleted_once(api):
    first, second = made(api, 2)
    response = delete_batch(api, {"ids": [first, second, first, first]})
    assert (response.status_code, response.json()) == (200, SUCCESS)
    assert not is_live(api, first)
    assert not is_live(api, second)


def test_a_batch_of_100_ids_is_accepted(api):
    row_ids = made(api, 100)
    response = delete_batch(api, {"ids": row_ids})
    assert (response.status_code, response.json()) == (200, SUCCESS)
    assert not any(is_live(api, row_id) for row_id in row_ids[::17])


def test_101_entries_naming_100_distinct_ids_are_accepted(api):
    row_ids = made(api, 100)
    assert delete_batch(api, {"ids": [*row_ids, row_ids[0]]}).status_code == 200


def test_a_deleted_name_can_be_reused_after_a_batch(api):
    original = create(api)
    assert delete_batch(api, {"ids": [original["id"]]}).status_code == 200
    again = create(api, productId=original["productId"], name=original["name"])
    assert again["id"] != original["id"]


def test_the_request_log_records_the_batch(api):
    (row_id,) = made(api, 1)
    api.clear_request_log()
    delete_batch(api, {"ids": [row_id]})
    delete_batch(api, {"ids": [row_id]})
    assert api.requests_received() == [
        {"method": "DELETE", "path": "/phoneConnections/batch", "query": "", "status": 200},
        {"method": "DELETE", "path": "/phoneConnections/batch", "query": "", "status": 404},
    ]


# --- Strict: a missing id deletes nothing -----------------------------------------------


def test_missing_ids_are_named_and_nothing_is_deleted(api):
    live = made(api, 2)
    before = list_rows(api)
    response = delete_batch(
        api, {"ids": [live[0], "phoneConnection_nope", live[1], "phoneConnection_gone"]}
    )
    message = json_error(response, 404)
    assert response.json()["error"] == "Not Found"
    assert message == "PhoneConnections not found: phoneConnection_nope, phoneConnection_gone"
    assert all(is_live(api, row_id) for row_id in live)
    assert list_rows(api) == before


def test_an_already_deleted_id_counts_as_missing(api):
    gone, live = made(api, 2)
    assert send(api, "DELETE", f"/phoneConnections/{gone}").status_code == 204
    response = delete_batch(api, {"ids": [live, gone]})
    assert json_error(response, 404) == f"PhoneConnections not found: {gone}"
    assert is_live(api, live)


def test_a_missing_id_given_twice_is_named_once(api):
    (live,) = made(api, 1)
    response = delete_batch(api, {"ids": ["phoneConnection_x", live, "phoneConnection_x"]})
    assert json_error(response, 404) == "PhoneConnections not found: phoneConnection_x"
    assert is_live(api, live)


def test_a_webrtc_connection_id_is_not_a_phone_connection(api):
    (live,) = made(api, 1)
    webrtc = api.get("/webRtcConnections?limit=1").json()[0]["id"]
    response = delete_batch(api, {"ids": [live, webrtc]})
    assert json_error(response, 404) == f"PhoneConnections not found: {webrtc}"
    assert is_live(api, live)
    assert api.get(f"/webRtcConnections/{webrtc}").status_code == 200


def test_overlapping_batches_at_once_delete_each_row_once(api):
    """Two batches sharing an id race: one wins whole, the other deletes nothing."""
    for _ in range(5):
        first, shared, last = made(api, 3)
        with ThreadPoolExecutor(max_workers=2) as pool:
            answers = list(
                pool.map(
                    lambda ids: delete_batch(api, {"ids": ids}), [[first, shared], [shared, last]]
                )
            )
        statuses = sorted(answer.status_code for answer in answers)
        assert statuses == [200, 404]
        loser = next(answer for answer in answers if answer.status_code == 404)
        assert json_error(loser, 404) == f"PhoneConnections not found: {shared}"
        survivor = last if answers[0].status_code == 200 else first
        assert is_live(api, survivor)
        assert not is_live(api, shared)


# --- Bad bodies -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "mentions"),
    [
        (b"", "ids is required"),
        ({}, "ids is required"),
        ({"ids": None}, "ids is required"),
        ({"ids": []}, "non-empty list"),
        ({"ids": "phoneConnection_1"}, "non-empty list"),
        ({"ids": {"phoneConnection_1": True}}, "non-empty list"),
        ({"ids": [1, 2]}, "strings"),
        ({"ids": ["phoneConnection_1", None]}, "strings"),
        ({"ids": [["phoneConnection_1"]]}, "strings"),
        ({"ids": [""]}, "strings"),
        ({"ids": ["  "]}, "strings"),
        ({"ids": ["phoneConnection_1"], "force": True}, "force"),
        ({"id": "phoneConnection_1"}, "id"),
        (b"{not json", "JSON"),
        (b'["phoneConnection_1"]', "JSON object"),
        (b'"phoneConnection_1"', "JSON object"),
        (b"null", "JSON object"),
    ],
)
def test_a_body_that_is_not_a_list_of_ids_is_400(api, body, mentions):
    (live,) = made(api, 1)
    message = json_error(delete_batch(api, body), 400)
    assert mentions in message
    assert is_live(api, live)


def test_more_than_100_ids_is_400_and_deletes_nothing(api):
    row_ids = made(api, 101)
    response = delete_batch(api, {"ids": row_ids})
    assert json_error(response, 400) == "At most 100 ids per batch, not 101."
    assert all(is_live(api, row_id) for row_id in row_ids[::10])


def test_the_limit_is_checked_before_the_ids_exist(api):
    row_ids = [f"phoneConnection_{index}" for index in range(150)]
    message = json_error(delete_batch(api, {"ids": row_ids}), 400)
    assert message.startswith("At most 100 ids per batch")


# --- The route does not collide with `/phoneConnections/{id}` ----------------------------


def test_batch_is_never_read_as_an_id(api):
    missing = "PhoneConnection not found: batch"
    assert json_error(api.get("/phoneConnections/batch"), 404) == missing
    patched = send(api, "PATCH", "/phoneConnections/batch", json={"name": "x"})
    assert json_error(patched, 404) == missing
    assert json_error(delete_batch(api, {}), 400) == (
        'ids is required: send {"ids": [...]}, a non-empty list of ids.'
    )


def test_the_batch_route_takes_a_trailing_slash(api):
    (row_id,) = made(api, 1)
    response = delete_batch(api, {"ids": [row_id]}, path="/phoneConnections/batch/")
    assert (response.status_code, response.json()) == (200, SUCCESS)


@pytest.mark.parametrize(
    ("method", "path"),
    [("GET", "/phoneConnections/batch/x"), ("DELETE", "/phoneConnections/batch/x")],
)
def test_below_the_batch_route_is_no_route(api, method, path):
    response = send(api, method, path)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == HTML_TYPE
    assert f"<pre>Cannot {method} {path}</pre>" in response.text


def test_webrtc_connections_have_no_batch_route(api):
    """Not in the contract: `/webRtcConnections/batch` is the id "batch", as before."""
    webrtc = api.get("/webRtcConnections?limit=1").json()[0]["id"]
    response = delete_batch(api, {"ids": [webrtc]}, path="/webRtcConnections/batch")
    assert json_error(response, 404) == "WebRtcConnection not found: batch"
    assert api.get(f"/webRtcConnections/{webrtc}").status_code == 200

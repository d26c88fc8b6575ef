"""How the client turns every way a call can fail into a GalteaError, over real sockets.

Servers of the tests' own (tests/galtea/fake_upstream.py) give the answers the emulator
never would: resets, hangs, HTML, wrong shapes, any status. Also checked here: a write is
never sent twice, and the API key never shows up in an error, a repr or a log line.
"""

from __future__ import annotations

import logging
import socket
import time

import pytest

from galtea_admin.galtea import phone_connections as pcs
from galtea_admin.galtea import voices as voice_service
from galtea_admin.galtea.client import GalteaClient, get_client
from galtea_admin.galtea.errors import (
    GalteaBadAnswer,
    GalteaError,
    GalteaForbidden,
    GalteaNoSuchRoute,
    GalteaNotFound,
    GalteaRateLimited,
    GalteaRejected,
    GalteaServerError,
    GalteaTimeout,
    GalteaUnauthorized,
    GalteaUnavailable,
)
from galtea_admin.galtea.phone_connections import PHONE_CONNECTIONS, phone_connection_query
from galtea_admin.galtea.resources import RemoteQuery
from tests.galtea.fake_upstream import (
    HANG,
    HANG_BEFORE_BODY,
    RESET,
    ClosingListener,
    Reply,
    error_reply,
    html_reply,
    json_reply,
)

KEY = "gsk_secret_test_key_7f3a9c1e5b"
CLIENT_LOGGER = "galtea_admin.galtea.client"

ROW = {
    "id": "pc_1",
    "productId": "prod_1",
    "name": "Front desk",
    "phoneNumber": "+14155550123",
    "userId": "user_1",
    "voice": None,
    "languageCode": None,
    "agentSpeaksFirst": False,
    "createdAt": "2025-01-02T03:04:05.678Z",
    "deletedAt": None,
}


def make_client(url: str, **options) -> GalteaClient:
    options = {"connect_timeout": 1.0, "read_timeout": 0.5, "connect_retries": 2, **options}
    return GalteaClient(url, KEY, **options)


def list_some(client: GalteaClient):
    """A list call whose URL carries a query string (filters, sort, page)."""
    query = phone_connection_query().filter(product_ids=["prod_1"], phone_number="+1415")
    return pcs.phone_connection_list(query=query, offset=25, limit=26, client=client)


WRITES = {
    "POST": lambda client: pcs.phone_connection_create(
        product_id="prod_1", name="Front desk", phone_number="+14155550123", client=client
    ),
    "PATCH": lambda client: pcs.phone_connection_update(
        connection_id="pc_1", changes={"name": "New"}, client=client
    ),
    "DELETE": lambda client: pcs.phone_connection_delete(connection_id="pc_1", client=client),
}
WRITE_PATHS = {"POST": "/phoneConnections", "PATCH": "/phoneConnections/pc_1"}
WRITE_PATHS["DELETE"] = WRITE_PATHS["PATCH"]


@pytest.fixture
def closing_listener():
    listener = ClosingListener().start()
    yield listener
    listener.stop()


@pytest.fixture
def full_backlog_url():
    """A port whose accept queue is full: new connections are never accepted."""
    server = socket.create_server(("127.0.0.1", 0), backlog=0)
    port = server.getsockname()[1]
    fillers = []
    for _ in range(3):
        filler = socket.socket()
        filler.setblocking(False)
        filler.connect_ex(("127.0.0.1", port))
        fillers.append(filler)
    time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    for filler in fillers:
        filler.close()
    server.close()


def client_log_lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == CLIENT_LOGGER]


# --- Connections ----------------------------------------------------------------------------


class TestConnectionFailures:
    def test_closed_port_is_unavailable(self, closed_port_url):
        client = make_client(closed_port_url)
        with pytest.raises(GalteaUnavailable) as raised:
            list_some(client)
        assert raised.value.status == 503
        assert raised.value.upstream_status is None

    @pytest.mark.parametrize("method", sorted(WRITES))
    def test_closed_port_is_unavailable_for_writes(self, closed_port_url, method):
        with pytest.raises(GalteaUnavailable):
            WRITES[method](make_client(closed_port_url))

    @pytest.mark.parametrize("retries", [0, 1, 2])
    def test_a_get_tries_one_connection_more_than_its_retries(self, closing_listener, retries):
        client = make_client(closing_listener.url, connect_retries=retries)
        with pytest.raises(GalteaUnavailable):
            list_some(client)
        assert closing_listener.connections == 1 + retries

    @pytest.mark.parametrize("method", sorted(WRITES))
    def test_a_write_gets_one_connection_only(self, closing_listener, method):
        client = make_client(closing_listener.url, connect_retries=3)
        with pytest.raises(GalteaUnavailable):
            WRITES[method](client)
        assert closing_listener.connections == 1

    def test_a_get_succeeds_when_a_retry_gets_through(self, upstream):
        answers = iter([RESET, RESET])
        upstream.handler = lambda request: next(answers, json_reply([ROW]))
        client = make_client(upstream.url, connect_retries=2)

        rows = list_some(client)

        assert [row.id for row in rows] == ["pc_1"]
        sent = upstream.received()
        assert len(sent) == 3
        assert len({request.query for request in sent}) == 1  # the same request each time

    def test_a_get_gives_up_after_its_retries(self, upstream):
        answers = iter([RESET, RESET])
        upstream.handler = lambda request: next(answers, json_reply([ROW]))
        with pytest.raises(GalteaUnavailable):
            list_some(make_client(upstream.url, connect_retries=1))
        assert len(upstream.received()) == 2

    def test_a_connection_never_accepted_is_a_timeout(self, full_backlog_url):
        client = make_client(full_backlog_url, connect_timeout=0.2, connect_retries=1)
        started = time.monotonic()
        with pytest.raises(GalteaTimeout) as raised:
            list_some(client)
        assert raised.value.status == 504
        assert time.monotonic() - started < 3


class TestTimeouts:
    def test_no_answer_within_the_read_timeout(self, upstream):
        upstream.handler = lambda request: HANG
        client = make_client(upstream.url, read_timeout=0.5)
        started = time.monotonic()

        with pytest.raises(GalteaTimeout) as raised:
            list_some(client)

        elapsed = time.monotonic() - started
        assert 0.45 <= elapsed < 2
        assert raised.value.status == 504
        # A GET that reached the server and timed out is not sent again.
        assert len(upstream.received()) == 1

    def test_a_body_that_stops_coming_is_a_timeout_too(self, upstream):
        # The status line and headers arrive, then nothing: Galtea is too slow, not gone.
        upstream.handler = lambda request: HANG_BEFORE_BODY
        client = make_client(upstream.url, read_timeout=0.3)

        with pytest.raises(GalteaTimeout):
            list_some(client)

        assert len(upstream.received()) == 1


# --- Answers that are not what the contract promises ----------------------------------------


class TestBadAnswers:
    def test_html_with_200(self, upstream):
        upstream.handler = lambda request: html_reply("<html><body>Welcome</body></html>")
        with pytest.raises(GalteaBadAnswer) as raised:
            list_some(make_client(upstream.url))
        assert raised.value.upstream_status == 200
        assert raised.value.status == 502
        assert "JSON" in raised.value.message

    def test_empty_body_with_200(self, upstream):
        upstream.handler = lambda request: Reply(200, b"")
        with pytest.raises(GalteaBadAnswer):
            list_some(make_client(upstream.url))

    @pytest.mark.parametrize(
        ("body", "mentions"),
        [
            ({"data": [ROW]}, "list"),
            ([{k: v for k, v in ROW.items() if k != "createdAt"}], "createdAt"),
            ([{k: v for k, v in ROW.items() if k != "id"}], "id"),
            ([{**ROW, "name": None}], "name"),
            ([{**ROW, "createdAt": "last Tuesday"}], "createdAt"),
            ([{**ROW, "deletedAt": "2025-99-99"}], "deletedAt"),
            ([{**ROW, "agentSpeaksFirst": "yes"}], "agentSpeaksFirst"),
            ([{**ROW, "phoneNumber": 14155550123}], "phoneNumber"),
            (["pc_1"], "object"),
            ([ROW, None], "object"),
        ],
        ids=[
            "object-not-list",
            "no-createdAt",
            "no-id",
            "null-name",
            "bad-date",
            "bad-deletedAt",
            "flag-not-bool",
            "number-not-string",
            "string-row",
            "null-row",
        ],
    )
    def test_wrong_shapes_in_a_list(self, upstream, body, mentions):
        upstream.handler = lambda request: json_reply(body)
        with pytest.raises(GalteaBadAnswer) as raised:
            list_some(make_client(upstream.url))
        assert mentions in raised.value.message
        assert raised.value.status == 502

    def test_a_list_where_one_row_was_expected(self, upstream):
        upstream.handler = lambda request: json_reply([ROW])
        with pytest.raises(GalteaBadAnswer):
            pcs.phone_connection_get(connection_id="pc_1", client=make_client(upstream.url))

    def test_absent_optional_fields_read_as_defaults(self, upstream):
        minimal = {k: ROW[k] for k in ("id", "productId", "name", "phoneNumber", "createdAt")}
        upstream.handler = lambda request: json_reply(minimal)

        row = pcs.phone_connection_get(connection_id="pc_1", client=make_client(upstream.url))

        assert (row.voice, row.language_code, row.user_id, row.deleted_at) == (None,) * 4
        assert row.agent_speaks_first is False

    def test_a_redirect_is_not_followed(self, upstream):
        upstream.handler = lambda request: Reply(
            301, headers={"Location": "http://127.0.0.1:1/elsewhere"}
        )
        with pytest.raises(GalteaBadAnswer) as raised:
            list_some(make_client(upstream.url))
        assert raised.value.upstream_status == 301
        assert len(upstream.received()) == 1

    def test_an_unexpected_success_status(self, upstream):
        upstream.handler = lambda request: json_reply(ROW, status=202)
        with pytest.raises(GalteaBadAnswer) as raised:
            pcs.phone_connection_update(
                connection_id="pc_1", changes={"name": "x"}, client=make_client(upstream.url)
            )
        assert raised.value.upstream_status == 202

    @pytest.mark.parametrize(
        "reply", [Reply(200, b""), Reply(200, b"OK", content_type="text/plain"), Reply(204)]
    )
    def test_a_delete_needs_no_body(self, upstream, reply):
        # The API's DELETE status is unknown (200 or 204); the admin uses no part of the body.
        upstream.handler = lambda request: reply
        assert (
            pcs.phone_connection_delete(connection_id="pc_1", client=make_client(upstream.url))
            is None
        )

    def test_create_accepts_200_as_well_as_201(self, upstream):
        upstream.handler = lambda request: json_reply(ROW, status=200)
        row = WRITES["POST"](make_client(upstream.url))
        assert row.id == "pc_1"


# --- Statuses -------------------------------------------------------------------------------


class TestStatuses:
    def test_wrong_key_is_unauthorized(self, emulator):
        emulator.clear_request_log()
        client = GalteaClient(emulator.url, "gsk_not_the_right_key")

        with pytest.raises(GalteaUnauthorized) as raised:
            list_some(client)

        assert "GALTEA_API_KEY" in raised.value.message
        assert raised.value.upstream_status == 401
        assert raised.value.status == 502
        assert "gsk_not_the_right_key" not in str(raised.value)
        assert [r["status"] for r in emulator.requests_received()] == [401]

    def test_no_key_is_unauthorized(self, emulator):
        with pytest.raises(GalteaUnauthorized):
            pcs.phone_connection_get(connection_id="pc_1", client=GalteaClient(emulator.url, ""))

    def test_an_unknown_route_is_a_wrong_base_url(self, emulator):
        emulator.clear_request_log()
        client = GalteaClient(emulator.url + "/v2/", emulator.api_key)

        with pytest.raises(GalteaBadAnswer) as raised:
            list_some(client)

        # Its own kind of bad answer: an API generation without a route is told by it.
        assert isinstance(raised.value, GalteaBadAnswer)
        assert type(raised.value) is GalteaNoSuchRoute
        assert "GALTEA_API_URL" in raised.value.message
        assert raised.value.upstream_status == 404
        [sent] = emulator.requests_received()
        assert (sent["path"], sent["status"]) == ("/v2/phoneConnections", 404)

    def test_a_missing_entity_is_not_found_with_the_api_message(self, upstream):
        upstream.handler = lambda request: error_reply(404, "PhoneConnection not found: pc_9")
        with pytest.raises(GalteaNotFound) as raised:
            pcs.phone_connection_get(connection_id="pc_9", client=make_client(upstream.url))
        assert raised.value.message == "PhoneConnection not found: pc_9"
        assert raised.value.status == 404

    @pytest.mark.parametrize(
        ("status", "error_type", "admin_status"),
        [
            (500, GalteaServerError, 502),
            (502, GalteaServerError, 502),
            (503, GalteaServerError, 502),
            (504, GalteaServerError, 502),
            (429, GalteaRateLimited, 503),
            (418, GalteaBadAnswer, 502),
        ],
    )
    def test_failure_statuses(self, upstream, status, error_type, admin_status):
        upstream.handler = lambda request: error_reply(status, "internal details")
        with pytest.raises(error_type) as raised:
            list_some(make_client(upstream.url))
        assert type(raised.value) is error_type
        assert raised.value.upstream_status == status
        assert raised.value.status == admin_status
        assert str(status) in raised.value.message or status == 429
        assert "internal details" not in raised.value.message
        # An answer is not a connection failure: not retried.
        assert len(upstream.received()) == 1

    def test_server_error_with_an_html_page(self, upstream):
        upstream.handler = lambda request: html_reply("<h1>Bad Gateway</h1>", status=502)
        with pytest.raises(GalteaServerError):
            list_some(make_client(upstream.url))

    def test_forbidden_keeps_the_api_message(self, upstream):
        upstream.handler = lambda request: error_reply(403, "This key is read-only.")
        with pytest.raises(GalteaForbidden) as raised:
            WRITES["DELETE"](make_client(upstream.url))
        assert raised.value.message == "This key is read-only."

    @pytest.mark.parametrize("status", [400, 409, 422])
    def test_rejections_carry_the_api_message(self, upstream, status):
        upstream.handler = lambda request: error_reply(status, "  phoneNumber must be E.164.  ")
        with pytest.raises(GalteaRejected) as raised:
            WRITES["POST"](make_client(upstream.url))
        assert raised.value.message == "phoneNumber must be E.164."
        assert raised.value.upstream_status == status
        assert raised.value.status == 400

    def test_a_rejection_without_message_falls_back_to_error(self, upstream):
        upstream.handler = lambda request: json_reply({"error": "Bad Request"}, status=400)
        with pytest.raises(GalteaRejected) as raised:
            WRITES["POST"](make_client(upstream.url))
        assert raised.value.message == "Bad Request"

    @pytest.mark.parametrize(
        "reply",
        [html_reply("<h1>Bad</h1>", 400), json_reply(["x"], 400), json_reply({"message": 5}, 400)],
    )
    def test_a_rejection_without_any_text_gets_a_generic_message(self, upstream, reply):
        upstream.handler = lambda request: reply
        with pytest.raises(GalteaRejected) as raised:
            WRITES["POST"](make_client(upstream.url))
        assert raised.value.message == "Galtea rejected the request."

    def test_a_long_message_is_cut(self, upstream):
        upstream.handler = lambda request: error_reply(400, "x" * 5000)
        with pytest.raises(GalteaRejected) as raised:
            WRITES["POST"](make_client(upstream.url))
        assert len(raised.value.message) == 500

    def test_duplicate_name_is_recognised(self, upstream):
        message = "A PhoneConnection with the same name already exists for this product."
        upstream.handler = lambda request: error_reply(400, message)
        with pytest.raises(GalteaRejected) as raised:
            WRITES["PATCH"](make_client(upstream.url))
        assert raised.value.is_duplicate_name

    def test_a_rejection_on_the_emulator(self, client):
        with pytest.raises(GalteaRejected) as raised:
            pcs.phone_connection_list(
                query=RemoteQuery(PHONE_CONNECTIONS, order=(("id", "asc"),)), client=client
            )
        assert "id" in raised.value.message


# --- Writes are sent once -------------------------------------------------------------------

FAULTS = {
    "reset": (RESET, GalteaUnavailable),
    "500": (error_reply(500, "boom"), GalteaServerError),
    "503": (error_reply(503, "busy"), GalteaServerError),
    "hang": (HANG, GalteaTimeout),
}


class TestWritesAreNeverRepeated:
    @pytest.mark.parametrize("fault", sorted(FAULTS))
    @pytest.mark.parametrize("method", sorted(WRITES))
    def test_one_request_whatever_happens(self, upstream, method, fault):
        reply, error_type = FAULTS[fault]
        upstream.handler = lambda request: reply
        client = make_client(upstream.url, read_timeout=0.3, connect_retries=3)

        with pytest.raises(error_type):
            WRITES[method](client)

        sent = upstream.received()
        assert [(r.method, r.path) for r in sent] == [(method, WRITE_PATHS[method])]

    @pytest.mark.parametrize("method", sorted(WRITES))
    def test_a_later_write_is_sent_fresh(self, upstream, method):
        # After a dropped connection the next call works, and is itself sent once.
        answers = iter([RESET])
        upstream.handler = lambda request: next(answers, json_reply(ROW))
        client = make_client(upstream.url, connect_retries=3)

        with pytest.raises(GalteaUnavailable):
            WRITES[method](client)
        WRITES[method](client)

        assert len(upstream.received(method)) == 2


# --- The key stays secret -------------------------------------------------------------------

ECHOES = {
    "rejected": (error_reply(400, f"Invalid token {KEY} sent"), GalteaRejected),
    "rejected-error-field": (json_reply({"error": f"Bearer {KEY}"}, 400), GalteaRejected),
    "conflict": (error_reply(409, f"{KEY}{KEY}"), GalteaRejected),
    "forbidden": (error_reply(403, f"{KEY} may not do this"), GalteaForbidden),
    "not-found": (error_reply(404, f"No row for {KEY}"), GalteaNotFound),
    "unauthorized": (error_reply(401, f"Unknown key {KEY}"), GalteaUnauthorized),
    "server-error": (error_reply(500, f"crash with {KEY}"), GalteaServerError),
    "html": (html_reply(f"<p>{KEY}</p>"), GalteaBadAnswer),
    "reset": (RESET, GalteaUnavailable),
    "hang": (HANG, GalteaTimeout),
}


class TestTheKeyStaysSecret:
    def test_not_in_the_client_repr(self):
        client = GalteaClient("http://127.0.0.1:9/", KEY)
        assert KEY not in repr(client)
        assert KEY not in str(client)
        assert "127.0.0.1:9" in repr(client)

    def test_sent_only_in_the_authorization_header(self, upstream):
        upstream.handler = lambda request: (
            json_reply(ROW, status=201) if request.method == "POST" else json_reply([ROW])
        )
        client = make_client(upstream.url)
        list_some(client)
        WRITES["POST"](client)

        for request in upstream.received():
            assert request.headers["Authorization"] == f"Bearer {KEY}"
            others = {k: v for k, v in request.headers.items() if k != "Authorization"}
            assert KEY not in repr(others)
            assert KEY not in request.path + request.query
            assert KEY.encode() not in request.body

    @pytest.mark.parametrize("case", sorted(ECHOES))
    def test_not_in_errors_or_logs(self, upstream, caplog, case):
        caplog.set_level(logging.DEBUG)
        reply, error_type = ECHOES[case]
        upstream.handler = lambda request: reply

        with pytest.raises(error_type) as raised:
            list_some(make_client(upstream.url, read_timeout=0.3, connect_retries=0))

        error = raised.value
        assert KEY not in str(error)
        assert KEY not in repr(error)
        assert KEY not in error.message
        assert KEY not in repr(error.args)
        for record in caplog.records:
            assert KEY not in record.getMessage()
            assert KEY not in repr(record.args)

    def test_not_in_the_error_when_the_key_cannot_be_sent(self, upstream, caplog):
        # A key read from a file often ends with a newline: no header can carry it.
        caplog.set_level(logging.DEBUG)
        client = GalteaClient(upstream.url, KEY + "\n")
        with pytest.raises(GalteaUnavailable) as raised:
            list_some(client)
        assert KEY not in str(raised.value) + repr(raised.value)
        assert all(KEY not in record.getMessage() for record in caplog.records)
        assert upstream.received() == []

    def test_an_echoed_key_is_redacted_in_the_message(self, upstream):
        upstream.handler = lambda request: error_reply(400, f"Invalid token {KEY} sent")
        with pytest.raises(GalteaRejected) as raised:
            WRITES["POST"](make_client(upstream.url))
        assert raised.value.message == "Invalid token [redacted] sent"

    def test_not_in_the_voice_fallback_log(self, upstream, caplog):
        caplog.set_level(logging.DEBUG)
        upstream.handler = lambda request: error_reply(400, f"bad {KEY}")
        voices = voice_service.available_voices(client=make_client(upstream.url))
        assert len(voices) == 4
        assert caplog.records
        assert all(KEY not in record.getMessage() for record in caplog.records)


# --- One log line per failure ---------------------------------------------------------------

LOGGED_FAILURES = {
    "rejected": error_reply(400, "no"),
    "not-found": error_reply(404, "PhoneConnections not found: pc_1"),
    "unknown-route": html_reply("Cannot GET", 404),
    "unauthorized": error_reply(401, "no"),
    "rate-limited": error_reply(429, "slow down"),
    "server-error": error_reply(500, "boom"),
    "not-json": html_reply("<p>hi</p>"),
    "reset": RESET,
    "hang": HANG,
}


class TestFailureLogging:
    @pytest.mark.parametrize("case", sorted(LOGGED_FAILURES))
    def test_one_line_with_method_and_path_and_no_query(self, upstream, caplog, case):
        caplog.set_level(logging.INFO)
        reply = LOGGED_FAILURES[case]
        upstream.handler = lambda request: reply

        with pytest.raises(GalteaError) as raised:
            list_some(make_client(upstream.url, read_timeout=0.3))

        [line] = client_log_lines(caplog)
        assert "GET /phoneConnections " in line
        assert type(raised.value).__name__ in line
        assert "?" not in line
        assert "sort" not in line
        assert "prod_1" not in line
        status = raised.value.upstream_status
        assert str(status if status is not None else "none") in line

    @pytest.mark.parametrize("method", sorted(WRITES))
    def test_writes_log_their_method_and_path(self, upstream, caplog, method):
        upstream.handler = lambda request: error_reply(500, "boom")
        with pytest.raises(GalteaServerError):
            WRITES[method](make_client(upstream.url))
        [line] = client_log_lines(caplog)
        assert f"{method} {WRITE_PATHS[method]} " in line
        assert "500" in line

    def test_a_retried_get_logs_once(self, closing_listener, caplog):
        with pytest.raises(GalteaUnavailable):
            list_some(make_client(closing_listener.url, connect_retries=2))
        assert closing_listener.connections == 3
        assert len(client_log_lines(caplog)) == 1

    def test_a_malformed_answer_is_logged_once(self, upstream, caplog):
        upstream.handler = lambda request: json_reply({"data": []})
        with pytest.raises(GalteaBadAnswer):
            list_some(make_client(upstream.url))
        [line] = client_log_lines(caplog)
        assert "GET /phoneConnections " in line
        assert "?" not in line

    def test_success_logs_nothing(self, upstream, caplog):
        caplog.set_level(logging.INFO)
        upstream.handler = lambda request: json_reply([ROW])
        list_some(make_client(upstream.url))
        assert client_log_lines(caplog) == []


# --- Configuration --------------------------------------------------------------------------


class TestConfiguration:
    def test_one_client_per_configuration(self, settings, emulator):
        settings.GALTEA_API_URL = emulator.url + "/"
        settings.GALTEA_API_KEY = emulator.api_key
        first = get_client()
        assert get_client() is first
        assert first.base_url == emulator.url

        settings.GALTEA_API_KEY = "gsk_other"
        assert get_client() is not first

    def test_settings_reach_the_client(self, settings):
        settings.GALTEA_API_URL = "http://127.0.0.1:9"
        settings.GALTEA_API_KEY = KEY
        settings.GALTEA_CONNECT_TIMEOUT = 1.5
        settings.GALTEA_READ_TIMEOUT = 7.0
        settings.GALTEA_CONNECT_RETRIES = 4
        client = get_client()
        assert (client.timeout, client.connect_retries) == ((1.5, 7.0), 4)

    def test_negative_retries_mean_none(self, closing_listener):
        client = make_client(closing_listener.url, connect_retries=-3)
        with pytest.raises(GalteaUnavailable):
            list_some(client)
        assert closing_listener.connections == 1

    def test_a_base_url_without_scheme_fails_as_a_galtea_error(self):
        with pytest.raises(GalteaUnavailable):
            list_some(GalteaClient("api.galtea.ai", KEY))


class TestDeleteAnswers:
    """The API's DELETE status is unknown (200 or 204), with or without a body."""

    @pytest.mark.parametrize(
        "reply",
        [
            Reply(204, b""),
            Reply(204, b"", content_type="text/plain"),
            Reply(200, b""),
            json_reply({"message": "Phone connection deleted successfully"}),
            json_reply(None),
        ],
        ids=["204", "204-no-type", "200-empty", "200-json", "200-null"],
    )
    def test_200_and_204_with_or_without_a_body_are_a_success(self, upstream, reply):
        upstream.handler = lambda request: reply
        pcs.phone_connection_delete(connection_id="pc_1", client=make_client(upstream.url))
        assert [(r.method, r.path) for r in upstream.received()] == [
            ("DELETE", "/phoneConnections/pc_1")
        ]

    def test_a_batch_delete_sends_the_ids_in_its_body(self, upstream):
        from galtea_admin.galtea.resources import resource_delete_batch

        upstream.handler = lambda request: Reply(204, b"")
        resource_delete_batch(
            PHONE_CONNECTIONS, entity_ids=["pc_1", "pc_2"], client=make_client(upstream.url)
        )
        (sent,) = upstream.received()
        assert (sent.method, sent.path, sent.json()) == (
            "DELETE",
            "/phoneConnections/batch",
            {"ids": ["pc_1", "pc_2"]},
        )


class TestForbiddenNamesTheAction:
    @pytest.mark.parametrize(
        ("call", "action"),
        [
            (lambda c: pcs.phone_connection_list(client=c), "list phone connections"),
            (
                lambda c: pcs.phone_connection_get(connection_id="x", client=c),
                "read phone connections",
            ),
            (
                lambda c: pcs.phone_connection_delete(connection_id="x", client=c),
                "delete phone connections",
            ),
        ],
        ids=["list", "read", "delete"],
    )
    def test_a_403_is_a_permission_of_the_key(self, upstream, call, action):
        upstream.handler = lambda request: error_reply(403, "Not allowed for this product")
        with pytest.raises(GalteaForbidden) as raised:
            call(make_client(upstream.url))
        assert raised.value.status == 403
        assert raised.value.title == f"Galtea does not allow this API key to {action}"
        assert raised.value.message == "Not allowed for this product"

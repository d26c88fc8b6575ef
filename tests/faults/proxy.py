"""A fault-injecting HTTP proxy between the admin and a Galtea API (in the tests, the emulator).

Every request is forwarded to the target API unless a fault matches it. A fault decides what
the admin gets instead:

- `REFUSED`: the proxy stops listening (and drops its open connections), so connecting fails;
- `hang()`: no answer at all, until long after the admin's read timeout;
- `hang_after_headers()`: a status line and headers, then no body;
- `reset()`: the connection is dropped with a TCP reset;
- `hang_then_drop(seconds)`: no answer for `seconds`, then a TCP reset;
- `slow(seconds)`: the API's real answer, held back until `seconds` after the request came;
- `status(code)`, `html_page(code)`: an error in the API's JSON shape, or a gateway's HTML page;
- `html_ok()`, `truncated_json()`, `wrong_container()`, `missing_field(key)`: a 200 (or 201)
  whose body is not what the contract promises.

A fault that answers in place of the API never lets a write (POST, PATCH, DELETE) through:
what the admin reads is made up from the request, so "nothing was saved" stays true. `clear()`
ends every fault at once and the proxy keeps its address, so the admin's next request is
forwarded again.

`FaultProxy` also records what the admin sent (`received()`, `bodies()`, `paths()`) and keeps
the recording gateway's `fail(method, path_pattern, reply)`.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from http.server import ThreadingHTTPServer

import requests

from tests.galtea.fake_upstream import (
    HANG,
    HANG_BEFORE_BODY,
    RESET,
    FakeUpstream,
    ReceivedRequest,
    Reply,
    error_reply,
    html_reply,
    json_reply,
)

FORWARDED_HEADERS = ("Authorization", "Content-Type", "Accept")
WRITE_METHODS = frozenset({"POST", "PATCH", "PUT", "DELETE"})

Forward = Callable[[ReceivedRequest], Reply]


# --- Faults ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fault:
    """What the admin gets instead of the API's answer.

    `answer(request, forward)` returns the reply; it may call `forward(request)` to get the
    API's real answer first. A fault with `refuses` set takes the whole proxy off the air.
    """

    name: str
    answer: Callable[[ReceivedRequest, Forward], Reply] | None = None
    refuses: bool = False

    def __call__(self, request: ReceivedRequest, forward: Forward) -> Reply:
        assert self.answer is not None, f"{self.name} has no answer"
        return self.answer(request, forward)


REFUSED = Fault("refused", refuses=True)


def hang() -> Fault:
    return Fault("hang", lambda request, forward: HANG)


def hang_after_headers() -> Fault:
    """A status line and headers, then nothing: the body never comes."""
    return Fault("hang after headers", lambda request, forward: HANG_BEFORE_BODY)


def reset() -> Fault:
    return Fault("reset", lambda request, forward: RESET)


def hang_then_drop(seconds: float) -> Fault:
    """No answer for `seconds`, then the connection dropped (a read that may be retried)."""

    def answer(request: ReceivedRequest, forward: Forward) -> Reply:
        time.sleep(seconds)
        return RESET

    return Fault(f"hang {seconds}s then drop", answer)


def slow(seconds: float) -> Fault:
    """The API's own answer, sent `seconds` after the request arrived."""

    def answer(request: ReceivedRequest, forward: Forward) -> Reply:
        started = time.monotonic()
        reply = forward(request)
        time.sleep(max(0.0, seconds - (time.monotonic() - started)))
        return reply

    return Fault(f"slow {seconds}s", answer)


def status(code: int, message: str = "Something went wrong.", **headers: str) -> Fault:
    """An error answer in the API's own JSON shape."""
    reply = error_reply(code, message)
    if headers:
        reply = Reply(reply.status, reply.body, reply.content_type, dict(headers))
    return Fault(f"status {code}", lambda request, forward: reply)


def html_page(code: int) -> Fault:
    """An error page of a gateway in front of the API (HTML, not the API's JSON)."""
    page = f"<html><head><title>{code}</title></head><body><h1>{code}</h1></body></html>"
    return Fault(f"html {code}", lambda request, forward: html_reply(page, code))


def html_ok() -> Fault:
    """A 200 whose body is an HTML page (a captive portal, a login page of a proxy)."""
    page = "<!DOCTYPE html><html><body><h1>Welcome</h1><p>Please sign in.</p></body></html>"
    return Fault("html 200", lambda request, forward: html_reply(page, 200))


def truncated_json() -> Fault:
    """The API's answer cut in the middle (with a Content-Length that matches the cut)."""

    def answer(request: ReceivedRequest, forward: Forward) -> Reply:
        reply = api_answer(request, forward)
        cut = max(1, len(reply.body) // 2)
        return Reply(reply.status, reply.body[:cut], reply.content_type)

    return Fault("truncated json", answer)


def rewritten(name: str, change: Callable[[object], object]) -> Fault:
    """The API's answer with its JSON body passed through `change`."""

    def answer(request: ReceivedRequest, forward: Forward) -> Reply:
        reply = api_answer(request, forward)
        data = change(json.loads(reply.body))
        return Reply(reply.status, json.dumps(data).encode(), "application/json")

    return Fault(name, answer)


def wrong_container() -> Fault:
    """An object where the contract has a list (an "envelope"), a list where it has an object."""

    def change(data: object) -> object:
        return {"data": data, "count": len(data)} if isinstance(data, list) else [data]

    return rewritten("wrong container", change)


def missing_field(key: str) -> Fault:
    """Each row without `key`."""

    def change(data: object) -> object:
        rows = data if isinstance(data, list) else [data]
        for row in rows:
            if isinstance(row, dict):
                row.pop(key, None)
        return data

    return rewritten(f"missing {key}", change)


def api_answer(request: ReceivedRequest, forward: Forward) -> Reply:
    """The API's answer to a read; for a write, the answer it would give, made up without
    sending the write (so that a garbled answer never hides a change that was made)."""
    if request.method not in WRITE_METHODS:
        return forward(request)
    return json_reply(made_up_connection(request), 201 if request.method == "POST" else 200)


def made_up_connection(request: ReceivedRequest) -> dict:
    """A phone connection shaped like the API's, holding what the request sent."""
    connection_id = request.path.rsplit("/", 1)[-1]
    row = {
        "id": connection_id if connection_id != "phoneConnections" else "phoneConnection_unsaved",
        "productId": "product_unsaved",
        "name": "Not saved",
        "phoneNumber": "+14155552671",
        "userId": None,
        "voice": None,
        "languageCode": None,
        "agentSpeaksFirst": False,
        "createdAt": "2025-01-02T03:04:05.678Z",
        "deletedAt": None,
    }
    if request.body:
        sent = request.json()
        if isinstance(sent, dict):
            row.update(sent)
    return row


# --- The proxy -------------------------------------------------------------------------------


class _TrackingServer(ThreadingHTTPServer):
    """A threaded HTTP server that can drop every connection it holds open (keep-alive)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, *args, **kwargs):
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(*args, **kwargs)

    def process_request(self, request, client_address):
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request):
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def drop_connections(self) -> None:
        with self._open_lock:
            held = list(self._open)
        for connection in held:
            with contextlib.suppress(OSError):  # closed meanwhile
                connection.shutdown(socket.SHUT_RDWR)


class Listener(FakeUpstream):
    """A `FakeUpstream` on a chosen port (0: any free one) that drops its open connections
    when it stops, so that a stopped listener looks like a port nothing listens on."""

    def __init__(self, handler, port: int = 0) -> None:
        super().__init__(handler)
        request_handler = self._server.RequestHandlerClass
        self._server.server_close()
        self._server = _TrackingServer(("127.0.0.1", port), request_handler)
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    def stop(self) -> None:
        super().stop()
        self._server.drop_connections()


@dataclass(frozen=True)
class _Rule:
    method: str | None
    path: re.Pattern | None
    fault: Fault

    def matches(self, request: ReceivedRequest) -> bool:
        if self.method is not None and request.method != self.method:
            return False
        return self.path is None or bool(self.path.fullmatch(request.path))


class FaultProxy:
    """Forwards the admin's requests to `target` (anything with `.url`), except where a fault
    says otherwise. Start it once; switch faults per test with `inject()` and `clear()`."""

    def __init__(self, target) -> None:
        self.target = target
        self.faults: list[_Rule] = []
        self.refusing = False
        self._received: list[ReceivedRequest] = []
        self._lock = threading.Lock()
        self._listener = Listener(self.handle)
        self.port = self._listener.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FaultProxy:
        self._listener.start()
        return self

    def stop(self) -> None:
        if not self.refusing:
            self._listener.stop()

    # --- faults
    def inject(self, fault: Fault, method: str | None = None, path: str | None = None) -> None:
        """Apply `fault` to the requests with `method` whose path matches the regular
        expression `path` (None: any). A refusing fault applies to every request."""
        if fault.refuses:
            if not self.refusing:
                self.refusing = True
                self._listener.stop()
            return
        pattern = re.compile(path) if path is not None else None
        self.faults.append(_Rule(method, pattern, fault))

    def fail(self, method: str, path_pattern: str, reply: Reply) -> None:
        """Answer `method` requests whose path matches `path_pattern` with `reply`."""
        self.inject(Fault(f"reply {reply.status}", lambda r, f: reply), method, path_pattern)

    def clear(self) -> None:
        """End every fault: from now on each request is forwarded, on the same address."""
        self.faults.clear()
        if self.refusing:
            self._listener = Listener(self.handle, port=self.port).start()
            self.refusing = False

    # --- what the admin sent
    def handle(self, request: ReceivedRequest) -> Reply:
        with self._lock:
            self._received.append(request)
        for rule in list(self.faults):
            if rule.matches(request):
                return rule.fault(request, self.forward)
        return self.forward(request)

    def forward(self, request: ReceivedRequest) -> Reply:
        url = self.target.url + request.path + (f"?{request.query}" if request.query else "")
        headers = {k: v for k, v in request.headers.items() if k in FORWARDED_HEADERS}
        answer = requests.request(
            request.method, url, data=request.body or None, headers=headers, timeout=10
        )
        content_type = answer.headers.get("Content-Type", "application/json")
        return Reply(answer.status_code, answer.content, content_type=content_type)

    def received(self, method: str | None = None) -> list[ReceivedRequest]:
        with self._lock:
            return [r for r in self._received if method is None or r.method == method]

    def forget(self) -> None:
        with self._lock:
            self._received.clear()

    def bodies(self, method: str) -> list[object]:
        """The JSON bodies of the `method` requests the admin sent, oldest first."""
        return [request.json() for request in self.received(method)]

    def paths(self, method: str) -> list[str]:
        return [request.path for request in self.received(method)]

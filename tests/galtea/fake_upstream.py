"""A small HTTP server on loopback whose answers each test chooses.

`FakeUpstream` records every request it receives and asks a handler (a function of the
test's own) what to do with it: answer with a `Reply`, reset the connection, or hang.
It stands in for Galtea wherever a test needs an answer the emulator would never give.
"""

from __future__ import annotations

import json
import socket
import struct
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

# How long a hanging answer waits at most (the server's stop() wakes it earlier).
HANG_SECONDS = 10.0


@dataclass(frozen=True)
class ReceivedRequest:
    """One request as the server read it."""

    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> object:
        return json.loads(self.body)


@dataclass(frozen=True)
class Reply:
    """What to do with a request.

    `action` is None to answer normally, "reset" to drop the connection without an answer,
    "hang" to answer nothing until the server stops, "hang_body" to send the status line and
    headers and then hang before the body.
    """

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    action: str | None = None


def json_reply(data: object, status: int = 200) -> Reply:
    return Reply(status, json.dumps(data).encode())


def html_reply(text: str, status: int = 200) -> Reply:
    return Reply(status, text.encode(), content_type="text/html; charset=utf-8")


def error_reply(status: int, message: str, error: str = "Error") -> Reply:
    """An error in the API's JSON shape."""
    return json_reply({"error": error, "message": message}, status)


RESET = Reply(action="reset")
HANG = Reply(action="hang")
HANG_BEFORE_BODY = Reply(body=b"[]", action="hang_body")

Handler = Callable[[ReceivedRequest], Reply]


class FakeUpstream:
    """A threaded HTTP/1.1 server on 127.0.0.1 with a free port."""

    def __init__(self, handler: Handler | None = None) -> None:
        self.handler: Handler = handler or (lambda request: json_reply([]))
        self.requests: list[ReceivedRequest] = []
        self.stopping = threading.Event()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _make_request_handler(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeUpstream:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def record(self, request: ReceivedRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def received(self, method: str | None = None) -> list[ReceivedRequest]:
        """The requests received so far (of one method if given), oldest first."""
        with self._lock:
            return [r for r in self.requests if method is None or r.method == method]


def _make_request_handler(upstream: FakeUpstream) -> type[BaseHTTPRequestHandler]:
    class RequestHandler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Each answer in one packet: with Nagle's algorithm a delayed ACK costs ~40 ms a call.
        disable_nagle_algorithm = True

        def handle_one_request(self) -> None:
            try:
                super().handle_one_request()
            except OSError:
                # The client went away (or the test reset the connection): nothing to answer.
                self.close_connection = True

        def do_request(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = ReceivedRequest(
                method=self.command,
                path=parts.path,
                query=parts.query,
                headers=dict(self.headers.items()),
                body=self.rfile.read(length) if length else b"",
            )
            upstream.record(request)
            reply = upstream.handler(request)
            if reply.action == "reset":
                self._reset()
            elif reply.action == "hang":
                upstream.stopping.wait(HANG_SECONDS)
                self.close_connection = True
            else:
                self._answer(reply)

        do_GET = do_POST = do_PATCH = do_PUT = do_DELETE = do_request

        def _answer(self, reply: Reply) -> None:
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if reply.action == "hang_body":
                self.wfile.flush()
                upstream.stopping.wait(HANG_SECONDS)
                self.close_connection = True
                return
            self.wfile.write(reply.body)

        def _reset(self) -> None:
            """Close with a TCP reset: the client sees its connection dropped."""
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            self.close_connection = True

        def log_message(self, format: str, *args: object) -> None:
            pass

    return RequestHandler


class ClosingListener:
    """A loopback port that accepts every connection and drops it at once, counting them.

    The client's connection fails before any HTTP answer: what a crashing or restarting
    upstream looks like.
    """

    def __init__(self) -> None:
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.02)
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._connections = 0
        self._thread = threading.Thread(target=self._run, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._socket.getsockname()[1]}"

    @property
    def connections(self) -> int:
        with self._lock:
            return self._connections

    def start(self) -> ClosingListener:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join(timeout=5)
        self._socket.close()

    def _run(self) -> None:
        while not self._stopping.is_set():
            try:
                connection, _ = self._socket.accept()
            except TimeoutError:
                continue
            with self._lock:
                self._connections += 1
            connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            connection.close()

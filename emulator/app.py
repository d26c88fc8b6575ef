"""The emulator as a plain WSGI application: authentication, routing and encoding.

Routing works on the raw request path, as Express does: `//phoneConnections` matches no
route, and a path parameter is percent-decoded only after matching. Unknown routes get
Express's HTML 404 page; the API's own errors are JSON `{"error", "message"}`. The routes
depend on the generation of the API the emulator plays. Every route needs the API key but
the presigned recording links, which carry their own signature.
"""

from __future__ import annotations

import hmac
import html
import json
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from emulator.errors import ApiError
from emulator.generation import ApiGeneration
from emulator.handlers import (
    Reply,
    Request,
    create_row,
    delete_row,
    delete_rows,
    get_row,
    list_lookup,
    list_rows,
    minimum_sdk_version,
    update_row,
)
from emulator.phone_connections import phone_connection_resource
from emulator.presigned_urls import DEFAULT_LIFETIME_SECONDS, UrlSigner
from emulator.products import PRODUCT
from emulator.querystring import QueryParams
from emulator.recording_fault import RecordingFault
from emulator.recordings import DOWNLOAD_PREFIX, PRESIGN_PATH, Recordings
from emulator.request_log import RequestLog
from emulator.resource import Resource, Write
from emulator.sessions import SESSION
from emulator.store import Store
from emulator.versions import VERSION
from emulator.webrtc_connections import WEBRTC_CONNECTION

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
NOT_FOUND_PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n'
    "</head>\n<body>\n<pre>Cannot {method} {path}</pre>\n</body>\n</html>\n"
)
UNAUTHORIZED_MESSAGE = "Missing or invalid API key: send it as 'Authorization: Bearer <key>'."
BATCH_SEGMENT = "batch"
# A host as a Host header may name it: a name or address, and a port.
HOST_SHAPE = re.compile(r"[A-Za-z0-9.\-]+(:[0-9]{1,5})?|\[[0-9A-Fa-f:.]+\](:[0-9]{1,5})?")
# (status, content type or None for an answer without a body, body, more headers)
Answer = tuple[int, str | None, bytes, tuple[tuple[str, str], ...]]


@dataclass(frozen=True)
class Route:
    """`pattern` is a path like `/phoneConnections/{id}`; `{id}` matches one segment.

    A route without a handler is no route: it answers the unknown-route page, and keeps its
    path from reaching a later pattern. A `public` route is served without the API key.
    """

    method: str
    pattern: str
    handler: Callable[..., Reply] | None
    public: bool = False

    @property
    def regex(self) -> re.Pattern[str]:
        # A trailing slash is accepted, as Express's non-strict routing does.
        return re.compile(re.escape(self.pattern).replace(r"\{id\}", "([^/]+)") + "/?")


def resource_routes(resource: Resource) -> tuple[Route, ...]:
    """Its fixed sub-paths first (lookups, batch delete), so they never read as an id; then
    list and read one, and for a writable resource create, update and soft delete."""
    path, item = resource.path, f"{resource.path}/{{id}}"
    routes = [
        *(
            Route("GET", f"{path}/{lookup.segment}", partial(list_lookup, lookup))
            for lookup in resource.lookups
        ),
        *(Route("GET", f"{path}/{segment}", None) for segment in resource.retired_lookups),
    ]
    if resource.batch_delete:
        routes.append(Route("DELETE", f"{path}/{BATCH_SEGMENT}", partial(delete_rows, resource)))
    routes += [
        Route("GET", path, partial(list_rows, resource)),
        Route("GET", item, partial(get_row, resource)),
    ]
    if resource.body:
        writes = {
            Write.CREATE: Route("POST", path, partial(create_row, resource)),
            Write.UPDATE: Route("PATCH", item, partial(update_row, resource)),
            Write.DELETE: Route("DELETE", item, partial(delete_row, resource)),
        }
        routes += [route for write, route in writes.items() if write in resource.writes]
    return tuple(routes)


def recording_routes(recordings: Recordings) -> tuple[Route, ...]:
    return (
        Route("GET", PRESIGN_PATH, recordings.presign),
        Route("GET", f"{DOWNLOAD_PREFIX}/{{id}}", recordings.download, public=True),
    )


def api_routes(generation: ApiGeneration, recordings: Recordings) -> tuple[Route, ...]:
    return (
        Route("GET", "/minimum-sdk-version", minimum_sdk_version),
        *resource_routes(PRODUCT),
        *resource_routes(phone_connection_resource(generation)),
        *resource_routes(WEBRTC_CONNECTION),
        *resource_routes(VERSION),
        *resource_routes(SESSION),
        *recording_routes(recordings),
    )


CompiledRoutes = tuple[tuple[Route, re.Pattern[str]], ...]


class EmulatorApp:
    """Answers every request after `latency_ms`, and records it in the request log if any.

    Recording links stay valid for `recording_url_seconds`; `recording_fault` makes every
    recording transfer fail as it says.
    """

    def __init__(
        self,
        store: Store,
        *,
        api_key: str,
        latency_ms: int = 0,
        request_log: RequestLog | None = None,
        api_generation: ApiGeneration = ApiGeneration.DOCUMENTED,
        recording_fault: RecordingFault = RecordingFault.NONE,
        recording_url_seconds: int = DEFAULT_LIFETIME_SECONDS,
    ) -> None:
        self._store = store
        recordings = Recordings(UrlSigner(recording_url_seconds), recording_fault)
        self._routes: CompiledRoutes = tuple(
            (route, route.regex) for route in api_routes(api_generation, recordings)
        )
        self._api_key = api_key.encode()
        self._latency_seconds = latency_ms / 1000
        self._request_log = request_log

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = _raw_path(environ)
        query = environ.get("QUERY_STRING", "")
        status, content_type, body, extra_headers = self._answer(environ, method, path, query)
        if self._latency_seconds:
            time.sleep(self._latency_seconds)
        if self._request_log:
            self._request_log.record(method, path, query, status)
        headers = (
            [("Content-Type", content_type), ("Content-Length", str(len(body)))]
            if content_type
            else []
        )
        start_response(f"{status} {HTTPStatus(status).phrase}", [*headers, *extra_headers])
        return [body]

    def _answer(self, environ: dict[str, Any], method: str, path: str, query: str) -> Answer:
        found = _find_route(self._routes, method, path)
        public = found is not None and found[0].public
        if not public and not self._authorized(environ.get("HTTP_AUTHORIZATION", "")):
            return _json_error(ApiError(HTTPStatus.UNAUTHORIZED, UNAUTHORIZED_MESSAGE))
        if found is None:
            return _not_found_page(method, path)
        route, path_args = found
        try:
            request = Request(
                QueryParams(_wsgi_text(query)),
                _read_body(environ),
                headers=_request_headers(environ),
                origin=_origin(environ),
            )
            reply = route.handler(self._store, request, *path_args)
        except ApiError as error:
            return _json_error(error)
        except Exception as error:
            traceback.print_exc(file=sys.stderr)
            return _json_error(ApiError(HTTPStatus.INTERNAL_SERVER_ERROR, str(error)))
        if reply.status == HTTPStatus.NO_CONTENT:
            # waitress adds `Connection: close` to a 204 (Express would not); clients reconnect.
            return reply.status, None, b"", reply.headers
        if reply.content is not None:
            return reply.status, reply.content_type, reply.content, reply.headers
        return (*_json(reply.status, reply.payload), reply.headers)

    def _authorized(self, header: str) -> bool:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(token.strip().encode("latin-1"), self._api_key)


def _find_route(routes: CompiledRoutes, method: str, path: str) -> tuple[Route, list[str]] | None:
    for route, regex in routes:
        match = regex.fullmatch(path)
        if match and route.method == method:
            if route.handler is None:
                return None
            return route, [unquote(_wsgi_text(group)) for group in match.groups()]
    return None


def _request_headers(environ: dict[str, Any]) -> dict[str, str]:
    """The request's headers by lower-case name, but the key: no handler needs to see it."""
    return {
        name[len("HTTP_") :].replace("_", "-").lower(): value
        for name, value in environ.items()
        if name.startswith("HTTP_") and name != "HTTP_AUTHORIZATION"
    }


def _origin(environ: dict[str, Any]) -> str:
    """The scheme and host the client reached the emulator at, for links back to it.

    The Host header is taken when it is a plain host and port, else the server's name and
    port, as PEP 3333 rebuilds a request's URL.
    """
    host = environ.get("HTTP_HOST", "")
    if not HOST_SHAPE.fullmatch(host):
        host = f"{environ['SERVER_NAME']}:{environ['SERVER_PORT']}"
    return f"{environ['wsgi.url_scheme']}://{host}"


def _raw_path(environ: dict[str, Any]) -> str:
    """The request path as the client sent it, still percent-encoded."""
    uri = environ.get("REQUEST_URI")
    if uri is None:
        return quote(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", ""))
    if not uri.startswith("/"):
        uri = urlsplit(uri).path
    return uri.split("?", 1)[0]


def _wsgi_text(text: str) -> str:
    """WSGI passes raw bytes as latin-1 text; read them as UTF-8 instead."""
    return text.encode("latin-1").decode("utf-8", "replace")


def _read_body(environ: dict[str, Any]) -> bytes:
    length = int(environ.get("CONTENT_LENGTH") or 0)
    return environ["wsgi.input"].read(length) if length > 0 else b""


def _json(status: int, payload: Any) -> tuple[int, str, bytes]:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return status, JSON_TYPE, body


def _json_error(error: ApiError) -> Answer:
    return (*_json(error.status, error.payload()), error.headers)


def _not_found_page(method: str, path: str) -> Answer:
    page = NOT_FOUND_PAGE.format(method=html.escape(method), path=html.escape(path))
    return HTTPStatus.NOT_FOUND, HTML_TYPE, page.encode(), ()

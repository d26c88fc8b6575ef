"""The emulator as a plain WSGI application: authentication, routing and encoding.

Routing works on the raw request path, as Express does: `//phoneConnections` matches no
route, and a path parameter is percent-decoded only after matching. Unknown routes get
Express's HTML 404 page; the API's own errors are JSON `{"error", "message"}`. The routes
depend on the generation of the API the emulator plays.
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
from emulator.products import PRODUCT
from emulator.querystring import QueryParams
from emulator.request_log import RequestLog
from emulator.resource import Resource
from emulator.store import Store
from emulator.webrtc_connections import WEBRTC_CONNECTION

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
NOT_FOUND_PAGE = (
    '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n'
    "</head>\n<body>\n<pre>Cannot {method} {path}</pre>\n</body>\n</html>\n"
)
UNAUTHORIZED_MESSAGE = "Missing or invalid API key: send it as 'Authorization: Bearer <key>'."
BATCH_SEGMENT = "batch"
# (status, content type or None for an answer without a body, body)
Answer = tuple[int, str | None, bytes]


@dataclass(frozen=True)
class Route:
    """`pattern` is a path like `/phoneConnections/{id}`; `{id}` matches one segment.

    A route without a handler is no route: it answers the unknown-route page, and keeps its
    path from reaching a later pattern.
    """

    method: str
    pattern: str
    handler: Callable[..., Reply] | None

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
        routes += [
            Route("POST", path, partial(create_row, resource)),
            Route("PATCH", item, partial(update_row, resource)),
            Route("DELETE", item, partial(delete_row, resource)),
        ]
    return tuple(routes)


def api_routes(generation: ApiGeneration) -> tuple[Route, ...]:
    return (
        Route("GET", "/minimum-sdk-version", minimum_sdk_version),
        *resource_routes(PRODUCT),
        *resource_routes(phone_connection_resource(generation)),
        *resource_routes(WEBRTC_CONNECTION),
    )


CompiledRoutes = tuple[tuple[Route, re.Pattern[str]], ...]


class EmulatorApp:
    """Answers every request after `latency_ms`, and records it in the request log if any."""

    def __init__(
        self,
        store: Store,
        *,
        api_key: str,
        latency_ms: int = 0,
        request_log: RequestLog | None = None,
        api_generation: ApiGeneration = ApiGeneration.DOCUMENTED,
    ) -> None:
        self._store = store
        self._routes: CompiledRoutes = tuple(
            (route, route.regex) for route in api_routes(api_generation)
        )
        self._api_key = api_key.encode()
        self._latency_seconds = latency_ms / 1000
        self._request_log = request_log

    def __call__(self, environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        path = _raw_path(environ)
        query = environ.get("QUERY_STRING", "")
        status, content_type, body = self._answer(environ, method, path, query)
        if self._latency_seconds:
            time.sleep(self._latency_seconds)
        if self._request_log:
            self._request_log.record(method, path, query, status)
        headers = (
            [("Content-Type", content_type), ("Content-Length", str(len(body)))]
            if content_type
            else []
        )
        start_response(f"{status} {HTTPStatus(status).phrase}", headers)
        return [body]

    def _answer(self, environ: dict[str, Any], method: str, path: str, query: str) -> Answer:
        if not self._authorized(environ.get("HTTP_AUTHORIZATION", "")):
            return _json_error(ApiError(HTTPStatus.UNAUTHORIZED, UNAUTHORIZED_MESSAGE))
        found = _find_route(self._routes, method, path)
        if found is None:
            return _not_found_page(method, path)
        handler, path_args = found
        try:
            request = Request(QueryParams(_wsgi_text(query)), _read_body(environ))
            reply = handler(self._store, request, *path_args)
        except ApiError as error:
            return _json_error(error)
        except Exception as error:
            traceback.print_exc(file=sys.stderr)
            return _json_error(ApiError(HTTPStatus.INTERNAL_SERVER_ERROR, str(error)))
        if reply.status == HTTPStatus.NO_CONTENT:
            # waitress adds `Connection: close` to a 204 (Express would not); clients reconnect.
            return reply.status, None, b""
        return _json(reply.status, reply.payload)

    def _authorized(self, header: str) -> bool:
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer":
            return False
        return hmac.compare_digest(token.strip().encode("latin-1"), self._api_key)


def _find_route(
    routes: CompiledRoutes, method: str, path: str
) -> tuple[Callable[..., Reply], list[str]] | None:
    for route, regex in routes:
        match = regex.fullmatch(path)
        if match and route.method == method:
            if route.handler is None:
                return None
            return route.handler, [unquote(_wsgi_text(group)) for group in match.groups()]
    return None


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


def _json(status: int, payload: Any) -> Answer:
    body = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode()
    return status, JSON_TYPE, body


def _json_error(error: ApiError) -> Answer:
    return _json(error.status, error.payload())


def _not_found_page(method: str, path: str) -> Answer:
    page = NOT_FOUND_PAGE.format(method=html.escape(method), path=html.escape(path))
    return HTTPStatus.NOT_FOUND, HTML_TYPE, page.encode()

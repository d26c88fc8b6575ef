"""The one HTTP client that speaks to Galtea.

One keep-alive `requests.Session` per thread, `Authorization: Bearer`, connect and read
timeouts from settings, and every failure mapped to a `GalteaError`. Only GETs are retried,
and only when the connection itself failed; a write is never sent twice.

A page view's calls share one deadline (`page_deadline`, set per request by a middleware):
each call waits at most the time left, and a GET is retried only while time is left.
`call_budget(read_timeout=…)` lifts the deadline for calls that are not a page's (an
export's chunks) and gives each its own read timeout.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import TypeVar

import requests
from django.conf import settings
from urllib3.exceptions import NewConnectionError, ReadTimeoutError

from galtea_admin.galtea import contract
from galtea_admin.galtea.bulkhead import upstream_slot
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
from galtea_admin.galtea.redaction import redact_api_key

logger = logging.getLogger(__name__)

MAX_MESSAGE_LENGTH = 500
REJECTION_STATUSES = frozenset({400, 409, 422})


T = TypeVar("T")


@dataclass(frozen=True)
class CallBudget:
    """How long the calls made in a context may take: `ends_at` (time.monotonic) is a total
    deadline, None for none; `read_timeout`, when set, replaces the client's own."""

    ends_at: float | None = None
    read_timeout: float | None = None

    def time_left(self) -> float | None:
        return None if self.ends_at is None else self.ends_at - time.monotonic()


_budget: contextvars.ContextVar[CallBudget | None] = contextvars.ContextVar(
    "galtea_call_budget", default=None
)


@contextlib.contextmanager
def call_budget(budget: CallBudget | None) -> Iterator[None]:
    token = _budget.set(budget)
    try:
        yield
    finally:
        _budget.reset(token)


def page_deadline(seconds: float):
    """Every call made inside shares one deadline, `seconds` from now, retries included."""
    return call_budget(CallBudget(ends_at=time.monotonic() + seconds))


def without_deadline(*, read_timeout: float | None = None):
    """No total deadline inside (an export); each call waits up to `read_timeout`."""
    return call_budget(CallBudget(read_timeout=read_timeout))


def deadline_spent() -> GalteaTimeout:
    return GalteaTimeout(
        "Galtea did not answer within the time this page allows.", may_have_arrived=False
    )


class GalteaClient:
    """Sends requests to one Galtea API with one key. Safe to share between threads."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        connect_timeout: float = 5.0,
        read_timeout: float = 30.0,
        connect_retries: int = 2,
    ):
        self.base_url = contract.normalise_base_url(base_url)
        self._api_key = api_key
        self.timeout = (connect_timeout, read_timeout)
        self.connect_retries = max(0, connect_retries)
        self._local = threading.local()

    def __repr__(self) -> str:
        return f"GalteaClient(base_url={self.base_url!r})"

    @property
    def session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            # The environment (HTTPS_PROXY, NO_PROXY, REQUESTS_CA_BUNDLE) is read once here,
            # not on every request; and no ~/.netrc entry can replace the API key.
            session.trust_env = False
            session.proxies = requests.utils.get_environ_proxies(self.base_url)
            session.verify = (
                os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
            )
            session.headers["Accept"] = "application/json"
            session.headers["User-Agent"] = "galtea-admin"
            self._local.session = session
        return session

    @property
    def cache_scope(self) -> str:
        """What cached lookups are keyed by: lists belong to the key's organization."""
        key_digest = hashlib.sha256(self._api_key.encode()).hexdigest()[:16]
        return f"{self.base_url}#{key_digest}"

    def get(self, path: str, params: Mapping[str, object] | None = None, *, decode=None):
        return self.request("GET", path, params=params, decode=decode)

    def post(self, path: str, json: object, *, decode=None):
        return self.request(
            "POST", path, json=json, expected=contract.CREATED_STATUSES, decode=decode
        )

    def patch(self, path: str, json: object, *, decode=None):
        return self.request("PATCH", path, json=json, decode=decode)

    def delete(self, path: str, json: object = None) -> None:
        """Delete; the answer's body (if any) is not needed."""
        self.request("DELETE", path, json=json, expected=contract.DELETED_STATUSES, read_body=False)

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, object] | None = None,
        json: object = None,
        expected: frozenset[int] = frozenset({200}),
        decode: Callable[[object], T] | None = None,
        read_body: bool = True,
    ) -> T | object:
        """Send one request and return its JSON body, passed through `decode` if given.

        Every failure, a malformed answer included, raises a GalteaError and logs one line.
        """
        query = contract.encode_query(params or {})
        url = self.base_url + path + (f"?{query}" if query else "")
        try:
            with upstream_slot():
                response = self._send(method, url, json)
            body = self._read(response, expected, read_body=read_body)
            return decode(body) if decode is not None else body
        except GalteaError as error:
            self._log_failure(method, path, error)
            raise

    def _timeout(self) -> tuple[float, float]:
        """(connect, read) timeouts of the next attempt: the client's, within the context's
        budget. A spent deadline raises GalteaTimeout before anything is sent."""
        connect, read = self.timeout
        budget = _budget.get()
        if budget is None:
            return connect, read
        if budget.read_timeout is not None:
            read = budget.read_timeout
        left = budget.time_left()
        if left is None:
            return connect, read
        if left <= 0:
            raise deadline_spent()
        return min(connect, left), min(read, left)

    def _send(self, method: str, url: str, json: object) -> requests.Response:
        attempts = 1 + (self.connect_retries if method == "GET" else 0)
        for attempt in range(1, attempts + 1):
            try:
                return self.session.request(
                    method,
                    url,
                    json=json,
                    headers={"Authorization": f"Bearer {self._api_key}"},
                    timeout=self._timeout() if attempt == 1 else self._retry_timeout(),
                    allow_redirects=False,
                )
            except requests.ConnectTimeout:
                if attempt == attempts:
                    raise GalteaTimeout(
                        "Galtea did not accept the connection in time.", may_have_arrived=False
                    ) from None
            except requests.Timeout:
                raise GalteaTimeout("Galtea did not answer in time.") from None
            except requests.ConnectionError as error:
                reason = getattr(error.args[0], "reason", None) if error.args else None
                if isinstance(error.args[0] if error.args else None, ReadTimeoutError):
                    raise GalteaTimeout("Galtea did not finish its answer in time.") from None
                if attempt == attempts:
                    raise GalteaUnavailable(
                        "The Galtea API could not be reached.",
                        may_have_arrived=not isinstance(reason, NewConnectionError),
                    ) from None
            except requests.RequestException:
                raise GalteaUnavailable(
                    "The request to Galtea could not be sent.", may_have_arrived=False
                ) from None
            time.sleep(0.1 * attempt)
        raise AssertionError("unreachable")  # pragma: no cover

    def _retry_timeout(self) -> tuple[float, float]:
        """A retry's timeouts; when the deadline is spent, the failure is a timeout."""
        try:
            return self._timeout()
        except GalteaTimeout:
            raise GalteaTimeout(
                "Galtea could not be reached within the time this page allows."
            ) from None

    def _read(self, response: requests.Response, expected: frozenset[int], *, read_body: bool):
        status = response.status_code
        if status in expected:
            if read_body:
                return self._json(response, allow_empty=status == 204)
            if _media_type(response) == "text/html" or _media_type(response).endswith("json"):
                self._json(response, allow_empty=True)  # a page, or JSON cut short: no answer
            return None
        message = self._message(response)
        if status == 401:
            raise GalteaUnauthorized(
                "Galtea refused the admin's API key. Check GALTEA_API_KEY: it may be wrong, "
                "missing or revoked.",
                upstream_status=status,
            )
        if status == 403:
            raise GalteaForbidden(message or "Galtea does not allow this.", upstream_status=403)
        if status == 404:
            if message is None:
                raise GalteaNoSuchRoute(
                    "Galtea has no such address: check GALTEA_API_URL.", upstream_status=404
                )
            raise GalteaNotFound(message, upstream_status=404)
        if status in REJECTION_STATUSES:
            raise GalteaRejected(message or "Galtea rejected the request.", upstream_status=status)
        if status == 429:
            raise GalteaRateLimited("Galtea asked us to slow down.", upstream_status=429)
        if status >= 500:
            raise GalteaServerError(f"Galtea answered with error {status}.", upstream_status=status)
        raise GalteaBadAnswer(f"Galtea answered with status {status}.", upstream_status=status)

    def _json(self, response: requests.Response, *, allow_empty: bool) -> object:
        if allow_empty and not response.content:
            return None
        try:
            return response.json()
        except (ValueError, RecursionError):  # RecursionError: nested beyond any real answer
            raise GalteaBadAnswer(
                "Galtea sent an answer that is not valid JSON.",
                upstream_status=response.status_code,
            ) from None

    def _message(self, response: requests.Response) -> str | None:
        """The API's own explanation (`message`, else `error`), made safe to show."""
        try:
            body = response.json()
        except (ValueError, RecursionError):
            return None
        if not isinstance(body, dict):
            return None
        message = body.get("message") or body.get("error")
        if not isinstance(message, str) or not message.strip():
            return None
        return redact_api_key(message, self._api_key).strip()[:MAX_MESSAGE_LENGTH]

    def _log_failure(self, method: str, path: str, error: GalteaError) -> None:
        logger.warning(
            "Galtea %s %s failed: %s (upstream status %s)",
            method,
            path,
            type(error).__name__,
            error.upstream_status if error.upstream_status is not None else "none",
        )


def _media_type(response: requests.Response) -> str:
    return response.headers.get("Content-Type", "").split(";")[0].strip().lower()


_clients: dict[tuple, GalteaClient] = {}
_clients_lock = threading.Lock()


def get_client() -> GalteaClient:
    """The client for the API the settings name (one per configuration, per process)."""
    config = (
        settings.GALTEA_API_URL,
        settings.GALTEA_API_KEY,
        settings.GALTEA_CONNECT_TIMEOUT,
        settings.GALTEA_READ_TIMEOUT,
        settings.GALTEA_CONNECT_RETRIES,
    )
    with _clients_lock:
        client = _clients.get(config)
        if client is None:
            url, key, connect_timeout, read_timeout, retries = config
            client = GalteaClient(
                url,
                key,
                connect_timeout=connect_timeout,
                read_timeout=read_timeout,
                connect_retries=retries,
            )
            _clients[config] = client
        return client

"""Phone connections: the numbers Galtea dials to test a customer's voice agent."""

from __future__ import annotations

import dataclasses
from collections import deque
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from galtea_admin.galtea import contract
from galtea_admin.galtea.client import GalteaClient, get_client
from galtea_admin.galtea.decoding import (
    flag,
    list_reader,
    moment,
    optional_moment,
    optional_text,
    reader,
    text,
)
from galtea_admin.galtea.errors import GalteaNotFound

RESOURCE = "/phoneConnections"


@dataclass(frozen=True)
class PhoneConnection:
    id: str
    product_id: str
    name: str
    phone_number: str
    user_id: str | None
    voice: str | None
    language_code: str | None
    agent_speaks_first: bool
    created_at: datetime
    deleted_at: datetime | None


PHONE_CONNECTION_FIELDS = {
    "id": text("id"),
    "product_id": text("productId"),
    "name": text("name"),
    "phone_number": text("phoneNumber"),
    "user_id": optional_text("userId"),
    "voice": optional_text("voice"),
    "language_code": optional_text("languageCode"),
    "agent_speaks_first": flag("agentSpeaksFirst", default=False),
    "created_at": moment("createdAt"),
    "deleted_at": optional_moment("deletedAt"),
}

read_connection = reader(PhoneConnection, PHONE_CONNECTION_FIELDS, "phone connection")
read_connections = list_reader(PhoneConnection, PHONE_CONNECTION_FIELDS, "phone connection")

# What an update may change (snake_case name → the API's name). productId is fixed.
UPDATABLE_FIELDS = {
    "name": "name",
    "phone_number": "phoneNumber",
    "voice": "voice",
    "language_code": "languageCode",
    "agent_speaks_first": "agentSpeaksFirst",
}


def updatable_values(connection: PhoneConnection) -> dict[str, object]:
    """The connection's value of every field an update may change."""
    return {field: getattr(connection, field) for field in UPDATABLE_FIELDS}


@dataclass(frozen=True)
class PhoneConnectionQuery:
    """Which phone connections to list and in what order: an immutable API query.

    `filter()` and `order_by()` return changed copies, so a query can be built up step by
    step (django-filter does exactly that).
    """

    ids: tuple[str, ...] = ()
    product_ids: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    name: str | None = None
    phone_numbers: tuple[str, ...] = ()
    phone_number: str | None = None
    from_created_at: datetime | None = None
    to_created_at: datetime | None = None
    order: tuple[tuple[str, str], ...] = contract.DEFAULT_PHONE_CONNECTION_SORT

    # Read by django-filter, which expects a QuerySet: there is no database model here.
    model: ClassVar[None] = None

    def all(self) -> PhoneConnectionQuery:
        return self

    def filter(self, **changes) -> PhoneConnectionQuery:
        changes = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
        return dataclasses.replace(self, **changes)

    def order_by(self, *pairs: tuple[str, str]) -> PhoneConnectionQuery:
        for field, direction in pairs:
            if field not in contract.SORTABLE_PHONE_CONNECTION_FIELDS:
                raise ValueError(f"the API cannot sort phone connections by {field}")
            if direction not in contract.SORT_DIRECTIONS:
                raise ValueError(f"unknown sort direction {direction}")
        return dataclasses.replace(self, order=tuple(pairs) or self.order)

    def params(self) -> dict[str, object]:
        if len(self.ids) > contract.MAX_IDS_PER_REQUEST:
            raise ValueError(f"at most {contract.MAX_IDS_PER_REQUEST} ids per query")
        return {
            "ids": list(self.ids) or None,
            "productIds": list(self.product_ids) or None,
            "names": list(self.names) or None,
            "name": self.name or None,
            "phoneNumbers": list(self.phone_numbers) or None,
            "phoneNumber": self.phone_number or None,
            "fromCreatedAt": self.from_created_at,
            "toCreatedAt": self.to_created_at,
            "sort": contract.sort_pairs(self.order),
        }


class PhoneConnectionsNotFound(GalteaNotFound):
    """A list asked for ids that do not exist (the API's strict `ids[]`)."""

    def __init__(self, message: str, missing_ids: list[str]):
        super().__init__(message, upstream_status=404)
        self.missing_ids = missing_ids


def list_phone_connections(
    query: PhoneConnectionQuery = PhoneConnectionQuery(),
    *,
    offset: int = 0,
    limit: int = 25,
    client: GalteaClient | None = None,
) -> list[PhoneConnection]:
    """One page of phone connections matching `query`: one API request."""
    if offset < 0 or not 0 < limit <= contract.MAX_LIMIT:
        raise ValueError(f"offset must be >= 0 and limit within 1..{contract.MAX_LIMIT}")
    client = client or get_client()
    params = {**query.params(), "offset": offset, "limit": limit}
    try:
        return client.get(RESOURCE, params, decode=read_connections)
    except GalteaNotFound as error:
        if query.ids:
            missing = contract.missing_ids(error.message, query.ids)
            raise PhoneConnectionsNotFound(error.message, missing) from None
        raise


def iterate_phone_connections(
    query: PhoneConnectionQuery, *, chunk_size: int = contract.MAX_LIMIT, client=None
):
    """Every phone connection matching `query`, fetched `chunk_size` at a time (lazily).

    While one chunk is being used, the next ones (`contract.EXPORT_REQUESTS_AHEAD`) are
    already on their way, on other threads, so the API's latency is not paid once per chunk.
    Memory stays flat however many rows match: at most that many chunks and the one in use
    are held at once. Where the rows end is known only from a short chunk, so the requests
    already sent past it (at most that many) come back empty.
    """
    client = client or get_client()
    ahead = contract.EXPORT_REQUESTS_AHEAD

    def fetch(offset: int) -> list[PhoneConnection]:
        return list_phone_connections(query, offset=offset, limit=chunk_size, client=client)

    chunk = fetch(0)  # the first in this thread: an early failure raises here
    pool = ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="galtea-prefetch")
    pending: deque[Future[list[PhoneConnection]]] = deque()
    next_offset = chunk_size
    try:
        while len(chunk) == chunk_size:
            while len(pending) < ahead:
                pending.append(pool.submit(fetch, next_offset))
                next_offset += chunk_size
            yield from chunk
            chunk = pending.popleft().result()
        yield from chunk  # the short (or empty) last chunk
        # The requests sent past the end are over by the time the rows are.
        pool.shutdown(wait=True, cancel_futures=True)
    finally:
        pool.shutdown(wait=False, cancel_futures=True)  # a reader who left does not wait


def connection_path(connection_id: str) -> str:
    """The API path of one connection. Ids of dots only would be resolved away by URL
    normalisation (`/phoneConnections/..` is `/`), so they cannot name a connection."""
    if not str(connection_id).strip("."):
        raise GalteaNotFound(f"PhoneConnection not found: {connection_id}")
    return f"{RESOURCE}/{contract.path_segment(connection_id)}"


def get_phone_connection(
    connection_id: str, *, client: GalteaClient | None = None
) -> PhoneConnection:
    client = client or get_client()
    return client.get(connection_path(connection_id), decode=read_connection)


def create_phone_connection(
    *,
    product_id: str,
    name: str,
    phone_number: str,
    agent_speaks_first: bool = False,
    voice: str | None = None,
    language_code: str | None = None,
    client: GalteaClient | None = None,
) -> PhoneConnection:
    """Create a phone connection (never retried). Unset voice/language are not sent."""
    client = client or get_client()
    body: dict[str, object] = {
        "productId": product_id,
        "name": name,
        "phoneNumber": phone_number,
        "agentSpeaksFirst": agent_speaks_first,
    }
    if voice:
        body["voice"] = voice
    if language_code:
        body["languageCode"] = language_code
    return client.post(RESOURCE, body, decode=read_connection)


def update_phone_connection(
    connection_id: str, changes: Mapping[str, object], *, client: GalteaClient | None = None
) -> PhoneConnection:
    """Change only the given fields (snake_case names; None clears voice or language)."""
    unknown = set(changes) - set(UPDATABLE_FIELDS)
    if unknown:
        raise ValueError(f"these fields cannot be updated: {', '.join(sorted(unknown))}")
    client = client or get_client()
    body = {UPDATABLE_FIELDS[field]: value for field, value in changes.items()}
    path = connection_path(connection_id)
    return client.patch(path, body, decode=read_connection)


def delete_phone_connection(connection_id: str, *, client: GalteaClient | None = None) -> None:
    """Delete (softly, upstream) a phone connection. Never retried."""
    client = client or get_client()
    client.delete(connection_path(connection_id))

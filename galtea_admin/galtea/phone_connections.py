"""Phone connections: the numbers Galtea dials to test a customer's voice agent."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime

from galtea_admin.galtea import contract
from galtea_admin.galtea.client import GalteaClient
from galtea_admin.galtea.decoding import flag, moment, optional_moment, optional_text, text
from galtea_admin.galtea.resources import (
    NAMED_FILTERS,
    RemoteQuery,
    ResourceSpec,
    resource_create,
    resource_delete,
    resource_get,
    resource_iterate,
    resource_list,
    resource_update,
)
from galtea_admin.galtea.voices import api_has_voices


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


PHONE_CONNECTIONS = ResourceSpec(
    name="phone connection",
    api_name="PhoneConnection",
    path="/phoneConnections",
    record=PhoneConnection,
    fields={
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
    },
    filters={
        **NAMED_FILTERS,
        "phone_numbers": "phoneNumbers",
        "phone_number": "phoneNumber",
    },
    sortable=contract.SORTABLE_PHONE_CONNECTION_FIELDS,
    creatable={
        "product_id": "productId",
        "name": "name",
        "phone_number": "phoneNumber",
        "agent_speaks_first": "agentSpeaksFirst",
        "voice": "voice",
        "language_code": "languageCode",
    },
    # productId is fixed once created.
    updatable={
        "name": "name",
        "phone_number": "phoneNumber",
        "voice": "voice",
        "language_code": "languageCode",
        "agent_speaks_first": "agentSpeaksFirst",
    },
    default_order=contract.DEFAULT_PHONE_CONNECTION_SORT,
    optional_fields=contract.PHONE_CONNECTION_VOICE_FIELDS,
    has_optional_fields=api_has_voices,
    batch_delete=True,
    sub_routes=frozenset({"voices", "batch"}),
)


def phone_connection_query(**conditions) -> RemoteQuery:
    """A phone-connection list query, e.g. `phone_connection_query(product_ids=["p1"])`."""
    return PHONE_CONNECTIONS.query(**conditions)


def phone_connection_list(
    *,
    query: RemoteQuery | None = None,
    offset: int = 0,
    limit: int = 25,
    client: GalteaClient | None = None,
) -> list[PhoneConnection]:
    """One page of phone connections matching `query`: one API request."""
    return resource_list(PHONE_CONNECTIONS, query=query, offset=offset, limit=limit, client=client)


def phone_connection_iterate(
    *, query: RemoteQuery, chunk_size: int = contract.MAX_LIMIT, client: GalteaClient | None = None
) -> Iterator[PhoneConnection]:
    """Every phone connection matching `query`, `chunk_size` at a time."""
    return resource_iterate(PHONE_CONNECTIONS, query=query, chunk_size=chunk_size, client=client)


def phone_connection_get(
    *, connection_id: str, client: GalteaClient | None = None
) -> PhoneConnection:
    return resource_get(PHONE_CONNECTIONS, entity_id=connection_id, client=client)


def phone_connection_create(
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
    values = {
        "product_id": product_id,
        "name": name,
        "phone_number": phone_number,
        "agent_speaks_first": agent_speaks_first,
        "voice": voice,
        "language_code": language_code,
    }
    return resource_create(PHONE_CONNECTIONS, values=values, client=client)


def phone_connection_update(
    *, connection_id: str, changes: Mapping[str, object], client: GalteaClient | None = None
) -> PhoneConnection:
    """Change only the given fields (None clears voice or language)."""
    return resource_update(
        PHONE_CONNECTIONS, entity_id=connection_id, changes=changes, client=client
    )


def phone_connection_delete(*, connection_id: str, client: GalteaClient | None = None) -> None:
    """Delete (softly, upstream) a phone connection. Never retried."""
    resource_delete(PHONE_CONNECTIONS, entity_id=connection_id, client=client)

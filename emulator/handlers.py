"""The API's endpoints: each handler takes the store and a request and returns a `Reply`.

Handlers raise `ApiError` for the API's JSON errors; routing, authentication and encoding
live in `app`.
"""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any

from emulator.errors import bad_request, not_found
from emulator.listing import ListSpec, PartialFilter, parse_list_query
from emulator.payloads import phone_connection_payload, product_payload
from emulator.querystring import QueryParams
from emulator.store import PHONE_CONNECTIONS, PRODUCTS, DuplicateNameError, Store
from emulator.timestamps import now_ms
from emulator.validation import (
    parse_json_object,
    validate_new_phone_connection,
    validate_phone_connection_changes,
)
from emulator.voices import VOICES

# The user behind the emulator's one API key: the creator of every row made through the API.
API_USER_ID = "user_api"
DUPLICATE_NAME_MESSAGE = "A PhoneConnection with the same name already exists for this product."
SDK_VERSIONS = {"minimumSdkVersionSupported": "5.0.0", "latestSdkVersionPublished": "5.12.0"}


@dataclass(frozen=True)
class Request:
    """What a handler reads from an HTTP request."""

    query: QueryParams
    body: bytes


@dataclass(frozen=True)
class Reply:
    status: int
    payload: Any


@dataclass(frozen=True)
class Resource:
    """A readable collection of the API: its table, list parameters and JSON shape."""

    table: str
    list_spec: ListSpec
    singular: str
    plural: str
    payload: Callable[[sqlite3.Row], dict[str, Any]]


PHONE_CONNECTION = Resource(
    table=PHONE_CONNECTIONS,
    list_spec=ListSpec(
        exact_filters={
            "ids": "id",
            "productIds": "product_id",
            "names": "name",
            "phoneNumbers": "phone_number",
        },
        partial_filters={
            "name": PartialFilter("name_folded", casefold=True),
            "phoneNumber": PartialFilter("phone_number", casefold=False),
        },
        sort_fields={"createdAt": "created_at", "name": "name", "phoneNumber": "phone_number"},
    ),
    singular="PhoneConnection",
    plural="PhoneConnections",
    payload=phone_connection_payload,
)
PRODUCT = Resource(
    table=PRODUCTS,
    list_spec=ListSpec(
        exact_filters={"ids": "id", "names": "name"},
        partial_filters={"name": PartialFilter("name_folded", casefold=True)},
        sort_fields={"createdAt": "created_at", "name": "name"},
    ),
    singular="Product",
    plural="Products",
    payload=product_payload,
)


def list_rows(resource: Resource, store: Store, request: Request) -> Reply:
    """A page of live rows; 404 when an id asked for by `ids[]` matches no row."""
    query = parse_list_query(request.query, resource.list_spec)
    missing = store.missing_ids(resource.table, query)
    if missing:
        raise not_found(f"{resource.plural} not found: {', '.join(missing)}")
    rows = store.list_page(resource.table, query)
    return Reply(HTTPStatus.OK, [resource.payload(row) for row in rows])


def get_row(resource: Resource, store: Store, request: Request, row_id: str) -> Reply:
    row = store.get(resource.table, row_id)
    if row is None:
        raise not_found(f"{resource.singular} not found: {row_id}")
    return Reply(HTTPStatus.OK, resource.payload(row))


def create_phone_connection(store: Store, request: Request) -> Reply:
    values = validate_new_phone_connection(parse_json_object(request.body))
    if store.get(PRODUCTS, values["product_id"]) is None:
        raise bad_request(f"Product not found: {values['product_id']}")
    row = {
        **values,
        "id": f"phoneConnection_{secrets.token_hex(12)}",
        "user_id": API_USER_ID,
        "created_at": now_ms(),
        "deleted_at": None,
    }
    try:
        created = store.create_phone_connection(row)
    except DuplicateNameError:
        raise bad_request(DUPLICATE_NAME_MESSAGE) from None
    return Reply(HTTPStatus.CREATED, phone_connection_payload(created))


def update_phone_connection(store: Store, request: Request, row_id: str) -> Reply:
    changes = validate_phone_connection_changes(parse_json_object(request.body))
    try:
        updated = store.update_phone_connection(row_id, changes)
    except DuplicateNameError:
        raise bad_request(DUPLICATE_NAME_MESSAGE) from None
    if updated is None:
        raise not_found(f"PhoneConnection not found: {row_id}")
    return Reply(HTTPStatus.OK, phone_connection_payload(updated))


def delete_phone_connection(store: Store, request: Request, row_id: str) -> Reply:
    deleted = store.delete_phone_connection(row_id, now_ms())
    if deleted is None:
        raise not_found(f"PhoneConnection not found: {row_id}")
    return Reply(HTTPStatus.OK, phone_connection_payload(deleted))


def list_voices(store: Store, request: Request) -> Reply:
    return Reply(HTTPStatus.OK, list(VOICES))


def minimum_sdk_version(store: Store, request: Request) -> Reply:
    return Reply(HTTPStatus.OK, SDK_VERSIONS)

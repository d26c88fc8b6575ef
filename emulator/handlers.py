"""The API's endpoints: each handler takes the store and a request and returns a `Reply`.

The list, read and write handlers serve any `Resource`; routing binds them to one.
Handlers raise `ApiError` for the API's JSON errors; routing, authentication and encoding
live in `app`.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

from emulator.errors import ApiError, bad_request, not_found
from emulator.listing import parse_list_query
from emulator.querystring import QueryParams
from emulator.resource import Lookup, Resource
from emulator.schema import PRODUCTS
from emulator.store import DuplicateNameError, Store
from emulator.timestamps import now_ms
from emulator.validation import (
    BodySpec,
    check_at_most_one,
    parse_batch_ids,
    parse_json_object,
    validate_changes,
    validate_new,
)

# The user behind the emulator's one API key: the creator of every row made through the API.
API_USER_ID = "user_api"
SDK_VERSIONS = {"minimumSdkVersionSupported": "5.0.0", "latestSdkVersionPublished": "5.12.0"}


@dataclass(frozen=True)
class Request:
    """What a handler reads from an HTTP request. `headers` are keyed by lower-case name;
    `origin` is the scheme and host the client reached the emulator at."""

    query: QueryParams
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)
    origin: str = ""


@dataclass(frozen=True)
class Reply:
    """A status and its JSON payload; a 204 has no body, whatever the payload.

    A reply with `content` sends those bytes as they are, typed `content_type`, instead of
    JSON. `headers` are added to the answer's own.
    """

    status: int
    payload: Any = None
    content: bytes | None = None
    content_type: str | None = None
    headers: tuple[tuple[str, str], ...] = ()


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
        raise _missing(resource, row_id)
    return Reply(HTTPStatus.OK, resource.payload(row))


def create_row(resource: Resource, store: Store, request: Request) -> Reply:
    values = validate_new(resource.body, parse_json_object(request.body))
    if store.get(PRODUCTS, values["product_id"]) is None:
        raise bad_request(f"Product not found: {values['product_id']}")
    _check_row(resource, store, values, values)
    row = {
        # Columns this generation of the API does not serve are stored as null.
        **dict.fromkeys(resource.table.columns),
        **values,
        "id": f"{resource.id_prefix}_{secrets.token_hex(12)}",
        "user_id": API_USER_ID,
        "created_at": now_ms(),
        "deleted_at": None,
    }
    try:
        created = store.create(resource.table, row)
    except DuplicateNameError:
        raise _duplicate_name(resource) from None
    return Reply(HTTPStatus.CREATED, resource.payload(created))


def update_row(resource: Resource, store: Store, request: Request, row_id: str) -> Reply:
    changes = validate_changes(resource.body, parse_json_object(request.body))
    if resource.body.needs_the_row:
        current = store.get(resource.table, row_id)
        if current is None:
            raise _missing(resource, row_id)
        _check_row(resource, store, {**dict(current), **changes}, changes)
    try:
        updated = store.update(resource.table, row_id, changes)
    except DuplicateNameError:
        raise _duplicate_name(resource) from None
    if updated is None:
        raise _missing(resource, row_id)
    return Reply(HTTPStatus.OK, resource.payload(updated))


def delete_row(resource: Resource, store: Store, request: Request, row_id: str) -> Reply:
    """A soft delete, answered with no body."""
    if not store.delete(resource.table, row_id, now_ms()):
        raise _missing(resource, row_id)
    return Reply(HTTPStatus.NO_CONTENT)


def delete_rows(resource: Resource, store: Store, request: Request) -> Reply:
    """The batch delete: every id soft-deleted at once, or none when any is missing."""
    batch = resource.batch_delete
    row_ids = parse_batch_ids(request.body, max_ids=batch.max_ids)
    missing = store.delete_many(resource.table, row_ids, now_ms())
    if missing:
        raise not_found(f"{resource.plural} not found: {', '.join(missing)}")
    return Reply(HTTPStatus.OK, {"message": batch.message})


def list_lookup(lookup: Lookup, store: Store, request: Request) -> Reply:
    return Reply(HTTPStatus.OK, {lookup.key: list(lookup.items)})


def minimum_sdk_version(store: Store, request: Request) -> Reply:
    return Reply(HTTPStatus.OK, SDK_VERSIONS)


def _check_row(
    resource: Resource, store: Store, row: Mapping[str, Any], written: Mapping[str, Any]
) -> None:
    """The rules a write's outcome `row` must keep beyond each field's own check: at most one
    of an exclusive group set, and each reference `written` names a live row of its product."""
    spec: BodySpec = resource.body
    check_at_most_one(spec, row)
    for column, reference in spec.references.items():
        target_id = written.get(column)
        if target_id is None:
            continue
        target = store.get(reference.table, target_id)
        if target is None:
            raise bad_request(f"{reference.singular} not found: {target_id}")
        if target["product_id"] != row["product_id"]:
            raise bad_request(
                f"{reference.singular} {target_id} belongs to another product "
                f"than this {spec.noun}."
            )


def _missing(resource: Resource, row_id: str) -> ApiError:
    return not_found(f"{resource.singular} not found: {row_id}")


def _duplicate_name(resource: Resource) -> ApiError:
    clash = resource.duplicate_name
    return ApiError(clash.status, clash.message)

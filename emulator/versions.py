"""Versions (`/versions`): a product's agent builds, the link from a number to its calls.

A version has at most one conversation target: a phone connection, a WebRTC connection or an
endpoint connection. Versions are made in the dashboard (or by the SDK's create, which the
emulator does not serve): here they are read, renamed and attached to or detached from a
connection of their own product.
"""

from __future__ import annotations

import sqlite3
from functools import partial
from http import HTTPStatus
from typing import Any

from emulator.errors import bad_request
from emulator.listing import ListSpec, PartialFilter, ReferenceFilter
from emulator.resource import NameClash, Resource, Write
from emulator.schema import PHONE_CONNECTIONS, VERSIONS, WEBRTC_CONNECTIONS
from emulator.timestamps import format_optional_timestamp, format_timestamp
from emulator.validation import AtMostOne, BodyField, BodySpec, Reference, name, row_id

MAX_DESCRIPTION_LENGTH = 2000
# The SDK tells a taken name from the operation's other 409s by this exact text.
NAME_CLASH_MESSAGE = "A Version with the same Name already exists."
CONVERSATION_TARGETS = AtMostOne(
    fields={
        "phoneConnectionId": "phone_connection_id",
        "webRtcConnectionId": "webrtc_connection_id",
        "conversationEndpointConnectionId": "conversation_endpoint_connection_id",
    },
    what="conversation target",
)


def version_payload(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "productId": row["product_id"],
        "name": row["name"],
        "number": row["number"],
        "description": row["description"],
        "modelId": row["model_id"],
        "phoneConnectionId": row["phone_connection_id"],
        "webRtcConnectionId": row["webrtc_connection_id"],
        "conversationEndpointConnectionId": row["conversation_endpoint_connection_id"],
        "createdAt": format_timestamp(row["created_at"]),
        "deletedAt": format_optional_timestamp(row["deleted_at"]),
    }


def _description(value: Any) -> str | None:
    if value is not None and not isinstance(value, str):
        raise bad_request("description must be a string or null.")
    if value is not None and len(value) > MAX_DESCRIPTION_LENGTH:
        raise bad_request(f"description must be at most {MAX_DESCRIPTION_LENGTH} characters long.")
    return value


VERSION = Resource(
    path="/versions",
    table=VERSIONS,
    singular="Version",
    plural="Versions",
    id_prefix="version",
    list_spec=ListSpec(
        exact_filters={"ids": "id", "productIds": "product_id", "names": "name"},
        partial_filters={"name": PartialFilter("name_folded", casefold=True)},
        sort_fields={"createdAt": "created_at", "name": "name"},
        reference_filters=(
            ReferenceFilter(
                "phone_connection_id", "phoneConnectionIds", "excludePhoneConnectionIds"
            ),
            ReferenceFilter(
                "webrtc_connection_id", "webRtcConnectionIds", "excludeWebRtcConnectionIds"
            ),
        ),
    ),
    payload=version_payload,
    body=BodySpec(
        noun="version",
        fields={
            "name": BodyField("name", name),
            "description": BodyField("description", _description, nullable=True),
            "phoneConnectionId": BodyField(
                "phone_connection_id",
                partial(row_id, "phoneConnectionId"),
                nullable=True,
                references=Reference(PHONE_CONNECTIONS, "PhoneConnection"),
            ),
            "webRtcConnectionId": BodyField(
                "webrtc_connection_id",
                partial(row_id, "webRtcConnectionId"),
                nullable=True,
                references=Reference(WEBRTC_CONNECTIONS, "WebRtcConnection"),
            ),
        },
        required=(),
        defaults={},
        at_most_one=CONVERSATION_TARGETS,
    ),
    writes=frozenset({Write.UPDATE}),
    name_clash=NameClash(HTTPStatus.CONFLICT, NAME_CLASH_MESSAGE),
)

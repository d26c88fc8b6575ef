"""WebRTC connections (`/webRtcConnections`): a Pipecat Cloud agent reached in the browser.

The agent's Pipecat key is write-only: it is stored, never answered, and never repeated in
an error message; answers carry `hasApiKey` instead.
"""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from emulator.errors import bad_request
from emulator.listing import ListSpec, PartialFilter
from emulator.resource import Resource
from emulator.schema import WEBRTC_CONNECTIONS
from emulator.timestamps import format_optional_timestamp, format_timestamp
from emulator.validation import (
    MAX_NAME_LENGTH,
    BodyField,
    BodySpec,
    agent_speaks_first,
    name,
    product_id,
    text,
)

PIPECAT_KEY = re.compile(r"pk_\S{8,}")
API_KEY_MESSAGE = (
    'apiKey must be a Pipecat Cloud key ("pk_" and at least 8 more characters) or null.'
)


def webrtc_connection_payload(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "productId": row["product_id"],
        "name": row["name"],
        "agentName": row["agent_name"],
        "hasApiKey": row["api_key"] is not None,
        "agentSpeaksFirst": bool(row["agent_speaks_first"]),
        "userId": row["user_id"],
        "createdAt": format_timestamp(row["created_at"]),
        "deletedAt": format_optional_timestamp(row["deleted_at"]),
    }


def _agent_name(value: Any) -> str:
    return text("agentName", value, max_length=MAX_NAME_LENGTH)


def _api_key(value: Any) -> str | None:
    if value is not None and not (isinstance(value, str) and PIPECAT_KEY.fullmatch(value)):
        raise bad_request(API_KEY_MESSAGE)
    return value


WEBRTC_CONNECTION = Resource(
    path="/webRtcConnections",
    table=WEBRTC_CONNECTIONS,
    singular="WebRtcConnection",
    plural="WebRtcConnections",
    id_prefix="webRtcConnection",
    list_spec=ListSpec(
        exact_filters={"ids": "id", "productIds": "product_id", "names": "name"},
        partial_filters={
            "name": PartialFilter("name_folded", casefold=True),
            "agentName": PartialFilter("agent_name_folded", casefold=True),
        },
        sort_fields={"createdAt": "created_at", "name": "name", "agentName": "agent_name"},
    ),
    payload=webrtc_connection_payload,
    body=BodySpec(
        noun="WebRTC connection",
        fields={
            "productId": BodyField("product_id", product_id),
            "name": BodyField("name", name),
            "agentName": BodyField("agent_name", _agent_name),
            "apiKey": BodyField("api_key", _api_key, nullable=True),
            "agentSpeaksFirst": BodyField("agent_speaks_first", agent_speaks_first),
        },
        required=("productId", "name", "agentName"),
        defaults={"agentSpeaksFirst": False, "apiKey": None},
    ),
)

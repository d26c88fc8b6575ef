"""Versions: a product's versions, each with at most one conversation target (a phone
connection, a WebRTC connection or an endpoint connection). A version names the number
Galtea dials when it evaluates that version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from galtea_admin.galtea import contract
from galtea_admin.galtea.client import GalteaClient
from galtea_admin.galtea.decoding import (
    moment,
    optional_label,
    optional_moment,
    optional_text,
    text,
)
from galtea_admin.galtea.resources import (
    NAMED_FILTERS,
    ResourceSpec,
    resource_list,
    resource_update,
)


@dataclass(frozen=True)
class Version:
    id: str
    product_id: str
    name: str
    number: str | None
    description: str | None
    model_id: str | None
    phone_connection_id: str | None
    webrtc_connection_id: str | None
    endpoint_connection_id: str | None
    created_at: datetime
    deleted_at: datetime | None


# The three conversation targets (record attribute → API field): at most one is set.
TARGETS = {
    "phone_connection_id": "phoneConnectionId",
    "webrtc_connection_id": "webRtcConnectionId",
    "endpoint_connection_id": "conversationEndpointConnectionId",
}

# The list filter of each target a connection can be (endpoints are not managed here).
TARGET_FILTERS = {
    "phone_connection_id": "phone_connection_ids",
    "webrtc_connection_id": "webrtc_connection_ids",
}

VERSIONS = ResourceSpec(
    name="version",
    api_name="Version",
    path="/versions",
    record=Version,
    fields={
        "id": text("id"),
        "product_id": text("productId"),
        "name": text("name"),
        "number": optional_label("number"),
        "description": optional_text("description"),
        "model_id": optional_text("modelId"),
        "phone_connection_id": optional_text("phoneConnectionId"),
        "webrtc_connection_id": optional_text("webRtcConnectionId"),
        "endpoint_connection_id": optional_text("conversationEndpointConnectionId"),
        "created_at": moment("createdAt"),
        "deleted_at": optional_moment("deletedAt"),
    },
    filters={
        **NAMED_FILTERS,
        "phone_connection_ids": "phoneConnectionIds",
        "exclude_phone_connection_ids": "excludePhoneConnectionIds",
        "webrtc_connection_ids": "webRtcConnectionIds",
        "exclude_webrtc_connection_ids": "excludeWebRtcConnectionIds",
    },
    sortable=frozenset({"createdAt", "name"}),
    creatable={},
    updatable=TARGETS,
)


def version_list(*, query=None, offset: int = 0, limit: int = 25, client=None) -> list[Version]:
    return resource_list(VERSIONS, query=query, offset=offset, limit=limit, client=client)


def versions_using(
    target: str, connection_ids: list[str], *, client: GalteaClient | None = None
) -> list[Version]:
    """The versions whose `target` ("phone_connection_id"…) is one of `connection_ids`,
    by name: one request."""
    condition = TARGET_FILTERS[target]
    query = VERSIONS.query(**{condition: connection_ids}).order_by(("name", "asc"))
    return version_list(query=query, limit=contract.MAX_LIMIT, client=client)


def version_counts(target: str, connection_ids: list[str], *, client=None) -> dict[str, int]:
    """How many versions call each of `connection_ids` (one request for a page of them)."""
    counts = dict.fromkeys(connection_ids, 0)
    for version in versions_using(
        target, connection_ids[: contract.MAX_IDS_PER_REQUEST], client=client
    ):
        counts[getattr(version, target)] = counts.get(getattr(version, target), 0) + 1
    return counts


def version_retarget_changes(version: Version, target: str, connection_id: str | None) -> dict:
    """The PATCH that makes `connection_id` the version's one target (None: no target):
    the other targets it had are cleared in the same call, as the API wants one at most."""
    changes: dict[str, str | None] = {target: connection_id}
    if connection_id is not None:
        for other in TARGETS:
            if other != target and getattr(version, other):
                changes[other] = None
    return changes


def version_set_target(
    *, version: Version, target: str, connection_id: str | None, client=None
) -> Version:
    changes = version_retarget_changes(version, target, connection_id)
    return resource_update(VERSIONS, entity_id=version.id, changes=changes, client=client)

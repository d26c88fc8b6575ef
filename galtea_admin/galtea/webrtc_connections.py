"""WebRTC connections: the Pipecat Cloud agents Galtea talks to in a browser call."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from galtea_admin.galtea.decoding import flag, moment, optional_moment, optional_text, text
from galtea_admin.galtea.resources import NAMED_FILTERS, ResourceSpec

SORTABLE_FIELDS = frozenset({"createdAt", "name", "agentName"})


@dataclass(frozen=True)
class WebRtcConnection:
    id: str
    product_id: str
    name: str
    agent_name: str
    # The Pipecat Cloud key itself is write-only upstream: only whether one is set is known.
    has_api_key: bool
    agent_speaks_first: bool
    user_id: str | None
    created_at: datetime
    deleted_at: datetime | None


WEBRTC_CONNECTIONS = ResourceSpec(
    name="WebRTC connection",
    api_name="WebRtcConnection",
    path="/webRtcConnections",
    record=WebRtcConnection,
    fields={
        "id": text("id"),
        "product_id": text("productId"),
        "name": text("name"),
        "agent_name": text("agentName"),
        "has_api_key": flag("hasApiKey", default=False),
        "agent_speaks_first": flag("agentSpeaksFirst", default=False),
        "user_id": optional_text("userId"),
        "created_at": moment("createdAt"),
        "deleted_at": optional_moment("deletedAt"),
    },
    filters={
        **NAMED_FILTERS,
        "agent_name": "agentName",
    },
    sortable=SORTABLE_FIELDS,
    creatable={
        "product_id": "productId",
        "name": "name",
        "agent_name": "agentName",
        "agent_speaks_first": "agentSpeaksFirst",
    },
    updatable={
        "name": "name",
        "agent_name": "agentName",
        "agent_speaks_first": "agentSpeaksFirst",
    },
    write_only={"api_key": "apiKey"},
)

"""Sessions: one per call Galtea made for a version (read only), and the recordings of
the calls, played through short-lived links."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from galtea_admin.galtea import contract
from galtea_admin.galtea.client import GalteaClient, get_client
from galtea_admin.galtea.decoding import flag, moment, optional_moment, optional_text, text
from galtea_admin.galtea.errors import GalteaBadAnswer
from galtea_admin.galtea.resources import ResourceSpec, refused_as, resource_list


@dataclass(frozen=True)
class Session:
    id: str
    version_id: str
    test_case_id: str | None
    custom_id: str | None
    status: str
    stopping_reason: str | None
    error: str | None
    recording_uri: str | None
    user_id: str | None
    run_id: str | None
    is_production: bool
    created_at: datetime
    deleted_at: datetime | None


SESSIONS = ResourceSpec(
    name="session",
    api_name="Session",
    path="/sessions",
    record=Session,
    fields={
        "id": text("id"),
        "version_id": text("versionId"),
        "test_case_id": optional_text("testCaseId"),
        "custom_id": optional_text("customId"),
        "status": text("status"),
        "stopping_reason": optional_text("stoppingReason"),
        "error": optional_text("error"),
        "recording_uri": optional_text("recordingUri"),
        "user_id": optional_text("userId"),
        "run_id": optional_text("runId"),
        "is_production": flag("isProduction", default=False),
        "created_at": moment("createdAt"),
        "deleted_at": optional_moment("deletedAt"),
    },
    filters={
        "ids": "ids",
        "version_ids": "versionIds",
        "test_case_ids": "testCaseIds",
        "user_ids": "userIds",
        "product_ids": "productIds",
        "statuses": "statuses",
        "from_created_at": "fromCreatedAt",
        "to_created_at": "toCreatedAt",
    },
    sortable=frozenset({"createdAt", "status"}),
    creatable={},
    updatable={},
)


def session_list(*, query=None, offset: int = 0, limit: int = 25, client=None) -> list[Session]:
    return resource_list(SESSIONS, query=query, offset=offset, limit=limit, client=client)


def latest_sessions(
    version_ids: list[str], *, limit: int, client: GalteaClient | None = None
) -> list[Session]:
    """The latest calls made for any of `version_ids`, newest first: one request."""
    if not version_ids:
        return []
    query = SESSIONS.query(version_ids=version_ids[: contract.MAX_IDS_PER_REQUEST])
    return session_list(query=query.order_by(("createdAt", "desc")), limit=limit, client=client)


def read_recording_url(data) -> str:
    url = data.get(contract.RECORDING_URL_KEY) if isinstance(data, dict) else None
    if not isinstance(url, str) or urlsplit(url).scheme not in ("http", "https"):
        raise GalteaBadAnswer("Galtea sent a recording link that is not a web address.")
    return url


def recording_url(*, recording_uri: str, client: GalteaClient | None = None) -> str:
    """A short-lived link to the recording at `recording_uri`, for a browser to play."""
    client = client or get_client()
    with refused_as(SESSIONS, "play the recordings of"):
        return client.get(
            contract.RECORDING_URL_PATH, {"uri": recording_uri}, decode=read_recording_url
        )

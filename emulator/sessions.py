"""Sessions (`/sessions`): read-only, one per conversation held with a version's target.

A telephony session that ended may carry `recordingUri`, the storage URI of the full call,
which `GET /storage/generate-get-presigned-url` turns into a link to play it.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from emulator.listing import ChoiceFilter, ListSpec
from emulator.resource import Resource
from emulator.schema import SESSIONS
from emulator.timestamps import format_optional_timestamp, format_timestamp

SESSION_STATUSES = ("PENDING", "COMPLETED", "FAILED")
# The list refuses to run unscoped: at least one of these must name something.
SCOPING_FILTERS = ("ids", "versionIds", "testCaseIds", "customIds", "userIds", "productIds")


def session_payload(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "versionId": row["version_id"],
        "testCaseId": row["test_case_id"],
        "customId": row["custom_id"],
        "status": row["status"],
        "stoppingReason": row["stopping_reason"],
        "error": row["error"],
        "recordingUri": row["recording_uri"],
        "userId": row["user_id"],
        "runId": row["run_id"],
        "isProduction": bool(row["is_production"]),
        "createdAt": format_timestamp(row["created_at"]),
        "deletedAt": format_optional_timestamp(row["deleted_at"]),
    }


SESSION = Resource(
    path="/sessions",
    table=SESSIONS,
    singular="Session",
    plural="Sessions",
    id_prefix="session",
    list_spec=ListSpec(
        exact_filters={
            "ids": "id",
            "versionIds": "version_id",
            "testCaseIds": "test_case_id",
            "customIds": "custom_id",
            "userIds": "user_id",
            # A session's product is its version's, kept on the session row.
            "productIds": "product_id",
        },
        partial_filters={},
        sort_fields={"createdAt": "created_at", "status": "status"},
        choice_filters={"statuses": ChoiceFilter("status", SESSION_STATUSES)},
        scoping_filters=SCOPING_FILTERS,
    ),
    payload=session_payload,
)

"""Stored rows as the API's camelCase JSON objects."""

from __future__ import annotations

import sqlite3
from typing import Any

from emulator.timestamps import format_timestamp


def phone_connection_payload(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "productId": row["product_id"],
        "name": row["name"],
        "phoneNumber": row["phone_number"],
        "userId": row["user_id"],
        "voice": row["voice"],
        "languageCode": row["language_code"],
        "agentSpeaksFirst": bool(row["agent_speaks_first"]),
        "createdAt": format_timestamp(row["created_at"]),
        "deletedAt": _optional_timestamp(row["deleted_at"]),
    }


def product_payload(row: sqlite3.Row) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "organizationId": row["organization_id"],
        "createdAt": format_timestamp(row["created_at"]),
        "deletedAt": _optional_timestamp(row["deleted_at"]),
    }


def _optional_timestamp(epoch_ms: int | None) -> str | None:
    return None if epoch_ms is None else format_timestamp(epoch_ms)

"""Phone connections (`/phoneConnections`): a number the agent answers, with its voice."""

from __future__ import annotations

import re
import sqlite3
from typing import Any

from emulator.errors import bad_request
from emulator.listing import ListSpec, PartialFilter
from emulator.phone_numbers import is_valid_e164
from emulator.resource import Resource
from emulator.schema import PHONE_CONNECTIONS
from emulator.timestamps import format_optional_timestamp, format_timestamp
from emulator.validation import BodyField, BodySpec, agent_speaks_first, name, product_id, text
from emulator.voices import VOICE_IDS

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


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
        "deletedAt": format_optional_timestamp(row["deleted_at"]),
    }


def _phone_number(value: Any) -> str:
    number = text("phoneNumber", value)
    if not is_valid_e164(number):
        raise bad_request(
            "phoneNumber must be a valid phone number in E.164 format, e.g. +14155552671, "
            f"not {number!r}."
        )
    return number


def _voice(value: Any) -> str | None:
    if value is not None and value not in VOICE_IDS:
        raise bad_request(f"voice must be one of {', '.join(VOICE_IDS)} or null, not {value!r}.")
    return value


def _language_code(value: Any) -> str | None:
    if value is not None and not (isinstance(value, str) and LANGUAGE_CODE.fullmatch(value)):
        raise bad_request(
            f"languageCode must be a language code such as en-US, or null, not {value!r}."
        )
    return value


PHONE_CONNECTION = Resource(
    path="/phoneConnections",
    table=PHONE_CONNECTIONS,
    singular="PhoneConnection",
    plural="PhoneConnections",
    id_prefix="phoneConnection",
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
    payload=phone_connection_payload,
    body=BodySpec(
        noun="phone connection",
        fields={
            "productId": BodyField("product_id", product_id),
            "name": BodyField("name", name),
            "phoneNumber": BodyField("phone_number", _phone_number),
            "agentSpeaksFirst": BodyField("agent_speaks_first", agent_speaks_first),
            "voice": BodyField("voice", _voice, nullable=True),
            "languageCode": BodyField("language_code", _language_code, nullable=True),
        },
        required=("productId", "name", "phoneNumber"),
        defaults={"agentSpeaksFirst": False, "voice": None, "languageCode": None},
    ),
)

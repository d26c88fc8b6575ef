"""Phone connections (`/phoneConnections`): a number the agent answers, with its voice.

The one place where the API's generations differ: the documented one has `voice`,
`languageCode` and `GET /phoneConnections/voices`; the current one has none of them, so the
two fields are never answered and sending one is an unknown field. The store keeps both
columns either way.
"""

from __future__ import annotations

import re
import sqlite3
from functools import partial
from typing import Any

from emulator.errors import bad_request
from emulator.generation import ApiGeneration
from emulator.listing import ListSpec, PartialFilter
from emulator.phone_numbers import is_valid_e164
from emulator.resource import BatchDelete, Lookup, Resource
from emulator.schema import PHONE_CONNECTIONS
from emulator.timestamps import format_optional_timestamp, format_timestamp
from emulator.validation import BodyField, BodySpec, agent_speaks_first, name, product_id, text
from emulator.voices import VOICE_IDS, VOICES

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
VOICES_LOOKUP = Lookup(segment="voices", key="voices", items=VOICES)
BATCH_DELETE = BatchDelete(max_ids=100, message="Phone connections deleted successfully")


def phone_connection_payload(row: sqlite3.Row, *, with_voice: bool) -> dict[str, Any]:
    payload = {
        "id": row["id"],
        "productId": row["product_id"],
        "name": row["name"],
        "phoneNumber": row["phone_number"],
        "userId": row["user_id"],
    }
    if with_voice:
        payload["voice"] = row["voice"]
        payload["languageCode"] = row["language_code"]
    return {
        **payload,
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


def phone_connection_resource(generation: ApiGeneration) -> Resource:
    """Phone connections as `generation` of the API serves them."""
    with_voice = generation is ApiGeneration.DOCUMENTED
    voice_fields = (
        {
            "voice": BodyField("voice", _voice, nullable=True),
            "languageCode": BodyField("language_code", _language_code, nullable=True),
        }
        if with_voice
        else {}
    )
    return Resource(
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
        payload=partial(phone_connection_payload, with_voice=with_voice),
        body=BodySpec(
            noun="phone connection",
            fields={
                "productId": BodyField("product_id", product_id),
                "name": BodyField("name", name),
                "phoneNumber": BodyField("phone_number", _phone_number),
                "agentSpeaksFirst": BodyField("agent_speaks_first", agent_speaks_first),
                **voice_fields,
            },
            required=("productId", "name", "phoneNumber"),
            defaults={"agentSpeaksFirst": False, **dict.fromkeys(voice_fields)},
        ),
        lookups=(VOICES_LOOKUP,) if with_voice else (),
        retired_lookups=() if with_voice else (VOICES_LOOKUP.segment,),
        batch_delete=BATCH_DELETE,
    )

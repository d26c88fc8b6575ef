"""Checks on phone-connection bodies for create (POST) and partial update (PATCH).

Each check raises a 400 `ApiError` whose message names the field; a valid body becomes a
dict of store columns.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Collection
from typing import Any

from emulator.errors import bad_request
from emulator.phone_numbers import is_valid_e164
from emulator.voices import VOICE_IDS

MAX_NAME_LENGTH = 255
LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")
REQUIRED_ON_CREATE = ("productId", "name", "phoneNumber")
CREATE_DEFAULTS = {"agentSpeaksFirst": False, "voice": None, "languageCode": None}


def parse_json_object(body: bytes) -> dict[str, Any]:
    """The request body as a JSON object; an empty body is an empty object."""
    if not body.strip():
        return {}
    try:
        parsed = json.loads(body)
    except ValueError as error:
        raise bad_request(f"The request body is not valid JSON: {error}.") from None
    if not isinstance(parsed, dict):
        raise bad_request("The request body must be a JSON object.")
    return parsed


def _text(field: str, value: Any) -> str:
    if not isinstance(value, str):
        raise bad_request(f"{field} must be a string.")
    if not value.strip():
        raise bad_request(f"{field} must not be empty.")
    return value


def _product_id(value: Any) -> str:
    return _text("productId", value)


def _name(value: Any) -> str:
    name = _text("name", value)
    if len(name) > MAX_NAME_LENGTH:
        raise bad_request(f"name must be at most {MAX_NAME_LENGTH} characters long.")
    return name


def _phone_number(value: Any) -> str:
    number = _text("phoneNumber", value)
    if not is_valid_e164(number):
        raise bad_request(
            "phoneNumber must be a valid phone number in E.164 format, e.g. +14155552671, "
            f"not {number!r}."
        )
    return number


def _agent_speaks_first(value: Any) -> bool:
    if not isinstance(value, bool):
        raise bad_request("agentSpeaksFirst must be a boolean.")
    return value


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


# Body field: (store column, check, whether null is allowed in a PATCH body).
FIELDS: dict[str, tuple[str, Callable[[Any], Any], bool]] = {
    "productId": ("product_id", _product_id, False),
    "name": ("name", _name, False),
    "phoneNumber": ("phone_number", _phone_number, False),
    "agentSpeaksFirst": ("agent_speaks_first", _agent_speaks_first, False),
    "voice": ("voice", _voice, True),
    "languageCode": ("language_code", _language_code, True),
}
UPDATABLE = tuple(field for field in FIELDS if field != "productId")


def validate_new_phone_connection(body: dict[str, Any]) -> dict[str, Any]:
    """Store columns for a POST body; optional fields absent or null take their defaults."""
    _reject_unknown(body, FIELDS)
    for field in REQUIRED_ON_CREATE:
        if body.get(field) is None:
            raise bad_request(f"{field} is required.")
    values = {
        **CREATE_DEFAULTS,
        **{field: value for field, value in body.items() if value is not None},
    }
    return {FIELDS[field][0]: FIELDS[field][1](value) for field, value in values.items()}


def validate_phone_connection_changes(body: dict[str, Any]) -> dict[str, Any]:
    """Store columns to change for a PATCH body: only the keys it sends."""
    if "productId" in body:
        raise bad_request("productId cannot be changed: a phone connection stays in its product.")
    _reject_unknown(body, UPDATABLE)
    changes = {}
    for field, value in body.items():
        column, check, nullable = FIELDS[field]
        if value is None and not nullable:
            raise bad_request(f"{field} cannot be null.")
        changes[column] = check(value)
    return changes


def _reject_unknown(body: dict[str, Any], allowed: Collection[str]) -> None:
    unknown = [field for field in body if field not in allowed]
    if unknown:
        raise bad_request(f"Unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.")

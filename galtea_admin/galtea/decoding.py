"""Turning the API's camelCase JSON into typed records, checking its shape on the way."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import GalteaBadAnswer

T = TypeVar("T")
MISSING = object()


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError("a string")
    return value


def _label(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError("a string or a number")
    return str(value)


def _flag(value: object) -> bool:
    if not isinstance(value, bool):
        raise TypeError("true or false")
    return value


def _moment(value: object) -> datetime:
    try:
        return contract.parse_datetime(value)  # type: ignore[arg-type]
    except ValueError:
        raise TypeError("an ISO 8601 date-time") from None


def text(key: str) -> tuple[str, Callable, object]:
    """A required string field."""
    return key, _text, MISSING


def optional_text(key: str) -> tuple[str, Callable, object]:
    """A string field that may be null or absent (absent reads as null)."""
    return key, _text, None


def optional_label(key: str) -> tuple[str, Callable, object]:
    """A short label that the API may send as a string or a number (a version's number),
    or null; read as a string."""
    return key, _label, None


def flag(key: str, default: bool) -> tuple[str, Callable, object]:
    """A boolean field with the API's default when absent or null."""
    return key, _flag, default


def moment(key: str) -> tuple[str, Callable, object]:
    """A required date-time field."""
    return key, _moment, MISSING


def optional_moment(key: str) -> tuple[str, Callable, object]:
    """A date-time field that may be null or absent."""
    return key, _moment, None


def decode(record_type: Callable[..., T], fields: dict[str, tuple], data: Any, what: str) -> T:
    """Build `record_type` from `data` using `fields` (attribute name → field spec)."""
    if not isinstance(data, dict):
        raise GalteaBadAnswer(f"Galtea sent a {what} that is not a JSON object.")
    values: dict[str, object] = {}
    for attribute, (key, read, default) in fields.items():
        raw = data.get(key)
        if raw is None:
            if default is MISSING:
                raise GalteaBadAnswer(f"Galtea sent a {what} without its {key}.")
            values[attribute] = default
            continue
        try:
            values[attribute] = read(raw)
        except TypeError as problem:
            raise GalteaBadAnswer(f"Galtea sent a {what} whose {key} is not {problem}.") from None
    return record_type(**values)


def decode_list(
    record_type: Callable[..., T], fields: dict[str, tuple], data: Any, what: str
) -> list[T]:
    """A bare JSON array of records."""
    if not isinstance(data, list):
        raise GalteaBadAnswer(f"Galtea sent something other than a list of {what}s.")
    return [decode(record_type, fields, item, what) for item in data]


def reader(record_type: Callable[..., T], fields: dict[str, tuple], what: str):
    """A function that decodes one record (for the client's `decode=`)."""
    return lambda data: decode(record_type, fields, data, what)


def list_reader(record_type: Callable[..., T], fields: dict[str, tuple], what: str):
    """A function that decodes a bare JSON array of records."""
    return lambda data: decode_list(record_type, fields, data, what)

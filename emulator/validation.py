"""Checks on JSON bodies for create (POST), partial update (PATCH) and batch delete.

A resource describes its body with a `BodySpec`; each field's check raises a 400 `ApiError`
whose message names the field, and a valid body becomes a dict of store columns.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

from emulator.errors import bad_request
from emulator.schema import Table

MAX_NAME_LENGTH = 255
IMMUTABLE_FIELD = "productId"
BATCH_IDS_FIELD = "ids"


@dataclass(frozen=True)
class Reference:
    """What a field holding another row's id names: a live row of `table` in the written row's
    own product. `singular` names that row in messages."""

    table: Table
    singular: str


@dataclass(frozen=True)
class BodyField:
    """A body field: its store column, its check, whether a PATCH may send null, and the
    row its value names, if it is a reference."""

    column: str
    check: Callable[[Any], Any]
    nullable: bool = False
    references: Reference | None = None


@dataclass(frozen=True)
class AtMostOne:
    """Fields of which a row may have at most one set once a write is applied. `fields` maps
    each API field to its column, whether or not a body may send it; `what` names one."""

    fields: dict[str, str]
    what: str


@dataclass(frozen=True)
class BodySpec:
    """The fields a resource's writes accept. `noun` is what messages call one row.

    On create, `required` fields must be present and not null; optional fields absent or
    null take their `defaults`. `productId` is set on create only.
    """

    noun: str
    fields: dict[str, BodyField]
    required: tuple[str, ...]
    defaults: dict[str, Any]
    at_most_one: AtMostOne | None = None

    @property
    def updatable(self) -> tuple[str, ...]:
        return tuple(name for name in self.fields if name != IMMUTABLE_FIELD)

    @property
    def references(self) -> dict[str, Reference]:
        """The reference columns, each with what it names."""
        return {
            declared.column: declared.references
            for declared in self.fields.values()
            if declared.references is not None
        }

    @property
    def needs_the_row(self) -> bool:
        """Whether checking a change takes the row it changes (its product, its other fields)."""
        return bool(self.references) or self.at_most_one is not None


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


def parse_batch_ids(body: bytes, *, max_ids: int) -> tuple[str, ...]:
    """The distinct ids of a batch body `{"ids": [...]}`, in the order first given."""
    parsed = parse_json_object(body)
    _reject_unknown(parsed, (BATCH_IDS_FIELD,))
    row_ids = parsed.get(BATCH_IDS_FIELD)
    if row_ids is None:
        raise bad_request('ids is required: send {"ids": [...]}, a non-empty list of ids.')
    if not isinstance(row_ids, list) or not row_ids:
        raise bad_request("ids must be a non-empty list of ids.")
    if not all(isinstance(row_id, str) and row_id.strip() for row_id in row_ids):
        raise bad_request("ids must hold non-empty strings only.")
    distinct = tuple(dict.fromkeys(row_ids))
    if len(distinct) > max_ids:
        raise bad_request(f"At most {max_ids} ids per batch, not {len(distinct)}.")
    return distinct


def validate_new(spec: BodySpec, body: dict[str, Any]) -> dict[str, Any]:
    """Store columns for a POST body; optional fields absent or null take their defaults."""
    _reject_unknown(body, spec.fields)
    for field in spec.required:
        if body.get(field) is None:
            raise bad_request(f"{field} is required.")
    values = {
        **spec.defaults,
        **{field: value for field, value in body.items() if value is not None},
    }
    return {
        spec.fields[field].column: spec.fields[field].check(value)
        for field, value in values.items()
    }


def validate_changes(spec: BodySpec, body: dict[str, Any]) -> dict[str, Any]:
    """Store columns to change for a PATCH body: only the keys it sends."""
    if IMMUTABLE_FIELD in body:
        raise bad_request(f"productId cannot be changed: a {spec.noun} stays in its product.")
    _reject_unknown(body, spec.updatable)
    changes = {}
    for field, value in body.items():
        declared = spec.fields[field]
        if value is None and not declared.nullable:
            raise bad_request(f"{field} cannot be null.")
        changes[declared.column] = declared.check(value)
    return changes


def check_at_most_one(spec: BodySpec, row: Mapping[str, Any]) -> None:
    """400 when `row` (the stored row with a write's changes applied) has more than one of
    the fields of `spec.at_most_one` set."""
    rule = spec.at_most_one
    if rule is None:
        return
    set_fields = [name for name, column in rule.fields.items() if row.get(column) is not None]
    if len(set_fields) > 1:
        raise bad_request(
            f"A {spec.noun} has at most one {rule.what}: {_joined(list(rule.fields), 'and')} "
            f"are mutually exclusive, and this change would leave {_joined(set_fields, 'and')} "
            "set. Send null for the one to drop in the same request."
        )


def _joined(names: list[str], conjunction: str) -> str:
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {conjunction} {names[-1]}"


def _reject_unknown(body: dict[str, Any], allowed: Collection[str]) -> None:
    unknown = [field for field in body if field not in allowed]
    if unknown:
        raise bad_request(f"Unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}.")


# --- Checks more than one resource uses -------------------------------------------------


def text(field: str, value: Any, *, max_length: int | None = None) -> str:
    """A non-blank string, at most `max_length` characters long when that is given."""
    if not isinstance(value, str):
        raise bad_request(f"{field} must be a string.")
    if not value.strip():
        raise bad_request(f"{field} must not be empty.")
    if max_length is not None and len(value) > max_length:
        raise bad_request(f"{field} must be at most {max_length} characters long.")
    return value


def product_id(value: Any) -> str:
    return text("productId", value)


def name(value: Any) -> str:
    return text("name", value, max_length=MAX_NAME_LENGTH)


def row_id(field: str, value: Any) -> str | None:
    """The id of another row, or None to clear the reference."""
    if value is None:
        return None
    return text(field, value)


def agent_speaks_first(value: Any) -> bool:
    if not isinstance(value, bool):
        raise bad_request("agentSpeaksFirst must be a boolean.")
    return value

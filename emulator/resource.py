"""What the generic handlers need to know about one collection of the API."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from http import HTTPStatus
from typing import Any

from emulator.listing import ListSpec
from emulator.schema import Table
from emulator.validation import BodySpec


@dataclass(frozen=True)
class Lookup:
    """A fixed list served at `GET <path>/<segment>` as `{key: [items]}`."""

    segment: str
    key: str
    items: tuple[dict[str, Any], ...]


@dataclass(frozen=True)
class BatchDelete:
    """`DELETE <path>/batch` with `{"ids": [...]}`: at most `max_ids` distinct ids, all of
    them soft-deleted or, when any is missing, none; success answers `{"message": message}`."""

    max_ids: int
    message: str


class Write(StrEnum):
    """The writes a resource with a body may serve, by their HTTP method."""

    CREATE = "POST"
    UPDATE = "PATCH"
    DELETE = "DELETE"


@dataclass(frozen=True)
class NameClash:
    """How a write answers a name another live row of the same product holds."""

    status: int
    message: str


@dataclass(frozen=True)
class Resource:
    """A collection served at `path`: its table, list parameters and JSON shape.

    `singular` and `plural` name it in messages (`PhoneConnection not found: …`); new rows
    get ids `<id_prefix>_<hex>`. A resource without a `body` is read-only. `lookups` and the
    batch route are matched before `<path>/{id}`, as are `retired_lookups`: segments a
    generation of the API no longer serves, which get the unknown-route page rather than
    reading as an id. A resource with a body serves the `writes` listed; a name clash answers
    `name_clash`, by default a 400 whose message contains "with the same".
    """

    path: str
    table: Table
    singular: str
    plural: str
    id_prefix: str
    list_spec: ListSpec
    payload: Callable[[sqlite3.Row], dict[str, Any]]
    body: BodySpec | None = None
    lookups: tuple[Lookup, ...] = ()
    retired_lookups: tuple[str, ...] = ()
    batch_delete: BatchDelete | None = None
    writes: frozenset[Write] = frozenset(Write)
    name_clash: NameClash | None = None

    @property
    def duplicate_name(self) -> NameClash:
        return self.name_clash or NameClash(
            HTTPStatus.BAD_REQUEST,
            f"A {self.singular} with the same name already exists for this product.",
        )

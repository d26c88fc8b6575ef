"""What the generic handlers need to know about one collection of the API."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from emulator.listing import ListSpec
from emulator.schema import Table
from emulator.validation import BodySpec


@dataclass(frozen=True)
class Resource:
    """A collection served at `path`: its table, list parameters and JSON shape.

    `singular` and `plural` name it in messages (`PhoneConnection not found: …`); new rows
    get ids `<id_prefix>_<hex>`. A resource without a `body` is read-only.
    """

    path: str
    table: Table
    singular: str
    plural: str
    id_prefix: str
    list_spec: ListSpec
    payload: Callable[[sqlite3.Row], dict[str, Any]]
    body: BodySpec | None = None

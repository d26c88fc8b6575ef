"""Bulk actions on selected phone connections: look them up, then delete each one.

One failure never stops the rest: every id gets its own outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import GalteaError, GalteaNotFound
from galtea_admin.galtea.phone_connections import (
    PhoneConnection,
    PhoneConnectionQuery,
    PhoneConnectionsNotFound,
    list_phone_connections,
)
from galtea_admin.phone_connections import editing

MAX_SELECTION = 100


class BadSelection(ValueError):
    """The submitted selection is empty, too large or malformed."""


def selected_ids(values: list[str]) -> list[str]:
    ids = list(dict.fromkeys(value.strip() for value in values if value.strip()))
    if not ids:
        raise BadSelection("Select at least one phone connection first.")
    if len(ids) > MAX_SELECTION:
        raise BadSelection(f"Select at most {MAX_SELECTION} phone connections at once.")
    if not all(contract.ID_PATTERN.match(connection_id) for connection_id in ids):
        raise BadSelection("The selection was damaged: select the rows again.")
    return ids


@dataclass
class Lookup:
    """The selected connections that exist, and the ids that no longer do."""

    found: list[PhoneConnection]
    missing: list[str]


def look_up(ids: list[str]) -> Lookup:
    """The connections with these ids: one request, and one more each time the API names
    ids that are gone (it may not name them all at once)."""
    remaining, missing = list(ids), []
    while remaining:
        query = PhoneConnectionQuery(ids=tuple(remaining))
        try:
            return Lookup(list_phone_connections(query, limit=len(remaining)), missing)
        except PhoneConnectionsNotFound as error:
            gone = [i for i in remaining if i in error.missing_ids] or remaining
            missing += gone
            remaining = [i for i in remaining if i not in gone]
    return Lookup([], missing)


@dataclass
class Outcome:
    deleted: list[PhoneConnection] = field(default_factory=list)
    # (what was asked to be deleted, why it was not)
    failed: list[tuple[str, str]] = field(default_factory=list)


def delete_all(user, ids: list[str], product_names: dict[str, str]) -> Outcome:
    """Delete each selected connection, recording each deletion; report every failure."""
    outcome = Outcome()
    lookup = look_up(ids)
    for missing in lookup.missing:
        outcome.failed.append((missing, "it no longer exists (already deleted?)"))
    for connection in lookup.found:
        label = f"“{connection.name}” ({connection.phone_number})"
        try:
            editing.delete(
                user, connection, product_name=product_names.get(connection.product_id, "")
            )
        except GalteaNotFound:
            outcome.failed.append((label, "someone deleted it meanwhile"))
        except GalteaError as error:
            outcome.failed.append((label, f"{error.title}: {error.message}"))
        else:
            outcome.deleted.append(connection)
    return outcome

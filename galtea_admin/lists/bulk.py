"""Bulk actions on selected entities of one resource: look them up, then delete each one.

One failure never stops the rest: every id gets its own outcome.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import GalteaError, GalteaIdsNotFound, GalteaNotFound
from galtea_admin.galtea.resources import resource_list
from galtea_admin.lists import editing

MAX_SELECTION = 100


class BadSelection(ValueError):
    """The submitted selection is empty, too large or malformed."""


def selected_ids(resource, values: list[str]) -> list[str]:
    ids = list(dict.fromkeys(value.strip() for value in values if value.strip()))
    if not ids:
        raise BadSelection(f"Select at least one {resource.noun} first.")
    if len(ids) > MAX_SELECTION:
        raise BadSelection(f"Select at most {MAX_SELECTION} {resource.noun_plural} at once.")
    if not all(contract.ID_PATTERN.match(entity_id) for entity_id in ids):
        raise BadSelection("The selection was damaged: select the rows again.")
    return ids


@dataclass
class Lookup:
    """The selected entities that exist, and the ids that no longer do."""

    found: list
    missing: list[str]


def look_up(resource, ids: list[str]) -> Lookup:
    """The entities with these ids: one request, and one more each time the API names ids
    that are gone (it may not name them all at once)."""
    remaining, missing = list(ids), []
    while remaining:
        query = resource.spec.query(ids=remaining)
        try:
            return Lookup(resource_list(resource.spec, query=query, limit=len(remaining)), missing)
        except GalteaIdsNotFound as error:
            gone = [i for i in remaining if i in error.missing_ids] or remaining
            missing += gone
            remaining = [i for i in remaining if i not in gone]
    return Lookup([], missing)


@dataclass
class Outcome:
    deleted: list = field(default_factory=list)
    # (what was asked to be deleted, why it was not)
    failed: list[tuple[str, str]] = field(default_factory=list)


def delete_all(user, resource, ids: list[str], product_names: dict[str, str]) -> Outcome:
    """Delete each selected entity, recording each deletion; report every failure."""
    outcome = Outcome()
    lookup = look_up(resource, ids)
    for missing in lookup.missing:
        outcome.failed.append((missing, "it no longer exists (already deleted?)"))
    for record in lookup.found:
        label = resource.selection_label(record)
        try:
            editing.delete(
                user,
                resource=resource,
                record=record,
                product_name=product_names.get(record.product_id, ""),
            )
        except GalteaNotFound:
            outcome.failed.append((label, "someone deleted it meanwhile"))
        except GalteaError as error:
            outcome.failed.append((label, f"{error.title}: {error.message}"))
        else:
            outcome.deleted.append(record)
    return outcome

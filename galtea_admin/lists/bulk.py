"""Bulk actions on selected entities of one resource: look them up, then delete them, in
batches where the API has a batch route, else one by one.

One failure never stops the rest: every id gets its own outcome, and every deletion its own
record in the activity log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from galtea_admin.audit import recording
from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import (
    GalteaError,
    GalteaIdsNotFound,
    GalteaNoSuchRoute,
    GalteaNotFound,
)
from galtea_admin.galtea.resources import resource_delete_batch, resource_list
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
    """Delete the selected entities, recording each deletion; report every failure."""
    outcome = Outcome()
    lookup = look_up(resource, ids)
    for missing in lookup.missing:
        outcome.failed.append((missing, "it no longer exists (already deleted?)"))
    one_by_one = lookup.found
    if resource.spec.batch_delete:
        one_by_one = delete_in_batches(user, resource, lookup.found, product_names, outcome)
    for record in one_by_one:
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


def delete_in_batches(user, resource, records: list, product_names, outcome: Outcome) -> list:
    """Delete `records` a batch at a time, adding to `outcome`. Ids the API says are gone
    are reported and the batch is sent again without them (the API deletes none of a batch
    with a missing id). Returns the records left to delete one by one: all of those not yet
    sent when the API has no batch route, or cannot say which ids it missed."""
    size = contract.MAX_IDS_PER_BATCH_DELETE
    pending = [records[start : start + size] for start in range(0, len(records), size)]
    while pending:
        batch = pending.pop(0)
        try:
            resource_delete_batch(resource.spec, entity_ids=[record.id for record in batch])
        except GalteaNoSuchRoute:
            return [record for rest in [batch, *pending] for record in rest]
        except GalteaIdsNotFound as error:
            gone = set(error.missing_ids)
            if not gone:
                return [record for rest in [batch, *pending] for record in rest]
            for record in batch:
                if record.id in gone:
                    outcome.failed.append(
                        (resource.selection_label(record), "someone deleted it meanwhile")
                    )
            rest = [record for record in batch if record.id not in gone]
            if rest:
                pending.insert(0, rest)
            continue
        except editing.LOST_ANSWER as error:
            if not error.may_have_arrived:
                fail_all(resource, batch, error, outcome)
                continue
            still_there = {record.id for record in look_up(resource, [r.id for r in batch]).found}
            fail_all(resource, [r for r in batch if r.id in still_there], error, outcome)
            batch = [r for r in batch if r.id not in still_there]
        except GalteaError as error:
            fail_all(resource, batch, error, outcome)
            continue
        for record in batch:
            recording.record_delete(
                user,
                resource=resource,
                record=record,
                product_name=product_names.get(record.product_id, ""),
            )
            outcome.deleted.append(record)
    return []


def fail_all(resource, records: list, error: GalteaError, outcome: Outcome) -> None:
    for record in records:
        outcome.failed.append((resource.selection_label(record), f"{error.title}: {error.message}"))

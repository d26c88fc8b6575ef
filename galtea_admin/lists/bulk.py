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
    # What Galtea may have deleted and could not be asked about: recorded as unconfirmed.
    unconfirmed: list[str] = field(default_factory=list)


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
        except editing.OutcomeUnknown:
            outcome.unconfirmed.append(label)
        except GalteaError as error:
            outcome.failed.append((label, f"{error.title}: {error.message}"))
        else:
            outcome.deleted.append(record)
    return outcome


def delete_in_batches(user, resource, records: list, product_names, outcome: Outcome) -> list:
    """Delete `records` a batch at a time, recording each deletion and adding to `outcome`.
    Returns the records left to delete one by one: all of those not yet sent when the API
    has no batch route, or cannot say which ids it missed."""
    size = contract.MAX_IDS_PER_BATCH_DELETE
    batches = [records[start : start + size] for start in range(0, len(records), size)]
    for number, batch in enumerate(batches):
        try:
            done = delete_batch(resource, batch)
        except editing.OutcomeUnknown:
            for record in batch:
                name = product_names.get(record.product_id, "")
                editing.delete_unconfirmed(
                    user, resource=resource, record=record, product_name=name
                )
                outcome.unconfirmed.append(resource.selection_label(record))
            continue
        except GalteaError as error:
            fail_all(resource, batch, error, outcome)
            continue
        for record in done.gone:
            outcome.failed.append(
                (resource.selection_label(record), "someone deleted it meanwhile")
            )
        for record, error in done.failed:
            fail_all(resource, [record], error, outcome)
        for record in done.deleted:
            recording.record_delete(
                user,
                resource=resource,
                record=record,
                product_name=product_names.get(record.product_id, ""),
            )
            outcome.deleted.append(record)
        if done.not_sent:
            return [*done.not_sent, *(record for rest in batches[number + 1 :] for record in rest)]
    return []


@dataclass
class BatchDeletion:
    """What one batch delete did: the records deleted, those someone had deleted already,
    those that failed (and why), and those not sent (to be deleted one by one)."""

    deleted: list = field(default_factory=list)
    gone: list = field(default_factory=list)
    failed: list[tuple[object, GalteaError]] = field(default_factory=list)
    not_sent: list = field(default_factory=list)


def delete_batch(resource, records: list) -> BatchDeletion:
    """Delete `records` (one batch: at most `contract.MAX_IDS_PER_BATCH_DELETE`) in one
    call, recording nothing. Ids the API says are gone are left out and the batch is sent
    again without them (the API deletes none of a batch with a missing id). When the answer
    is lost, it looks which are still there. Any other GalteaError is raised: none of the
    batch was deleted."""
    done = BatchDeletion()
    batch = list(records)
    while batch:
        try:
            resource_delete_batch(resource.spec, entity_ids=[record.id for record in batch])
        except GalteaNoSuchRoute:
            done.not_sent += batch
            return done
        except GalteaIdsNotFound as error:
            gone = set(error.missing_ids)
            if not gone:
                done.not_sent += batch
                return done
            done.gone += [record for record in batch if record.id in gone]
            batch = [record for record in batch if record.id not in gone]
            continue
        except editing.LOST_ANSWER as error:
            if not error.may_have_arrived:
                raise
            try:
                still_there = {r.id for r in look_up(resource, [r.id for r in batch]).found}
            except GalteaError:
                raise editing.OutcomeUnknown(error) from None
            done.failed += [(record, error) for record in batch if record.id in still_there]
            done.deleted += [record for record in batch if record.id not in still_there]
            return done
        done.deleted += batch
        return done
    return done


def fail_all(resource, records: list, error: GalteaError, outcome: Outcome) -> None:
    for record in records:
        outcome.failed.append((resource.selection_label(record), f"{error.title}: {error.message}"))

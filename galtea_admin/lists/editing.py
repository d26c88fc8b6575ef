"""Create, edit and delete any resource: the service calls, the double-submit guard and the
activity log.

Each function asks Galtea first and records the change only once Galtea has confirmed it,
so a failed upstream call never shows up in the history as done. When an answer is lost
after the request may have arrived (a timeout, a dropped connection), it looks before
reporting a failure.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from galtea_admin.audit import recording
from galtea_admin.galtea.errors import GalteaError, GalteaNotFound, GalteaTimeout, GalteaUnavailable
from galtea_admin.galtea.resources import (
    resource_create,
    resource_delete,
    resource_get,
    resource_list,
    resource_update,
)
from galtea_admin.lists.models import CreateSubmission

LOST_ANSWER = (GalteaTimeout, GalteaUnavailable)


class AlreadySubmitted(Exception):
    """This create form was sent before; `entity_id` is what it created (if done)."""

    def __init__(self, entity_id: str):
        super().__init__(entity_id)
        self.entity_id = entity_id


@dataclass(frozen=True)
class Conflict:
    """The entity changed upstream since the form was opened."""

    current: object
    changed_fields: list[str]


def create(user, token: str, *, resource, values: dict, product_name: str):
    """Create once per form token; raises AlreadySubmitted for a repeated token."""
    try:
        with transaction.atomic():
            submission = CreateSubmission.objects.create(token=token, user=user)
    except IntegrityError:
        existing = CreateSubmission.objects.filter(token=token).first()
        raise AlreadySubmitted(existing.entity_id if existing else "") from None
    try:
        record = resource_create(resource.spec, values=values)
    except LOST_ANSWER as error:
        record = created_meanwhile(resource, values) if error.may_have_arrived else None
        if record is None:
            submission.delete()
            raise
    except BaseException:
        submission.delete()
        raise
    submission.entity_id = record.id
    submission.save(update_fields=["entity_id"])
    recording.record_create(
        user,
        resource=resource,
        record=record,
        product_name=product_name,
        secrets={name: "set" for name in secrets_in(resource, values) if values[name]},
    )
    return record


def created_meanwhile(resource, values: dict):
    """The entity with this name in this product, if it exists (names are unique)."""
    query = resource.spec.query(product_ids=[values["product_id"]], names=[values["name"]])
    try:
        found = resource_list(resource.spec, query=query, limit=1)
    except GalteaError:
        return None
    return found[0] if found else None


def find_conflict(current, original: dict) -> Conflict | None:
    """Compare what the form was opened with to the entity as it is now."""
    changed = [name for name, value in original.items() if getattr(current, name) != value]
    return Conflict(current, changed) if changed else None


def update(user, *, resource, before, changes: dict, product_name: str):
    """Send only the changed fields, then record before → after."""
    try:
        after = resource_update(resource.spec, entity_id=before.id, changes=changes)
    except LOST_ANSWER as error:
        after = applied_meanwhile(resource, before.id, changes) if error.may_have_arrived else None
        if after is None:
            raise
    recording.record_update(
        user,
        resource=resource,
        before=before,
        after=after,
        product_name=product_name,
        secrets={
            name: "replaced" if changes[name] else "removed"
            for name in secrets_in(resource, changes)
        },
    )
    return after


def applied_meanwhile(resource, entity_id: str, changes: dict):
    """The entity, if it now holds every requested change (a secret cannot be read back:
    whether one is set stands for it)."""
    try:
        current = resource_get(resource.spec, entity_id=entity_id)
    except GalteaError:
        return None
    for name, value in changes.items():
        if name in resource.spec.write_only:
            if getattr(current, f"has_{name}", bool(value)) != bool(value):
                return None
        elif getattr(current, name) != value:
            return None
    return current


def secrets_in(resource, values: dict) -> list[str]:
    """The write-only fields among `values` (the activity log records only that they
    changed, never their value)."""
    return [name for name in values if name in resource.spec.write_only]


def delete(user, *, resource, record, product_name: str) -> None:
    """Delete and record it. When the answer was lost, ask whether the entity is gone: if it
    is, the deletion happened and is recorded."""
    try:
        resource_delete(resource.spec, entity_id=record.id)
    except LOST_ANSWER as error:
        if not error.may_have_arrived or still_exists(resource, record.id):
            raise
    recording.record_delete(user, resource=resource, record=record, product_name=product_name)


def still_exists(resource, entity_id: str) -> bool:
    try:
        resource_get(resource.spec, entity_id=entity_id)
    except GalteaNotFound:
        return False
    except GalteaError:
        return True  # cannot tell: report the original failure
    return True

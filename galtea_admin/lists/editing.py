"""Create, edit and delete any resource: the service calls, the double-submit guard and the
activity log.

Each function asks Galtea first and records the change only once Galtea has confirmed it,
so a failed upstream call never shows up in the history as done. When an answer is lost
after the request may have arrived (a timeout, a dropped connection), it looks before
reporting a failure; when it cannot look either (Galtea stopped answering), the change is
recorded as unconfirmed, settled later (lists/settling.py), and OutcomeUnknown is raised.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from types import SimpleNamespace

from django.db import IntegrityError, transaction

from galtea_admin.audit import recording
from galtea_admin.audit.models import Outcome
from galtea_admin.galtea.errors import GalteaError, GalteaNotFound, GalteaTimeout, GalteaUnavailable
from galtea_admin.galtea.resources import (
    resource_create,
    resource_delete,
    resource_update,
)
from galtea_admin.lists import settling
from galtea_admin.lists.models import CreateSubmission

LOST_ANSWER = (GalteaTimeout, GalteaUnavailable)


class AlreadySubmitted(Exception):
    """This create form was sent before; `entity_id` is what it created (if done);
    `unconfirmed` when Galtea has not been found to have created it or not yet."""

    def __init__(self, entity_id: str, *, unconfirmed: bool = False):
        super().__init__(entity_id)
        self.entity_id = entity_id
        self.unconfirmed = unconfirmed


class OutcomeUnknown(GalteaError):
    """Galtea received the request, then stopped answering, and cannot be asked yet whether
    it made the change: it is recorded as unconfirmed (`change`, None if the record could
    not be written) and will be settled once Galtea answers again. `error` is the failure
    that lost the answer (its status is this one's)."""

    title = "Galtea did not say whether this was done"

    def __init__(self, error: GalteaError, change=None):
        super().__init__(
            "Galtea received the request and then stopped answering. The change is recorded"
            " as not confirmed yet and is checked again as soon as Galtea answers.",
            upstream_status=error.upstream_status,
        )
        self.status = error.status
        self.error = error
        self.change = change


@dataclass(frozen=True)
class Merge:
    """A person's edit laid over the entity as it is now, when someone else may have changed
    it since the form was opened (values in the form's terms, see ResourceForm.snapshot)."""

    # The person's changes the entity does not hold yet: all that is sent.
    send: dict[str, object]
    # Fields someone else changed meanwhile: field → (as the form was opened, as it is now).
    theirs: dict[str, tuple[object, object]]
    # Fields both changed, to different values: field → its value now. Nothing is saved.
    collisions: dict[str, object]


def create(user, token: str, *, resource, values: dict, product_name: str):
    """Create once per form token; raises AlreadySubmitted for a repeated token."""
    try:
        with transaction.atomic():
            submission = CreateSubmission.objects.create(token=token, user=user)
    except IntegrityError:
        existing = CreateSubmission.objects.filter(token=token).first()
        if existing is None:
            raise AlreadySubmitted("") from None
        unconfirmed = existing.unconfirmed_change_id is not None
        raise AlreadySubmitted(existing.entity_id, unconfirmed=unconfirmed) from None
    secrets = {name: "set" for name in secrets_in(resource, values) if values[name]}
    try:
        record = resource_create(resource.spec, values=values)
    except LOST_ANSWER as error:
        try:
            record = settling.find_created(resource, values) if error.may_have_arrived else None
        except GalteaError:
            # What the entity would be: its values, but never a secret's.
            plain = {k: v for k, v in values.items() if k not in resource.spec.write_only}
            stand_in = SimpleNamespace(id="", **plain)
            change = recording.record_create(
                user,
                resource=resource,
                record=stand_in,
                product_name=product_name,
                secrets=secrets,
                outcome=Outcome.UNCONFIRMED,
            )
            if change is not None:
                submission.unconfirmed_change = change
                submission.save(update_fields=["unconfirmed_change"])
                settling.settle_later(change)
            raise OutcomeUnknown(error, change) from error
        if record is None:
            submission.delete()
            raise
    except BaseException:
        submission.delete()
        raise
    submission.entity_id = record.id
    submission.save(update_fields=["entity_id"])
    recording.record_create(
        user, resource=resource, record=record, product_name=product_name, secrets=secrets
    )
    return record


def merge_edit(*, opened: dict, now: dict, changes: dict, secrets=()) -> Merge:
    """Lay `changes` (the person's, against `opened`) over the entity as it is `now`.

    Changes to different fields merge. A field both changed collides unless both gave it
    the same value; a secret (`secrets`: a value only known as set or not) collides unless
    both removed it, as two keys typed cannot be compared.
    """
    theirs = {
        name: (value, now.get(name)) for name, value in opened.items() if now.get(name) != value
    }
    send: dict[str, object] = {}
    collisions: dict[str, object] = {}
    for name, value in changes.items():
        if name not in theirs:
            send[name] = value
        elif name in secrets:
            if value is not None or now.get(name):
                collisions[name] = now.get(name)
        elif value != now.get(name):
            collisions[name] = now.get(name)
    return Merge(send=send, theirs=theirs, collisions=collisions)


def secret_state(is_set) -> str:
    """How a secret reads where only whether one is set is known."""
    return "set" if is_set else "not set"


def described_changes(resource, changes: dict) -> list[tuple[str, str, str]]:
    """(label, before, after) of each field → (before, after), as the history reads them."""
    describe = resource.value_describer()

    def read(name, value):
        return secret_state(value) if name in resource.spec.write_only else describe(name, value)

    return [
        (resource.field_labels.get(name, name), read(name, before), read(name, after))
        for name, (before, after) in changes.items()
    ]


def update(user, *, resource, before, changes: dict, product_name: str):
    """Send only the changed fields, then record before → after of those fields alone (a
    change someone else made meanwhile is not this person's)."""
    secrets = {
        name: "replaced" if changes[name] else "removed" for name in secrets_in(resource, changes)
    }
    try:
        after = resource_update(resource.spec, entity_id=before.id, changes=changes)
    except LOST_ANSWER as error:
        try:
            after = (
                settling.find_applied(resource, before.id, changes)
                if error.may_have_arrived
                else None
            )
        except GalteaNotFound:
            after = None  # gone meanwhile: the original failure stands
        except GalteaError:
            change = recording.record_update(
                user,
                resource=resource,
                before=before,
                after=as_requested(resource, before, changes),
                fields=changes,
                product_name=product_name,
                secrets=secrets,
                outcome=Outcome.UNCONFIRMED,
            )
            settling.settle_later(change)
            raise OutcomeUnknown(error, change) from error
        if after is None:
            raise
    recording.record_update(
        user,
        resource=resource,
        before=before,
        after=after,
        fields=changes,
        product_name=product_name,
        secrets=secrets,
    )
    return after


def as_requested(resource, before, changes: dict):
    """`before` with `changes` made (what the entity would be, had Galtea made them)."""
    plain = {name: value for name, value in changes.items() if name not in resource.spec.write_only}
    return dataclasses.replace(before, **plain)


def applied_meanwhile(resource, entity_id: str, changes: dict):
    """As settling.find_applied, None when Galtea cannot be asked."""
    try:
        return settling.find_applied(resource, entity_id, changes)
    except GalteaError:
        return None


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
        if not error.may_have_arrived:
            raise
        try:
            gone = settling.is_gone(resource, record.id)
        except GalteaError:
            change = delete_unconfirmed(
                user, resource=resource, record=record, product_name=product_name
            )
            raise OutcomeUnknown(error, change) from error
        if not gone:
            raise
    recording.record_delete(user, resource=resource, record=record, product_name=product_name)


def delete_unconfirmed(user, *, resource, record, product_name: str):
    """Record a deletion Galtea may have made and cannot be asked about, to be settled."""
    change = recording.record_delete(
        user,
        resource=resource,
        record=record,
        product_name=product_name,
        outcome=Outcome.UNCONFIRMED,
    )
    settling.settle_later(change)
    return change

"""Create, edit and delete: the service calls, the double-submit guard and the audit trail.

Each function asks Galtea first and records the change only once Galtea has confirmed it,
so a failed upstream call never shows up in the history as done.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import IntegrityError, transaction

from galtea_admin.audit import recording
from galtea_admin.galtea import phone_connections as service
from galtea_admin.galtea.errors import GalteaError, GalteaNotFound, GalteaTimeout, GalteaUnavailable
from galtea_admin.galtea.phone_connections import PhoneConnection, PhoneConnectionQuery
from galtea_admin.phone_connections.models import CreateSubmission


class AlreadySubmitted(Exception):
    """This create form was sent before; `connection_id` is what it created (if done)."""

    def __init__(self, connection_id: str):
        super().__init__(connection_id)
        self.connection_id = connection_id


@dataclass(frozen=True)
class Conflict:
    """The connection changed upstream since the form was opened."""

    current: PhoneConnection
    changed_fields: list[str]


def create(user, token: str, *, product_id: str, values: dict, product_name: str):
    """Create once per form token; raises AlreadySubmitted for a repeated token."""
    try:
        with transaction.atomic():
            submission = CreateSubmission.objects.create(token=token, user=user)
    except IntegrityError:
        existing = CreateSubmission.objects.filter(token=token).first()
        raise AlreadySubmitted(existing.connection_id if existing else "") from None
    try:
        connection = service.create_phone_connection(product_id=product_id, **values)
    except (GalteaTimeout, GalteaUnavailable) as error:
        # The answer was lost, not necessarily the request: look before reporting a failure.
        connection = (
            created_meanwhile(product_id, values["name"]) if error.may_have_arrived else None
        )
        if connection is None:
            submission.delete()
            raise
    except BaseException:
        submission.delete()
        raise
    submission.connection_id = connection.id
    submission.save(update_fields=["connection_id"])
    recording.record_create(user, connection, product_name=product_name)
    return connection


def created_meanwhile(product_id: str, name: str) -> PhoneConnection | None:
    """The connection with this name in this product, if it exists (names are unique)."""
    query = PhoneConnectionQuery(product_ids=(product_id,), names=(name,))
    try:
        found = service.list_phone_connections(query, limit=1)
    except GalteaError:
        return None
    return found[0] if found else None


def find_conflict(current: PhoneConnection, original: dict) -> Conflict | None:
    """Compare what the form was opened with to the connection as it is now."""
    changed = [field for field, value in original.items() if getattr(current, field) != value]
    return Conflict(current, changed) if changed else None


def update(user, before: PhoneConnection, changes: dict, *, product_name: str):
    """Send only the changed fields, then record before → after."""
    try:
        after = service.update_phone_connection(before.id, changes)
    except (GalteaTimeout, GalteaUnavailable) as error:
        # The answer was lost, not necessarily the request: look before reporting a failure.
        after = applied_meanwhile(before.id, changes) if error.may_have_arrived else None
        if after is None:
            raise
    recording.record_update(user, before, after, product_name=product_name)
    return after


def applied_meanwhile(connection_id: str, changes: dict) -> PhoneConnection | None:
    """The connection, if it now holds every requested change."""
    try:
        current = service.get_phone_connection(connection_id)
    except GalteaError:
        return None
    if all(getattr(current, field) == value for field, value in changes.items()):
        return current
    return None


def delete(user, connection: PhoneConnection, *, product_name: str) -> None:
    """Delete and record it. When the answer was lost (timeout, dropped connection), ask
    whether the connection is gone: if it is, the deletion happened and is recorded."""
    try:
        service.delete_phone_connection(connection.id)
    except (GalteaTimeout, GalteaUnavailable) as error:
        if not error.may_have_arrived or still_exists(connection.id):
            raise
    recording.record_delete(user, connection, product_name=product_name)


def still_exists(connection_id: str) -> bool:
    try:
        service.get_phone_connection(connection_id)
    except GalteaNotFound:
        return False
    except GalteaError:
        return True  # cannot tell: report the original failure
    return True

"""Writing change records: called by the views right after Galtea confirmed a change."""

from __future__ import annotations

from collections.abc import Mapping

from galtea_admin.audit.models import Action, ChangeRecord
from galtea_admin.galtea.phone_connections import (
    UPDATABLE_FIELDS,
    PhoneConnection,
    updatable_values,
)

LABELS = {
    "name": "Name",
    "phone_number": "Phone number",
    "voice": "Voice",
    "language_code": "Language",
    "agent_speaks_first": "Agent speaks first",
}
# The fields a change record describes: every field a change can make, with its label.
TRACKED_FIELDS = {field: LABELS[field] for field in UPDATABLE_FIELDS}


def diff(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list]:
    """{"field": [before, after]} for each tracked field whose value differs."""
    return {
        field: [before.get(field), after.get(field)]
        for field in TRACKED_FIELDS
        if before.get(field) != after.get(field)
    }


def record_change(
    user,
    action: Action,
    connection: PhoneConnection,
    *,
    changes: Mapping[str, list],
    product_name: str = "",
) -> ChangeRecord:
    return ChangeRecord.objects.create(
        user=user,
        username=user.get_username(),
        action=action,
        connection_id=connection.id,
        product_id=connection.product_id,
        product_name=product_name,
        connection_name=connection.name,
        changes=dict(changes),
    )


def record_create(user, connection: PhoneConnection, *, product_name: str = "") -> ChangeRecord:
    values = updatable_values(connection)
    changes = {field: [None, value] for field, value in values.items()}
    return record_change(
        user, Action.CREATE, connection, changes=changes, product_name=product_name
    )


def record_update(
    user, before: PhoneConnection, after: PhoneConnection, *, product_name: str = ""
) -> ChangeRecord:
    changes = diff(updatable_values(before), updatable_values(after))
    return record_change(user, Action.UPDATE, after, changes=changes, product_name=product_name)


def record_delete(user, connection: PhoneConnection, *, product_name: str = "") -> ChangeRecord:
    values = updatable_values(connection)
    changes = {field: [value, None] for field, value in values.items()}
    return record_change(
        user, Action.DELETE, connection, changes=changes, product_name=product_name
    )

"""Writing change records: called right after Galtea confirmed a change, or, when Galtea
received a request and could not be asked what became of it, as an unconfirmed change
(settled later by lists/settling.py)."""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.db import DatabaseError, transaction

from galtea_admin.audit.models import Action, ChangeRecord, Outcome
from galtea_admin.galtea.resources import resource_absent_fields

logger = logging.getLogger(__name__)


def recorded_values(resource, record) -> dict[str, object]:
    """The values a change record keeps: the updatable ones the API has."""
    return resource.spec.updatable_values(record, resource_absent_fields(resource.spec))


def diff(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list]:
    """{"field": [before, after]} for each field whose value differs."""
    return {
        name: [before.get(name), after.get(name)]
        for name in before
        if before.get(name) != after.get(name)
    }


def fit(field: str, value: str) -> str:
    """`value` cut to what the record's `field` holds, its end marked with "…"."""
    limit = ChangeRecord._meta.get_field(field).max_length
    return value if len(value) <= limit else value[: limit - 1] + "…"


def record_change(
    user,
    action: Action,
    *,
    resource,
    record,
    changes: Mapping[str, list],
    product_name="",
    outcome=Outcome.DONE,
) -> ChangeRecord | None:
    """The record of a change Galtea has made. If the database cannot store it, the failure
    is logged and None returned: the change is done, and the person is told it is."""
    values = {
        "username": fit("username", user.get_username()),
        "object_id": fit("object_id", record.id),
        "object_label": fit("object_label", resource.label(record)),
        "product_id": fit("product_id", record.product_id),
        "product_name": fit("product_name", product_name),
    }
    try:
        with transaction.atomic():
            return ChangeRecord.objects.create(
                user=user,
                action=action,
                object_type=resource.key,
                changes=dict(changes),
                outcome=outcome,
                **values,
            )
    except DatabaseError:
        logger.exception(
            "The activity log could not record a change Galtea made: %s %s %s by %s",
            action,
            resource.key,
            record.id,
            values["username"],
        )
        return None


def record_create(
    user, *, resource, record, product_name: str = "", secrets=None, outcome=Outcome.DONE
) -> ChangeRecord | None:
    """`secrets`: write-only field → what happened to it ("set"), recorded without a value."""
    values = recorded_values(resource, record)
    changes = {name: [None, value] for name, value in values.items()}
    changes.update({name: [None, event] for name, event in (secrets or {}).items()})
    return record_change(
        user,
        Action.CREATE,
        resource=resource,
        record=record,
        changes=changes,
        outcome=outcome,
        product_name=product_name,
    )


def record_update(
    user,
    *,
    resource,
    before,
    after,
    fields=None,
    product_name: str = "",
    secrets=None,
    outcome=Outcome.DONE,
) -> ChangeRecord | None:
    """`fields`: the fields this change was about (None: all); others that differ were
    changed by someone else. `secrets`: write-only field → "replaced" or "removed",
    recorded without a value."""
    changes = diff(recorded_values(resource, before), recorded_values(resource, after))
    if fields is not None:
        changes = {name: values for name, values in changes.items() if name in fields}
    changes.update({name: [None, event] for name, event in (secrets or {}).items()})
    return record_change(
        user,
        Action.UPDATE,
        resource=resource,
        record=after,
        changes=changes,
        outcome=outcome,
        product_name=product_name,
    )


def record_delete(
    user, *, resource, record, product_name: str = "", outcome=Outcome.DONE
) -> ChangeRecord | None:
    values = recorded_values(resource, record)
    changes = {name: [value, None] for name, value in values.items()}
    return record_change(
        user,
        Action.DELETE,
        resource=resource,
        record=record,
        changes=changes,
        outcome=outcome,
        product_name=product_name,
    )


def record_event(user, action: Action, *, object_type: str, object_id, label: str):
    """The record of something done through the admin that is not a change to an entity of a
    resource (a job started or cancelled): who, what and when. Logged, not raised, if the
    database cannot store it."""
    try:
        with transaction.atomic():
            return ChangeRecord.objects.create(
                user=user,
                username=fit("username", user.get_username()),
                action=action,
                object_type=object_type,
                object_id=fit("object_id", str(object_id)),
                object_label=fit("object_label", label),
                product_id="",
            )
    except DatabaseError:
        logger.exception(
            "The activity log could not record: %s %s %s", action, object_type, object_id
        )
        return None

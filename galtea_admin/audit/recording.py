"""Writing change records: called right after Galtea confirmed a change."""

from __future__ import annotations

from collections.abc import Mapping

from galtea_admin.audit.models import Action, ChangeRecord


def diff(before: Mapping[str, object], after: Mapping[str, object]) -> dict[str, list]:
    """{"field": [before, after]} for each field whose value differs."""
    return {
        name: [before.get(name), after.get(name)]
        for name in before
        if before.get(name) != after.get(name)
    }


def record_change(
    user, action: Action, *, resource, record, changes: Mapping[str, list], product_name=""
) -> ChangeRecord:
    return ChangeRecord.objects.create(
        user=user,
        username=user.get_username(),
        action=action,
        object_type=resource.key,
        object_id=record.id,
        object_label=resource.label(record),
        product_id=record.product_id,
        product_name=product_name,
        changes=dict(changes),
    )


def record_create(user, *, resource, record, product_name: str = "", secrets=None) -> ChangeRecord:
    """`secrets`: write-only field → what happened to it ("set"), recorded without a value."""
    values = resource.spec.updatable_values(record)
    changes = {name: [None, value] for name, value in values.items()}
    changes.update({name: [None, event] for name, event in (secrets or {}).items()})
    return record_change(
        user,
        Action.CREATE,
        resource=resource,
        record=record,
        changes=changes,
        product_name=product_name,
    )


def record_update(
    user, *, resource, before, after, product_name: str = "", secrets=None
) -> ChangeRecord:
    """`secrets`: write-only field → "replaced" or "removed", recorded without a value."""
    changes = diff(resource.spec.updatable_values(before), resource.spec.updatable_values(after))
    changes.update({name: [None, event] for name, event in (secrets or {}).items()})
    return record_change(
        user,
        Action.UPDATE,
        resource=resource,
        record=after,
        changes=changes,
        product_name=product_name,
    )


def record_delete(user, *, resource, record, product_name: str = "") -> ChangeRecord:
    values = resource.spec.updatable_values(record)
    changes = {name: [value, None] for name, value in values.items()}
    return record_change(
        user,
        Action.DELETE,
        resource=resource,
        record=record,
        changes=changes,
        product_name=product_name,
    )

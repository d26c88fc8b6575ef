"""What became of a change whose answer was lost: asking Galtea, now or later.

When Galtea may have received a create, edit or delete but its answer was lost, editing.py
asks at once (the find_* functions here). When Galtea cannot be asked either, the change is
recorded as unconfirmed and a task asks again later, less and less often, until Galtea
answers; the record then says done (with what Galtea holds) or not done. The activity page
can ask at once too ("Check now").
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from galtea_admin.audit import recording
from galtea_admin.audit.models import Action, ChangeRecord, Outcome
from galtea_admin.galtea.errors import GalteaError, GalteaNotFound
from galtea_admin.galtea.resources import resource_get, resource_list
from galtea_admin.lists.models import CreateSubmission
from galtea_admin.lists.registry import site

logger = logging.getLogger(__name__)

# Seconds before each new attempt, then the last one again and again.
RETRY_AFTER_SECONDS = (5, 30, 120, 600)
# An unconfirmed change older than this is left for a person to check.
GIVE_UP_AFTER = timedelta(days=2)


# --- Asking Galtea (each raises GalteaError when Galtea cannot be asked) ---------------------


def find_created(resource, values: dict):
    """The entity with this name in this product, or None (names are unique)."""
    name = values[resource.label_field]
    query = resource.spec.query(product_ids=[values["product_id"]], names=[name])
    found = resource_list(resource.spec, query=query, limit=1)
    return found[0] if found else None


def find_applied(resource, entity_id: str, changes: dict):
    """The entity, if it now holds every requested change, else None."""
    current = resource_get(resource.spec, entity_id=entity_id)
    return None if unapplied(resource, current, changes) else current


def unapplied(resource, record, changes: dict) -> dict:
    """The changes `record` does not hold (a secret cannot be read back: whether one is set
    stands for it)."""
    missing = {}
    for name, value in changes.items():
        if name in resource.spec.write_only:
            held = getattr(record, f"has_{name}", bool(value)) == bool(value)
        else:
            held = getattr(record, name) == value
        if not held:
            missing[name] = value
    return missing


def is_gone(resource, entity_id: str) -> bool:
    """Whether the entity no longer exists."""
    try:
        resource_get(resource.spec, entity_id=entity_id)
    except GalteaNotFound:
        return True
    return False


# --- Settling an unconfirmed change ------------------------------------------------------


def settle(change: ChangeRecord) -> str:
    """Ask Galtea what became of `change` and record it: its new outcome. Raises GalteaError
    when Galtea still cannot be asked (the change stays unconfirmed)."""
    resource = site.get(change.object_type)
    after = {name: pair[1] for name, pair in change.changes.items()}
    submission = None
    if change.action == Action.CREATE:
        submission = CreateSubmission.objects.filter(unconfirmed_change=change).first()
        found = find_created(resource, {**after, "product_id": change.product_id})
        if found is not None:
            change.object_id = found.id
            change.object_label = recording.fit("object_label", resource.label(found))
            values = recording.recorded_values(resource, found)
            change.changes = {
                **{name: [None, value] for name, value in values.items()},
                **{name: pair for name, pair in change.changes.items() if name not in values},
            }
        done = found is not None
        if submission is not None:
            if done:
                submission.entity_id = found.id
                submission.unconfirmed_change = None
                submission.save(update_fields=["entity_id", "unconfirmed_change"])
            else:
                submission.delete()  # the form may be sent again
    elif change.action == Action.UPDATE:
        requested = {
            name: (value not in ("removed", None)) if name in resource.spec.write_only else value
            for name, value in after.items()
        }
        try:
            done = find_applied(resource, change.object_id, requested) is not None
        except GalteaNotFound:
            done = False
    else:
        done = is_gone(resource, change.object_id)
    change.outcome = Outcome.DONE if done else Outcome.NOT_DONE
    change.settled_at = timezone.now()
    change.save(update_fields=["object_id", "object_label", "changes", "outcome", "settled_at"])
    return change.outcome


def settle_later(change: ChangeRecord | None) -> None:
    """Have a worker settle `change` (nothing when it could not be recorded)."""
    if change is not None:
        enqueue(change.pk, attempt=0)


def enqueue(change_id: int, *, attempt: int) -> None:
    try:
        if attempt == 0:
            settle_change.enqueue(change_id, attempt)
            return
        if not settle_change.get_backend().supports_defer:
            return  # a backend that cannot wait: "Check now" on the activity page settles it
        seconds = RETRY_AFTER_SECONDS[min(attempt, len(RETRY_AFTER_SECONDS)) - 1]
        run_after = timezone.now() + timedelta(seconds=seconds)
        settle_change.using(run_after=run_after).enqueue(change_id, attempt)
    except Exception:  # the change is recorded; it is only not asked about automatically
        logger.exception("Could not queue the settling of unconfirmed change %s", change_id)


@task()
def settle_change(change_id: int, attempt: int = 0) -> str:
    """A worker's attempt at settling one unconfirmed change; asks again later if needed."""
    change = ChangeRecord.objects.filter(pk=change_id, outcome=Outcome.UNCONFIRMED).first()
    if change is None:
        return "settled already"
    try:
        return settle(change)
    except GalteaError as error:
        if timezone.now() - change.created_at < GIVE_UP_AFTER:
            enqueue(change_id, attempt=attempt + 1)
        return f"Galtea could not be asked ({error.title}); asked again later"

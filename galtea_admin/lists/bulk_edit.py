"""Bulk edit: the same values set on many entities of one resource, as a background job.

A resource declares the fields people may set on many at once (`bulk_edit_fields` on its
registration). The form offers each with "Leave as is", and cleans a value as the resource's
own form does (a language code normalised, a voice among those offered). The job (kind
"bulk_edit", jobs app) reads the selected entities (or first finds every row matching a
list's filters: lists/all_matching.py), sends a PATCH of just the fields that
differ to those that need one, and records each change in the activity log as the person
who started the job. It works for any registered resource by that declaration alone.
"""

from __future__ import annotations

import copy
import dataclasses

from django import forms

from galtea_admin.audit import recording
from galtea_admin.jobs import kinds
from galtea_admin.jobs.kinds import DONE, FAILED, SKIPPED, Outcome, Work
from galtea_admin.jobs.services import job_start
from galtea_admin.lists import all_matching, bulk, settling
from galtea_admin.lists.job_kinds import AllMatchingJobKind
from galtea_admin.lists.registry import EMPTY
from galtea_admin.lists.resource_forms import in_sentence

KIND = "bulk_edit"
# The choice that changes nothing (not a value any field takes: ids have no parentheses).
LEAVE = "(leave)"
LEAVE_LABEL = "Leave as is"
GONE = "It no longer exists (deleted meanwhile?)."


class BulkEditForm(forms.Form):
    """One field per bulk-editable field of the resource (that the API has), each left as
    is unless a value is chosen; `changes` holds the chosen ones once valid."""

    every_field_optional = True  # no "(optional)" marks: every field is

    def __init__(self, data=None, *, resource, products, absent_fields, form_kwargs):
        super().__init__(data)
        self.resource = resource
        # The resource's own form: its fields and their cleaning, never rendered here.
        self.own = resource.form_class(
            None, products=products, editing=True, absent_fields=absent_fields, **form_kwargs
        )
        self.editable = [name for name in resource.bulk_edit_fields if name in self.own.fields]
        for name in self.editable:
            own = self.own.fields[name]
            if isinstance(own, forms.ChoiceField):
                self.fields[name] = forms.ChoiceField(
                    label=own.label,
                    choices=[(LEAVE, LEAVE_LABEL), *own.choices],
                    required=False,
                    initial=LEAVE,
                    widget=copy.deepcopy(own.widget),
                    help_text=own.help_text,
                )
                continue
            field = copy.deepcopy(own)
            field.required = False
            field.help_text = f"{own.help_text} Leave it empty to leave it as is.".strip()
            self.fields[name] = field
            if not own.required:
                self.fields[f"clear_{name}"] = forms.BooleanField(
                    label=f"Clear the {in_sentence(own.label)}", required=False
                )
        self.changes: dict[str, object] = {}

    @property
    def has_fields(self) -> bool:
        return bool(self.editable)

    def clean(self):
        data = super().clean()
        changes = {}
        for name in self.editable:
            raw = data.get(name)
            if isinstance(self.own.fields[name], forms.ChoiceField):
                if raw in (None, LEAVE):
                    continue
            elif data.get(f"clear_{name}"):
                if raw:
                    self.add_error(name, "Type a value or clear it, not both.")
                else:
                    changes[name] = None
                continue
            elif raw in (None, ""):
                continue
            try:
                changes[name] = self.own.clean_one(name, raw)
            except forms.ValidationError as problem:
                self.add_error(name, problem)
        if not changes and not self.errors:
            raise forms.ValidationError("Choose a value to set: every field is left as is.")
        self.changes = changes
        return data


def describe_changes(resource, changes: dict, count: int) -> str:
    """ "Set “Agent speaks first” to Yes on 37 phone connections"."""
    noun = resource.noun if count == 1 else resource.noun_plural
    return f"{changes_text(resource, changes)} on {count} {noun}"


def describe_changes_matching(resource, changes: dict, matching: all_matching.Matching) -> str:
    """ "Set “Agent speaks first” to Yes on every phone connection matching Name contains: x"."""
    return f"{changes_text(resource, changes)} on {matching.rows_text}"


def changes_text(resource, changes: dict) -> str:
    """ "Set “Agent speaks first” to Yes, clear “Language”"."""
    describe = resource.value_describer()
    parts = []
    for name, value in changes.items():
        label = resource.field_labels.get(name, name)
        shown = ("Yes" if value else "No") if isinstance(value, bool) else describe(name, value)
        parts.append(f"clear “{label}”" if shown == EMPTY else f"set “{label}” to {shown}")
    said = ", ".join(parts)
    return f"{said[:1].upper()}{said[1:]}"


def bulk_edit_start(user, *, resource, ids: list[str], changes: dict):
    """Start the job that sets `changes` on the entities `ids`; returns the job."""
    return job_start(
        user=user,
        kind=KIND,
        description=describe_changes(resource, changes, len(ids)),
        params={"resource": resource.key, "changes": changes},
        keys=ids,
    )


def bulk_edit_matching_start(user, *, resource, matching: all_matching.Matching, changes: dict):
    """Start the job that sets `changes` on every row `matching` finds (counted by the job,
    which reads the matching ids first)."""
    return job_start(
        user=user,
        kind=KIND,
        description=describe_changes_matching(resource, changes, matching),
        params={"resource": resource.key, "changes": changes, "query": matching.query},
        keys=None,
    )


@dataclasses.dataclass(frozen=True)
class Change:
    """What `record` is to get, and what recording it needs."""

    before: object
    changes: dict
    product_name: str


@kinds.register
class BulkEdit(AllMatchingJobKind):
    name = KIND
    outcome_words = {DONE: "changed", SKIPPED: "already as asked", FAILED: "failed"}
    no_longer = "This admin no longer edits these in bulk."

    def offered_by(self, resource) -> bool:
        return resource.offers_bulk_edit

    def load(self, job, keys):
        resource, changes = self.resource(job), job.params["changes"]
        lookup = bulk.look_up(resource, keys)
        self.warm(resource)
        products = self.product_names()
        steps: dict[str, Work | Outcome] = {
            key: Outcome(FAILED, message=GONE) for key in lookup.missing
        }
        for record in lookup.found:
            label = resource.selection_label(record)
            needed = settling.unapplied(resource, record, changes)
            if not needed:
                steps[record.id] = Outcome(SKIPPED, label, "It had these values already.")
                continue
            before = {name: getattr(record, name) for name in needed}
            change = Change(record, needed, products.get(record.product_id, ""))
            steps[record.id] = Work(label, data={"before": before}, payload=change)
        return steps

    def perform(self, job, work):
        resource, change = self.resource(job), work.payload
        after = self.send_update(resource, work, change.before.id, change.changes)
        if isinstance(after, Outcome):
            return after
        return Outcome(DONE, work.label, payload=(change, after))

    def check(self, job, items):
        resource, changes = self.resource(job), job.params["changes"]
        lookup = bulk.look_up(resource, [item.key for item in items])
        self.warm(resource)
        products = self.product_names()
        verdicts: dict[str, Outcome | None] = {
            key: Outcome(FAILED, message=GONE) for key in lookup.missing
        }
        by_key = {item.key: item for item in items}
        for record in lookup.found:
            before = by_key[record.id].data.get("before", {})
            sent = {name: changes[name] for name in before if name in changes}
            if not sent or settling.unapplied(resource, record, sent):
                verdicts[record.id] = None  # it did not arrive: send it again
                continue
            change = Change(
                dataclasses.replace(record, **before), sent, products.get(record.product_id, "")
            )
            verdicts[record.id] = Outcome(
                DONE, resource.selection_label(record), payload=(change, record)
            )
        return verdicts

    def record(self, job, item, outcome):
        change, after = outcome.payload
        recording.record_update(
            job.started_by,
            resource=self.resource(job),
            before=change.before,
            after=after,
            fields=change.changes,
            product_name=change.product_name,
        )

    def item_url(self, job, item):
        if item.status == FAILED and item.message == GONE:
            return None
        return self.entity_url(job, item.key)

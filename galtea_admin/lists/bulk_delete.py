"""Bulk delete as a background job: every row matching a list's filters ("all matching";
Managers). The job finds the matching ids first (lists/all_matching.py), then deletes them
through the batch route where the resource has one (100 ids a call, lists/bulk.py), else
one by one, `GALTEA_JOB_CONCURRENCY` at a time. Each deletion is recorded in the activity
log as the person who started the job. It works for any registered resource that offers
bulk delete, by that declaration alone.
"""

from __future__ import annotations

import dataclasses
from types import SimpleNamespace

from galtea_admin.audit import recording
from galtea_admin.galtea import contract
from galtea_admin.galtea.errors import GalteaError, GalteaNotFound
from galtea_admin.galtea.resources import resource_absent_fields, resource_delete
from galtea_admin.jobs import kinds
from galtea_admin.jobs.kinds import DONE, FAILED, SKIPPED, Outcome, Work
from galtea_admin.jobs.services import job_start
from galtea_admin.lists import all_matching, bulk, editing
from galtea_admin.lists.job_kinds import AllMatchingJobKind

KIND = "bulk_delete"
GONE = "Someone had deleted it already."


def bulk_delete_matching_start(user, *, resource, matching: all_matching.Matching):
    """Start the job that deletes every row `matching` finds (counted by the job)."""
    return job_start(
        user=user,
        kind=KIND,
        description=f"Delete {matching.rows_text}",
        params={"resource": resource.key, "query": matching.query},
        keys=None,
    )


@dataclasses.dataclass(frozen=True)
class Deletion:
    """What the activity log needs of a deleted entity."""

    record: object
    product_name: str


def snapshot(resource, record) -> dict:
    """What an item keeps of its entity before it is deleted (JSON): enough to record the
    deletion if a later run finds it gone."""
    return {
        "id": record.id,
        "product_id": record.product_id,
        resource.label_field: resource.label(record),
        **resource.spec.updatable_values(record, resource_absent_fields(resource.spec)),
    }


@kinds.register
class BulkDelete(AllMatchingJobKind):
    name = KIND
    batch_size = contract.MAX_IDS_PER_BATCH_DELETE
    outcome_words = {DONE: "deleted", SKIPPED: "already gone", FAILED: "failed"}
    no_longer = "This admin no longer deletes these in bulk."

    def __init__(self):
        # Jobs (id, run) whose resource turned out to have no batch route here.
        self.one_by_one: set[tuple[int, int]] = set()

    def offered_by(self, resource) -> bool:
        return resource.offers("bulk")

    def items_per_request(self, job) -> int:
        batched = self.resource(job).spec.batch_delete
        if not batched or (job.pk, job.attempt) in self.one_by_one:
            return 1
        return contract.MAX_IDS_PER_BATCH_DELETE

    def load(self, job, keys):
        resource = self.resource(job)
        lookup = bulk.look_up(resource, keys)
        names = self.product_names()
        steps: dict[str, Work | Outcome] = {
            key: Outcome(SKIPPED, message=GONE) for key in lookup.missing
        }
        for record in lookup.found:
            name = names.get(record.product_id, "")
            steps[record.id] = Work(
                resource.selection_label(record),
                data={"record": snapshot(resource, record), "product_name": name},
                payload=Deletion(record, name),
            )
        return steps

    def perform(self, job, work):
        resource, record = self.resource(job), work.payload.record
        try:
            resource_delete(resource.spec, entity_id=record.id)
        except GalteaNotFound:
            return Outcome(SKIPPED, work.label, GONE)
        except editing.LOST_ANSWER as error:
            if not error.may_have_arrived:
                raise
            try:
                still_there = bool(bulk.look_up(resource, [record.id]).found)
            except GalteaError:
                raise error from None
            if still_there:
                raise
        return Outcome(DONE, work.label, payload=work.payload)

    def perform_many(self, job, works):
        if self.items_per_request(job) == 1:
            return [self.perform(job, work) for work in works]
        resource = self.resource(job)
        done = bulk.delete_batch(resource, [work.payload.record for work in works])
        outcomes: dict[str, Outcome | None] = {}
        for record in done.deleted:
            outcomes[record.id] = Outcome(DONE)
        for record in done.gone:
            outcomes[record.id] = Outcome(SKIPPED, message=GONE)
        for record, error in done.failed:
            outcomes[record.id] = Outcome(FAILED, message=f"{error.title}: {error.message}")
        if done.not_sent:
            self.one_by_one.add((job.pk, job.attempt))  # left to do, one by one
        result = []
        for work in works:
            outcome = outcomes.get(work.payload.record.id)
            if outcome is not None:
                outcome.label, outcome.payload = work.label, work.payload
            result.append(outcome)
        return result

    def check(self, job, items):
        """Those under way that are gone were deleted; those still there are sent again."""
        resource = self.resource(job)
        lookup = bulk.look_up(resource, [item.key for item in items])
        verdicts: dict[str, Outcome | None] = {record.id: None for record in lookup.found}
        blank = {name: None for name in resource.spec.updatable}
        for item in items:
            if item.key in lookup.missing:
                kept = {
                    **blank,
                    "id": item.key,
                    "product_id": "",
                    resource.label_field: item.label,
                    **item.data.get("record", {}),
                }
                deletion = Deletion(SimpleNamespace(**kept), item.data.get("product_name", ""))
                verdicts[item.key] = Outcome(DONE, item.label, payload=deletion)
        return verdicts

    def record(self, job, item, outcome):
        recording.record_delete(
            job.started_by,
            resource=self.resource(job),
            record=outcome.payload.record,
            product_name=outcome.payload.product_name,
        )

"""Kinds of job: what a job of each kind does to its items, registered by name.

The jobs app knows no resource: a kind is declared where its work belongs (bulk edit in the
resource pages' layer, say) and registered here with `@register`. The engine
(jobs/running.py) calls `load`, `perform` (`perform_many`) and `check` on its pool's
threads, where they may ask Galtea but never touch the database, and `record` on the job's
own thread, inside the transaction that stores the item's outcome, where it may write the
database but never ask Galtea. `collect` (a job started without its items) is read on the
job's own thread, between signs of life; it asks Galtea and touches no database either.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from galtea_admin.jobs.models import JobItem

DONE, SKIPPED, FAILED = JobItem.Status.DONE, JobItem.Status.SKIPPED, JobItem.Status.FAILED


@dataclass
class Work:
    """An item to send. `data` is stored with the item before it goes (JSON: what a run
    that takes over needs to check whether it arrived); `payload` stays in memory."""

    label: str
    data: dict = field(default_factory=dict)
    payload: Any = None


@dataclass
class Outcome:
    """How an item ended: DONE, SKIPPED (nothing to do) or FAILED, and why. `payload` is
    what `record` needs of it (the entity before and after, say); `data` replaces what the
    item keeps (JSON), for its report."""

    status: str
    label: str = ""
    message: str = ""
    payload: Any = None
    # Stored with the item's outcome (JSON) when given, e.g. the id of what it created.
    data: dict | None = None


class JobRefused(Exception):
    """The job cannot run at all; the message says why, to the person who started it."""


class JobKind:
    name: str
    # How many items `load` and `check` get at once.
    batch_size = 100
    # How the job's page and result name each outcome.
    outcome_words = {DONE: "done", SKIPPED: "nothing to do", FAILED: "failed"}

    def load(self, job, keys: list[str]) -> dict[str, Work | Outcome]:
        """What to do for each of `keys`: the Work to send, or its Outcome already (nothing
        to do, gone). A key left out fails as unknown."""
        raise NotImplementedError

    def load_items(self, job, items: list[JobItem]) -> dict[str, Work | Outcome]:
        """`load` for a batch of items, by key; a kind whose items carry what it needs (an
        import's rows, stored with the job) reads their `data` here instead."""
        return self.load(job, [item.key for item in items])

    def collect(self, job) -> Iterable[str]:
        """The keys of the job's items, for a job started without them (its `total` not
        known yet: "every row matching these filters"), found through Galtea in pages. The
        engine stores them all at once, then goes on as with any job; a GalteaError stops
        the job before anything is done."""
        raise JobRefused("This job was started without its rows, and cannot find them.")

    def items_per_request(self, job) -> int:
        """How many items one request carries (a batch route: `perform_many` sends them)."""
        return 1

    def perform(self, job, work: Work) -> Outcome:
        """Send one item; a GalteaError it raises fails that item (or stops the job)."""
        raise NotImplementedError

    def perform_many(self, job, works: list[Work]) -> list[Outcome | None]:
        """Send up to `items_per_request` items at once: an Outcome for each, in order, or
        None for one that was not sent (it stays to do). A GalteaError it raises fails them
        all (or stops the job)."""
        return [self.perform(job, work) for work in works]

    def check(self, job, items: list[JobItem]) -> dict[str, Outcome | None]:
        """Items that were on their way when an earlier run stopped, by key: the Outcome if
        Galtea has applied them, None if they are to be sent again."""
        raise NotImplementedError

    def record(self, job, item: JobItem, outcome: Outcome) -> None:
        """Keep what a DONE item did (the activity log), in the item's own transaction."""

    def item_url(self, job, item: JobItem) -> str | None:
        """The page of what the item is about, for the job's report (None: no page)."""
        return None

    def item_outcome(self, job, item: JobItem) -> str | None:
        """How the report names this item's outcome when the kind says more than its
        status does ("created", "updated"); None: the `outcome_words`."""
        return None

    def report_columns(self, job) -> list[tuple[str, str]]:
        """(name, heading) of the columns the report's file (CSV) has after the shared ones,
        valued by `report_values`."""
        return []

    def report_values(self, job, item: JobItem) -> dict[str, object]:
        """The item's value of each of `report_columns`."""
        return {}


class UnknownKind(LookupError):
    pass


_kinds: dict[str, JobKind] = {}


def register(kind_class: type[JobKind]) -> type[JobKind]:
    kind = kind_class()
    if kind.name in _kinds:
        raise ValueError(f"the job kind {kind.name} is registered already")
    _kinds[kind.name] = kind
    return kind_class


def get(name: str) -> JobKind:
    try:
        return _kinds[name]
    except KeyError:
        raise UnknownKind(name) from None

"""Kinds of job: what a job of each kind does to its items, registered by name.

The jobs app knows no resource: a kind is declared where its work belongs (bulk edit in the
resource pages' layer, say) and registered here with `@register`. The engine
(jobs/running.py) calls `load`, `perform` and `check` on its pool's threads, where they may
ask Galtea but never touch the database, and `record` on the job's own thread, inside the
transaction that stores the item's outcome, where it may write the database but never ask
Galtea.
"""

from __future__ import annotations

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
    what `record` needs of it (the entity before and after, say)."""

    status: str
    label: str = ""
    message: str = ""
    payload: Any = None


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

    def perform(self, job, work: Work) -> Outcome:
        """Send one item; a GalteaError it raises fails that item (or stops the job)."""
        raise NotImplementedError

    def check(self, job, items: list[JobItem]) -> dict[str, Outcome | None]:
        """Items that were on their way when an earlier run stopped, by key: the Outcome if
        Galtea has applied them, None if they are to be sent again."""
        raise NotImplementedError

    def record(self, job, item: JobItem, outcome: Outcome) -> None:
        """Keep what a DONE item did (the activity log), in the item's own transaction."""

    def item_url(self, job, item: JobItem) -> str | None:
        """The page of what the item is about, for the job's report (None: no page)."""
        return None


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

"""A worker's part in a job: claim it, go through its items, write down every outcome.

The job's own thread does all the bookkeeping (the database, one item's outcome per
transaction, so a worker that dies loses nothing done); a small pool sends the requests to
Galtea, GALTEA_JOB_CONCURRENCY at a time. Before an item is sent it is marked "under way"
with what a later run needs to check it, so that after a crash no item is done twice: a
resumed run first asks whether those arrived (`JobKind.check`), then goes on with the items
not tried.

A job started without its items ("every row matching these filters") first finds them
(`JobKind.collect`, through Galtea in pages) and stores them all at once with its total;
then it goes on as any job.

Between items the run looks whether someone asked to cancel, and stops sending when they
did. A 429 (or a refused API key) stops the job: nothing more would get through; so does a
batch of items that cannot be read at all, and an outage: OUTAGE_REQUESTS requests in a row
that find Galtea unreachable, silent or down. Their items are not failed: those that cannot
have arrived go back to the items to do, the others stay under way, to be checked on Resume.
A single such request fails only its items, as every other failure does.

A run gives signs of life (`heartbeat_at`) every JOB_STALE_SECONDS / 4; a job without one
for JOB_STALE_SECONDS is taken for interrupted (jobs/services.py). Every write of a run is
conditional on the job still being this run's (`attempt`), so a run given up on writes
nothing more.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.db.models.functions import Coalesce
from django.utils import timezone

from galtea_admin.galtea.errors import (
    GalteaError,
    GalteaRateLimited,
    GalteaServerError,
    GalteaTimeout,
    GalteaUnauthorized,
    GalteaUnavailable,
)
from galtea_admin.jobs import kinds, services
from galtea_admin.jobs.kinds import FAILED, JobRefused, Outcome, Work
from galtea_admin.jobs.models import Job, JobItem

logger = logging.getLogger(__name__)

RUNNING = Job.Status.RUNNING
PENDING, SENDING = JobItem.Status.PENDING, JobItem.Status.SENDING
# Failures after which nothing more would get through: the job stops, saying this.
STOPPING_ERRORS: dict[type[GalteaError], str] = {
    GalteaRateLimited: "Galtea is rate limiting",
    GalteaUnauthorized: "Galtea refused the admin's API key",
}
STOPS = tuple(STOPPING_ERRORS)
# Requests failing in a row because Galtea is down after which the job stops: one dropped
# connection fails its row only.
OUTAGE_REQUESTS = 3
# The gateway's answers when Galtea itself is not there.
OUTAGE_STATUSES = frozenset({502, 503, 504})
# When the worker is told to stop, how long the requests under way are waited for.
UNDER_WAY_GRACE_SECONDS = 5.0


class Superseded(Exception):
    """This run no longer owns the job (it was taken for interrupted, or resumed)."""


def run(job_id: int) -> str:
    """Run the job if it is queued; returns the status it ended with."""
    services.jobs_sweep()
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=RUNNING,
        attempt=F("attempt") + 1,
        started_at=Coalesce(F("started_at"), now),
        heartbeat_at=now,
        finished_at=None,
    )
    if not claimed:
        return "not queued"
    job = Job.objects.select_related("started_by").get(pk=job_id)
    try:
        kind = kinds.get(job.kind)
    except kinds.UnknownKind:
        services.job_end(job, Job.Status.FAILED, f"This admin has no job of the kind {job.kind}.")
        return Job.Status.FAILED
    JobRun(job, kind).run()
    return Job.objects.values_list("status", flat=True).get(pk=job_id)


def error_text(error: GalteaError) -> str:
    return f"{error.title}: {error.message}"


def is_outage(error: GalteaError) -> bool:
    """Whether the error says Galtea is down rather than that this item went wrong."""
    if isinstance(error, GalteaUnavailable | GalteaTimeout):
        return True
    return isinstance(error, GalteaServerError) and error.upstream_status in OUTAGE_STATUSES


class JobRun:
    def __init__(self, job: Job, kind: kinds.JobKind):
        self.job = job
        self.kind = kind
        self.attempt = job.attempt
        self.concurrency = settings.GALTEA_JOB_CONCURRENCY
        self.beat_every = max(0.5, settings.JOB_STALE_SECONDS / 4)
        self.last_beat = time.monotonic()
        self.stop_reason: str | None = None
        # Each request on its way: the items it carries (one, or a batch's).
        self.in_flight: dict[Future, list[tuple[JobItem, Work]]] = {}
        # The latest requests that found Galtea down, in a row, with their errors: failed
        # once Galtea answers again, given back for Resume if the outage goes on.
        self.held: list[tuple[list[tuple[JobItem, Work]], GalteaError]] = []
        self.pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix=f"job-{job.pk}")

    # --- the run
    def run(self) -> None:
        try:
            if self.job.total is None:
                self.collect()
            self.check_under_way()
            while not self.stopping():
                batch = list(
                    self.job.items.filter(status=PENDING).order_by("position")[
                        : self.kind.batch_size
                    ]
                )
                if not batch:
                    break
                self.run_batch(batch)
            self.release_held()
            self.finish()
        except Superseded:
            logger.warning("Job %s: run %s was given up on; it stops", self.job.pk, self.attempt)
        except JobRefused as refusal:
            self.end(Job.Status.FAILED, str(refusal))
        except BaseException as error:
            # The worker is being stopped (SystemExit, KeyboardInterrupt), or a bug.
            self.stop_under_way(error)
            raise
        finally:
            self.pool.shutdown(wait=False, cancel_futures=True)

    def run_batch(self, batch: list[JobItem]) -> None:
        try:
            steps = self.call(self.kind.load_items, self.job, batch)
        except STOPS as error:
            self.stop(error)
            return
        except GalteaError as error:
            # Not one row's failure: none of them could be read. The rest waits for Resume.
            self.stop_reason = f"Galtea could not be asked for the rows ({error_text(error)})"
            return
        to_send = []
        for item in batch:
            step = steps.get(item.key) or Outcome(FAILED, message="It could not be found.")
            if isinstance(step, Outcome):
                self.record(item, step)
            else:
                to_send.append((item, step))
        self.send(to_send)

    def send(self, to_send: list[tuple[JobItem, Work]]) -> None:
        """Send the items (a request carries `items_per_request` of them), at most
        `concurrency` requests at once, stopping between requests."""
        size = max(1, self.kind.items_per_request(self.job))
        queue = deque(to_send[start : start + size] for start in range(0, len(to_send), size))
        finished: set[Future] = set()
        while queue or self.in_flight:
            # The outcomes just in and the items to send next are stored in one transaction
            # (one commit a row rather than two: on SQLite a commit costs milliseconds);
            # the items go only once they are stored as under way.
            going = []
            with transaction.atomic():
                for future in finished:
                    self.settle(future)
                while (
                    queue
                    and len(self.in_flight) + len(going) < self.concurrency
                    and not self.stopping()
                ):
                    group = [
                        (item, work)
                        for item, work in queue.popleft()
                        if self.mark_sending(item, work)
                    ]
                    if group:
                        going.append(group)
            for group in going:
                works = [work for _, work in group]
                future = self.pool.submit(self.kind.perform_many, self.job, works)
                self.in_flight[future] = group
            if not self.in_flight:
                return  # stopped (or all done): what is left stays not tried
            finished, _ = wait(list(self.in_flight), self.beat_every, FIRST_COMPLETED)
            self.beat()

    def settle(self, future: Future) -> None:
        group = self.in_flight.pop(future)
        try:
            outcomes = list(future.result())
        except STOPS as error:
            self.stop(error)
            for item, _ in group:
                self.unmark(item)  # refused: it did not arrive
            return
        except GalteaError as error:
            if is_outage(error):
                self.hold(group, error)
                return
            outcomes = [Outcome(FAILED, work.label, error_text(error)) for _, work in group]
        except JobRefused:
            raise
        except Exception:
            keys = ", ".join(item.key for item, _ in group)
            logger.exception("Job %s: item(s) %s failed unexpectedly", self.job.pk, keys)
            outcomes = [
                Outcome(FAILED, work.label, "An unexpected error: see the admin's log.")
                for _, work in group
            ]
        self.release_held()  # Galtea answered: what found it down before failed alone
        for (item, work), outcome in zip(group, outcomes, strict=True):
            if outcome is None:
                self.unmark(item)  # not sent: it stays to do
                continue
            outcome.label = outcome.label or work.label
            self.record(item, outcome)

    def hold(self, group: list[tuple[JobItem, Work]], error: GalteaError) -> None:
        """A request that found Galtea down: its items wait for the next answer, and
        OUTAGE_REQUESTS of them in a row (or one once the job is stopping) stop the job."""
        self.held.append((group, error))
        if len(self.held) >= OUTAGE_REQUESTS and not self.stop_reason:
            answered = f": it answered {error.upstream_status}" if error.upstream_status else ""
            self.stop_reason = f"Galtea stopped answering ({error.title}{answered})"
        if self.stop_reason:
            self.release_held()

    def release_held(self) -> None:
        """The held items fail with their error, or, when the job is stopping, are given
        back: to do again if they cannot have arrived, else under way, checked on Resume."""
        held, self.held = self.held, []
        for group, error in held:
            for item, work in group:
                if not self.stop_reason:
                    self.record(item, Outcome(FAILED, work.label, error_text(error)))
                elif not error.may_have_arrived:
                    self.unmark(item)

    def collect(self) -> None:
        """Find the items of a job started without them (`JobKind.collect`), then store them
        all at once with the total: a run that stops before then has stored none, and the
        next one finds them again. Stops on a cancel (read between pages of keys), a 429, or
        when Galtea cannot be asked."""
        keys: dict[str, None] = {}  # each once, in the order found
        found = iter(self.kind.collect(self.job))
        try:
            for key in found:
                keys[str(key)] = None
                if len(keys) % self.kind.batch_size == 0:
                    self.beat()
                    if self.stopping():
                        return
        except STOPS as error:
            self.stop(error)
            return
        except GalteaError as error:
            self.stop_reason = f"Galtea could not be asked for the rows to do ({error_text(error)})"
            return
        finally:
            close = getattr(found, "close", None)
            if close is not None:
                close()  # a generator left early lets go of what it holds
        uncounted = self.mine().filter(total__isnull=True)
        with transaction.atomic():
            if not uncounted.update(total=len(keys), heartbeat_at=timezone.now()):
                raise Superseded
            JobItem.objects.bulk_create(
                (JobItem(job=self.job, position=n, key=key) for n, key in enumerate(keys)),
                batch_size=500,
            )
        self.job.total = len(keys)
        self.last_beat = time.monotonic()

    def check_under_way(self) -> None:
        """Items an earlier run had sent when it stopped: done if Galtea applied them, else
        sent again. If Galtea cannot say, they stay under way and the job stops."""
        under_way = list(self.job.items.filter(status=SENDING).order_by("position"))
        for start in range(0, len(under_way), self.kind.batch_size):
            chunk = under_way[start : start + self.kind.batch_size]
            try:
                verdicts = self.call(self.kind.check, self.job, chunk)
            except GalteaError as error:
                self.stop_reason = (
                    f"Galtea could not say whether the rows under way when the worker stopped "
                    f"were changed ({error_text(error)})"
                )
                return
            for item in chunk:
                verdict = verdicts.get(item.key)
                if verdict is None:
                    JobItem.objects.filter(pk=item.pk, status=SENDING).update(status=PENDING)
                else:
                    verdict.label = verdict.label or item.label
                    self.record(item, verdict)

    def finish(self) -> None:
        job = Job.objects.get(pk=self.job.pk)
        if job.attempt != self.attempt or job.status != RUNNING:
            raise Superseded
        progress = services.progress_text(job)
        if job.total == 0 and not self.stop_reason:
            self.end(Job.Status.DONE, "No rows matched: there was nothing to do.")
        elif self.stop_reason:
            self.end(
                Job.Status.FAILED, f"{self.stop_reason}: {progress}.{services.under_way_note(job)}"
            )
        elif job.cancel_requested:
            self.end(Job.Status.CANCELLED, f"Cancelled by {job.cancelled_by_name}: {progress}.")
        else:
            self.end(Job.Status.DONE, f"{progress[:1].upper()}{progress[1:]}.")

    def stop_under_way(self, error: BaseException) -> None:
        """The run is ending early: record what comes back of the requests under way within
        a few seconds, then mark the job interrupted (a stopped worker) or failed."""
        try:
            finished, _ = wait(list(self.in_flight), UNDER_WAY_GRACE_SECONDS)
            for future in finished:
                self.settle(future)
            job = Job.objects.get(pk=self.job.pk)
            if isinstance(error, SystemExit | KeyboardInterrupt):
                self.end(Job.Status.INTERRUPTED, services.interrupted_text(job))
            else:
                logger.error("Job %s stopped on an unexpected error", self.job.pk, exc_info=error)
                text = services.progress_text(job)
                self.end(Job.Status.FAILED, f"An unexpected error stopped the job: {text}.")
        except Exception:
            logger.exception("Job %s: its end could not be recorded", self.job.pk)

    # --- the job's state
    def stopping(self) -> bool:
        """Whether to send no more: a stop, or a cancel asked for (read between items)."""
        if self.stop_reason:
            return True
        state = Job.objects.filter(pk=self.job.pk).values("status", "attempt", "cancel_requested")
        current = state.first()
        if current is None or current["attempt"] != self.attempt or current["status"] != RUNNING:
            raise Superseded
        return current["cancel_requested"]

    def stop(self, error: GalteaError) -> None:
        self.stop_reason = (
            self.stop_reason
            or STOPPING_ERRORS[next(kind for kind in STOPPING_ERRORS if isinstance(error, kind))]
        )

    def beat(self) -> None:
        if time.monotonic() - self.last_beat < self.beat_every:
            return
        if not self.mine().update(heartbeat_at=timezone.now()):
            raise Superseded
        self.last_beat = time.monotonic()

    def mine(self):
        return Job.objects.filter(pk=self.job.pk, attempt=self.attempt, status=RUNNING)

    def end(self, status: str, result: str) -> None:
        now = timezone.now()
        self.mine().update(status=status, result=result, finished_at=now, heartbeat_at=now)

    def call(self, function, *args):
        """`function(*args)` on the pool (it may wait long for Galtea), signs of life given
        meanwhile."""
        future = self.pool.submit(function, *args)
        while True:
            try:
                return future.result(timeout=self.beat_every)
            except TimeoutError:
                self.beat()

    # --- items
    def mark_sending(self, item: JobItem, work: Work) -> bool:
        """Mark the item under way (with what checking it needs); False when it is not
        pending any more (another run has it)."""
        marked = JobItem.objects.filter(pk=item.pk, status=PENDING).update(
            status=SENDING, attempt=self.attempt, label=fit_label(work.label), data=work.data
        )
        item.data = work.data
        return bool(marked)

    def unmark(self, item: JobItem) -> None:
        JobItem.objects.filter(pk=item.pk, status=SENDING, attempt=self.attempt).update(
            status=PENDING
        )

    def record(self, item: JobItem, outcome: Outcome) -> None:
        """The item's outcome, what the kind keeps of it and the job's counts, at once."""
        counter = {
            JobItem.Status.DONE: "done_count",
            JobItem.Status.SKIPPED: "skipped_count",
            JobItem.Status.FAILED: "failed_count",
        }[outcome.status]
        with transaction.atomic():
            if outcome.status == JobItem.Status.DONE:
                self.kind.record(self.job, item, outcome)
            kept = {} if outcome.data is None else {"data": outcome.data}
            JobItem.objects.filter(pk=item.pk).update(
                status=outcome.status,
                message=outcome.message,
                label=fit_label(outcome.label or item.label),
                **kept,
            )
            counted = self.mine().update(**{counter: F(counter) + 1}, heartbeat_at=timezone.now())
            if not counted:
                raise Superseded  # and nothing of this item is kept: its new run checks it
        self.last_beat = time.monotonic()


def fit_label(label: str) -> str:
    limit = JobItem._meta.get_field("label").max_length
    return label if len(label) <= limit else label[: limit - 1] + "…"

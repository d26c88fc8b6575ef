"""Jobs run by real workers (`manage.py db_worker` processes) beside a real admin process,
sharing a file database, against an emulator that takes 80 ms per answer.

A worker killed (SIGKILL) in the middle of a job loses nothing: the job is marked
interrupted with exactly what was done, Resume finishes it with another worker, and no row
is changed twice. A worker told to stop (twice, as Ctrl-C twice or `make demo`'s stop does)
marks its job interrupted at once.
"""

from __future__ import annotations

import signal
import time

import pytest

from tests.emulator_process import start_emulator
from tests.jobs.stack import (
    Stack,
    check_left_as_interrupted,
    check_resumed_with_no_row_done_twice,
    migrated_database,
    seeded_ids,
    with_language,
)

pytestmark = pytest.mark.django_db  # the test's own database is not the stack's

ROWS = 60


@pytest.fixture(scope="module")
def slow_emulator(tmp_path_factory):
    running = start_emulator(tmp_path_factory.mktemp("slow-emulator"), seed=200, latency_ms=80)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, slow_emulator):
    directory = tmp_path_factory.mktemp("stack")
    template = migrated_database(directory)
    running = Stack.create(
        directory, template, slow_emulator, GALTEA_JOB_CONCURRENCY=2, JOB_STALE_SECONDS=2
    )
    running.start_admin()
    running.add_user("eddie", "Editor")
    yield running
    running.stop()


@pytest.fixture(autouse=True)
def no_worker_left(stack):
    """Each test starts the workers it needs; none outlives it."""
    yield
    stack.stop_workers()


def test_a_worker_killed_mid_job_loses_nothing_and_no_row_is_done_twice(stack, slow_emulator):
    ids = seeded_ids(slow_emulator, 0, ROWS)
    session = stack.sign_in("eddie")
    slow_emulator.clear_request_log()
    job_id = stack.start_language_edit(session, ids)
    assert stack.job(job_id)["status"] == "queued"

    first = stack.start_worker()
    stack.wait_for(job_id, lambda job: job["done_count"] >= 15)
    first.kill()
    first.wait(timeout=10)

    check_left_as_interrupted(stack, session, job_id, slow_emulator, ids, at_least=15)
    check_resumed_with_no_row_done_twice(
        stack, session, job_id, slow_emulator, ids, start=stack.start_worker
    )
    page = stack.job_page(session, job_id)
    assert (page.state, len(page.report)) == ("Done", ROWS)


def test_a_worker_told_to_stop_twice_marks_its_job_interrupted_at_once(stack, slow_emulator):
    ids = seeded_ids(slow_emulator, ROWS, ROWS)
    session = stack.sign_in("eddie")
    job_id = stack.start_language_edit(session, ids)

    worker = stack.start_worker()
    stack.wait_for(job_id, lambda job: job["done_count"] >= 5)
    worker.send_signal(signal.SIGTERM)  # the worker means to finish its job first…
    name = f"worker-{len(stack.workers)}"
    deadline = time.monotonic() + 10
    while "shutting down gracefully" not in stack.log(name) and time.monotonic() < deadline:
        time.sleep(0.02)  # (two signals at once would be taken as one)
    worker.send_signal(signal.SIGTERM)  # …and the second says now
    worker.wait(timeout=20)

    job = stack.job(job_id)
    assert job["status"] == "interrupted", job
    done = stack.items(job_id, "done")
    assert done <= with_language(slow_emulator, ids) <= done | stack.items(job_id, "sending")
    assert job["result"].startswith(f"The worker running it stopped: {len(done)} changed")

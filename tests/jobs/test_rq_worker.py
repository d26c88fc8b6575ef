"""Jobs on the RQ backend: a real Redis (Debian's redis-server, started here), the admin and
real `manage.py rqworker` processes (settings.JOB_WORKER_ARGS) sharing a file database,
against an emulator that takes 80 ms per answer.

A bulk edit runs to done. A worker killed (SIGKILL, with the process rq forked to run the
job, as when its machine is gone) loses nothing: the job is marked interrupted with exactly
what was done, Resume finishes it with another worker, and no row is changed twice. A
worker told to stop twice has its job mark itself interrupted at once.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from tests.emulator_process import start_emulator
from tests.jobs.stack import (
    Stack,
    check_left_as_interrupted,
    check_resumed_with_no_row_done_twice,
    migrated_database,
    patches_per_row,
    run_manage,
    seeded_ids,
    with_language,
)
from tests.services import redis_server

pytestmark = pytest.mark.django_db  # the test's own database is not the stack's

ROWS = 40


@pytest.fixture(scope="module")
def slow_emulator(tmp_path_factory):
    running = start_emulator(tmp_path_factory.mktemp("rq-emulator"), seed=200, latency_ms=80)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, slow_emulator):
    with redis_server() as redis_url:
        directory = tmp_path_factory.mktemp("rq-stack")
        template = migrated_database(directory)
        running = Stack.create(
            directory,
            template,
            slow_emulator,
            JOBS_BACKEND="",  # chosen by REDIS_URL alone
            REDIS_URL=redis_url,
            GALTEA_JOB_CONCURRENCY=2,
            JOB_STALE_SECONDS=2,
        )
        running.start_admin()
        running.add_user("eddie", "Editor")
        yield running
        running.stop()


@pytest.fixture(autouse=True)
def no_worker_left(stack):
    yield
    stack.stop_workers()


def worker_args(stack) -> list[str]:
    """How bin/with-workers starts a worker with these settings."""
    code = (
        "from django.conf import settings; print(settings.JOBS_BACKEND, *settings.JOB_WORKER_ARGS)"
    )
    backend, *args = run_manage(["shell", "--verbosity", "0", "-c", code], stack.env).split()
    assert backend == "rq"
    return args


def start_rq_worker(stack):
    return stack.start_worker(worker_args(stack))


def children(pid: int) -> list[int]:
    """The processes `pid` started (rq's work horse, forked for a job)."""
    listed = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in listed.read_text().split()] if listed.exists() else []


def test_the_backend_follows_redis_url(stack):
    assert worker_args(stack)[:3] == ["rqworker", "--job-class", "django_tasks_rq.Job"]


def test_a_bulk_edit_runs_to_done_on_an_rq_worker(stack, slow_emulator):
    ids = seeded_ids(slow_emulator, 0, ROWS)[:10]
    session = stack.sign_in("eddie")
    slow_emulator.clear_request_log()
    job_id = stack.start_language_edit(session, ids)
    assert stack.job(job_id)["status"] == "queued"
    task_id = stack.query("SELECT task_id FROM jobs_job WHERE id = ?", job_id)[0][0]
    assert task_id and not stack.query("SELECT 1 FROM django_tasks_database_dbtaskresult")

    start_rq_worker(stack)
    finished = stack.wait_for(job_id, lambda job: job["status"] not in ("queued", "running"))

    assert finished["status"] == "done", finished
    assert finished["result"] == "10 changed."
    assert with_language(slow_emulator, ids) == set(ids)
    assert sorted(patches_per_row(slow_emulator, ids).values()) == [1] * 10
    page = stack.job_page(session, job_id)
    assert (page.state, len(page.report)) == ("Done", 10)


def test_a_killed_rq_worker_loses_nothing_and_no_row_is_done_twice(stack, slow_emulator):
    ids = seeded_ids(slow_emulator, ROWS, ROWS)
    session = stack.sign_in("eddie")
    slow_emulator.clear_request_log()
    job_id = stack.start_language_edit(session, ids)

    first = start_rq_worker(stack)
    stack.wait_for(job_id, lambda job: job["done_count"] >= 10)
    horses = children(first.pid)
    assert horses, "rq runs the job in a process of its own"
    for pid in [first.pid, *horses]:  # the machine is gone: both at once
        os.kill(pid, signal.SIGKILL)
    first.wait(timeout=10)

    check_left_as_interrupted(stack, session, job_id, slow_emulator, ids, at_least=10)
    check_resumed_with_no_row_done_twice(
        stack, session, job_id, slow_emulator, ids, start=lambda: start_rq_worker(stack)
    )


def test_an_rq_worker_told_to_stop_twice_has_its_job_marked_interrupted_at_once(
    stack, slow_emulator
):
    # Enough rows that the job outlasts the second between the two signals.
    ids = seeded_ids(slow_emulator, 2 * ROWS, 100)  # a selection holds at most 100
    session = stack.sign_in("eddie")
    job_id = stack.start_language_edit(session, ids)

    worker = start_rq_worker(stack)
    stack.wait_for(job_id, lambda job: job["done_count"] >= 5)
    worker.send_signal(signal.SIGTERM)  # rq finishes the job first…
    time.sleep(1.5)  # (rq takes two signals within a second for one)
    assert stack.job(job_id)["status"] == "running"
    worker.send_signal(signal.SIGTERM)  # …and the second says now
    worker.wait(timeout=20)

    job = stack.job(job_id)
    assert job["status"] == "interrupted", job
    done = stack.items(job_id, "done")
    assert done <= with_language(slow_emulator, ids) <= done | stack.items(job_id, "sending")
    assert job["result"].startswith(f"The worker running it stopped: {len(done)} changed")

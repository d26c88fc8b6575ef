"""An import run by a real worker (`manage.py db_worker`) beside a real admin process, on a
file database, against an emulator that takes 80 ms per answer: the worker killed (SIGKILL)
in the middle of the import, the job marked interrupted, Resume finishes it with another
worker, and no connection is created twice (a row on its way when the worker died is looked
up by its name before it is sent again)."""

from __future__ import annotations

import collections
import time
import uuid

import pytest

from tests.emulator_process import start_emulator
from tests.jobs.pages import JOB_PATH
from tests.jobs.stack import Stack, migrated_database
from tests.phone_connections.import_pages import HEADER, csv_bytes

pytestmark = pytest.mark.django_db  # the test's own database is not the stack's

ROWS = 60


@pytest.fixture(scope="module")
def slow_emulator(tmp_path_factory):
    running = start_emulator(tmp_path_factory.mktemp("import-emulator"), seed=20, latency_ms=80)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def stack(tmp_path_factory, slow_emulator):
    directory = tmp_path_factory.mktemp("import-stack")
    running = Stack.create(
        directory,
        migrated_database(directory),
        slow_emulator,
        GALTEA_JOB_CONCURRENCY=2,
        JOB_STALE_SECONDS=2,
    )
    running.start_admin()
    running.add_user("eddie", "Editor")
    yield running
    running.stop()


def start_import(stack, session, content: bytes) -> int:
    """Upload the file, then press "Import N rows" on its preview: the job's id."""
    token = session.cookies["csrftoken"]
    answer = session.post(
        stack.admin_url + "/phone-connections/import/",
        data={"csrfmiddlewaretoken": token},
        files={"file": ("lines.csv", content, "text/csv")},
        allow_redirects=False,
        timeout=60,
    )
    assert answer.status_code == 302, answer.text[:3000]
    preview = answer.headers["Location"]
    assert f"Import {ROWS} rows" in session.get(stack.admin_url + preview, timeout=30).text
    answer = stack.post(session, preview, {"existing": "skip"})
    assert answer.status_code == 302, answer.text[:3000]
    return int(JOB_PATH.fullmatch(answer.headers["Location"]).group(1))


def created_posts(emulator) -> collections.Counter:
    """How each POST to the connections was answered (status → count)."""
    return collections.Counter(
        r["status"]
        for r in emulator.requests_received()
        if r["method"] == "POST" and r["path"] == "/phoneConnections"
    )


def test_a_worker_killed_mid_import_creates_nothing_twice(stack, slow_emulator):
    marker = f"Killed import {uuid.uuid4().hex[:8]}"
    product = slow_emulator.get("/products").json()[0]
    rows = [HEADER] + [
        [f"{marker} {n:02d}", "+14155552671", product["name"], "no", "", ""] for n in range(ROWS)
    ]
    session = stack.sign_in("eddie")
    job_id = start_import(stack, session, csv_bytes(rows))
    slow_emulator.clear_request_log()

    first = stack.start_worker()
    stack.wait_for(job_id, lambda job: job["done_count"] >= 15)
    first.kill()
    first.wait(timeout=10)
    assert stack.job(job_id)["status"] == "running"  # as the dead worker left it
    time.sleep(2.5)  # JOB_STALE_SECONDS without a sign of life

    page = session.get(f"{stack.admin_url}/jobs/{job_id}/", timeout=10).text
    assert "Interrupted" in page
    done, under_way = stack.items(job_id, "done"), stack.items(job_id, "sending")
    assert len(done) >= 15 and len(under_way) <= 2
    assert stack.job(job_id)["result"].startswith(
        f"The worker running it stopped: {len(done)} imported"
    )

    assert stack.post(session, f"/jobs/{job_id}/resume/", {}).status_code == 302
    stack.start_worker()
    finished = stack.wait_for(job_id, lambda job: job["status"] not in ("queued", "running"))

    assert finished["status"] == "done", finished
    assert finished["result"] == f"{ROWS} imported."
    live = slow_emulator.get("/phoneConnections", params={"name": marker, "limit": 1000}).json()
    names = collections.Counter(row["name"] for row in live)
    assert sorted(names) == [f"{marker} {n:02d}" for n in range(ROWS)]
    assert set(names.values()) == {1}  # each name once
    assert created_posts(slow_emulator) == {201: ROWS}  # none sent twice, none refused
    recorded = stack.query(
        "SELECT object_id, COUNT(*) FROM audit_changerecord WHERE action = 'create' "
        "AND username = 'eddie' GROUP BY object_id"
    )
    assert {object_id for object_id, _ in recorded} == {row["id"] for row in live}
    assert {count for _, count in recorded} == {1}

"""The bulk-edit job against the emulator: only rows whose value changes are sent, a failing
row never stops the others, a 429 stops the job with a clear result, a cancel stops it
between rows, and a job whose worker vanished is marked interrupted and resumed with no row
done twice.

Jobs run inside the request that starts them (`jobs_run_at_once`), except where a test needs
one to wait for a worker (the database backend, and no worker).
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from galtea_admin.audit.models import ChangeRecord
from galtea_admin.jobs import services
from galtea_admin.jobs.models import Job, JobItem
from tests.faults.proxy import Fault, status
from tests.galtea.fake_upstream import RESET
from tests.jobs.pages import open_job, review, start, started_job_id
from tests.pages import change_row, fetch, writes

pytestmark = pytest.mark.django_db

PATCH = "PATCH"


def ids_of(rows) -> list[str]:
    return [row["id"] for row in rows]


def patched(emulator) -> list[str]:
    """The ids of the connections the emulator received a PATCH for, in order."""
    return [r["path"].rsplit("/", 1)[-1] for r in writes(emulator) if r["method"] == PATCH]


def speaks_first(emulator, rows) -> list[bool]:
    return [fetch(emulator, row["id"])["agentSpeaksFirst"] for row in rows]


def updates() -> list[ChangeRecord]:
    return list(ChangeRecord.objects.filter(action="update").order_by("object_id"))


class TestOnlyChangesAreSent:
    def test_only_the_rows_whose_value_changes_are_patched_and_recorded(
        self, editor_client, api, five_rows, jobs_run_at_once
    ):
        ids = ids_of(five_rows)
        confirmation = review(editor_client, ids, agent_speaks_first="true")
        assert confirmation.h1 == "Set “Agent speaks first” to Yes on 5 phone connections?"
        assert "3 of the 5 will change" in confirmation.main_text
        api.clear_request_log()

        job_id = started_job_id(start(editor_client, ids, agent_speaks_first="true"))

        assert sorted(patched(api)) == sorted([ids[0], ids[2], ids[4]])
        assert speaks_first(api, five_rows) == [True] * 5
        page = open_job(editor_client, job_id)
        assert page.state == "Done"
        assert page.result == "3 changed, 2 already as asked."
        assert not page.polls
        assert 'http-equiv="refresh"' not in page.html
        outcomes = [outcome for _, outcome, _ in page.report]
        assert outcomes == ["changed", "already as asked"] * 2 + ["changed"]
        recorded = updates()
        assert sorted(r.object_id for r in recorded) == sorted([ids[0], ids[2], ids[4]])
        assert {r.username for r in recorded} == {"eddie"}
        assert [r.changes for r in recorded] == [{"agent_speaks_first": [False, True]}] * 3

    def test_voice_and_language_are_set_as_the_form_cleans_them(
        self, editor_client, api, five_rows, jobs_run_at_once
    ):
        ids = ids_of(five_rows[:2])

        job_id = started_job_id(start(editor_client, ids, voice="theo", language_code="es-es"))

        for row in five_rows[:2]:
            now = fetch(api, row["id"])
            assert (now["voice"], now["languageCode"]) == ("theo", "es-ES")
            assert now["agentSpeaksFirst"] == row["agentSpeaksFirst"]  # left as it was
        job = Job.objects.get(pk=job_id)
        assert job.description == (
            "Set “Voice” to Theo (en-GB), set “Language” to es-ES on 2 phone connections"
        )
        assert job.params["changes"] == {"voice": "theo", "language_code": "es-ES"}

    def test_clearing_the_language(self, editor_client, api, make_row, marker, jobs_run_at_once):
        rows = [make_row(name=f"{marker} {n}", languageCode="fr-FR") for n in range(2)]

        start(editor_client, ids_of(rows), clear_language_code="on")

        assert [fetch(api, row["id"])["languageCode"] for row in rows] == [None, None]
        assert len(patched(api)) == 2


class TestFailures:
    def test_a_failing_row_does_not_stop_the_others(
        self, editor_client, gateway, api, five_rows, jobs_run_at_once
    ):
        ids = ids_of(five_rows)
        gateway.inject(status(500, "Database exploded."), PATCH, f"/phoneConnections/{ids[2]}")

        job_id = started_job_id(start(editor_client, ids, agent_speaks_first="true"))

        assert speaks_first(api, five_rows) == [True, True, False, True, True]
        page = open_job(editor_client, job_id)
        assert page.state == "Done"
        assert page.result == "2 changed, 2 already as asked, 1 failed."
        failed = [(row, details) for row, outcome, details in page.report if outcome == "failed"]
        assert failed == [
            (
                f"“{five_rows[2]['name']}” ({five_rows[2]['phoneNumber']})",
                "Galtea had an internal error: Galtea answered with error 500.",
            )
        ]
        assert sorted(r.object_id for r in updates()) == sorted([ids[0], ids[4]])

    def test_a_429_stops_the_job_saying_what_was_done_and_what_was_not_tried(
        self, editor_client, gateway, api, five_rows, jobs_run_at_once
    ):
        jobs_run_at_once.GALTEA_JOB_CONCURRENCY = 1
        ids = ids_of(five_rows)
        gateway.inject(status(429, "Slow down."), PATCH, f"/phoneConnections/{ids[2]}")

        job_id = started_job_id(start(editor_client, ids, agent_speaks_first="true"))

        page = open_job(editor_client, job_id)
        assert page.state == "Failed"
        assert page.result == "Galtea is rate limiting: 1 changed, 2 already as asked, 2 not tried."
        assert speaks_first(api, five_rows) == [True, True, False, True, False]
        assert patched(api) == [ids[0]]  # the 429 never reached the API; nothing after it went
        assert "Resume" in page.buttons()

        gateway.clear()
        api.clear_request_log()
        editor_client.post(f"/jobs/{job_id}/resume/")

        assert patched(api) == [ids[2], ids[4]]
        assert speaks_first(api, five_rows) == [True] * 5
        page = open_job(editor_client, job_id)
        assert (page.state, page.result) == ("Done", "3 changed, 2 already as asked.")
        assert sorted(r.object_id for r in updates()) == sorted([ids[0], ids[2], ids[4]])

    def test_a_change_whose_answer_was_lost_is_found_applied_and_not_sent_again(
        self, editor_client, gateway, api, five_rows, jobs_run_at_once
    ):
        ids = ids_of(five_rows)

        def apply_then_drop(request, forward):
            forward(request)  # Galtea applies it; its answer never comes back
            return RESET

        gateway.inject(Fault("lost answer", apply_then_drop), PATCH, f"/phoneConnections/{ids[2]}")

        job_id = started_job_id(start(editor_client, ids, agent_speaks_first="true"))

        page = open_job(editor_client, job_id)
        assert (page.state, page.result) == ("Done", "3 changed, 2 already as asked.")
        assert patched(api).count(ids[2]) == 1  # looked up, not sent again
        assert sorted(r.object_id for r in updates()) == sorted([ids[0], ids[2], ids[4]])

    def test_a_row_deleted_before_its_change_arrives_fails_saying_so(
        self, editor_client, gateway, api, five_rows, jobs_run_at_once
    ):
        ids = ids_of(five_rows)
        gateway.inject(status(404, "No such connection."), PATCH, f"/phoneConnections/{ids[4]}")

        job_id = started_job_id(start(editor_client, ids, agent_speaks_first="true"))

        page = open_job(editor_client, job_id)
        assert page.result == "2 changed, 2 already as asked, 1 failed."
        failed = [details for _, outcome, details in page.report if outcome == "failed"]
        assert failed == ["Someone deleted it meanwhile."]

    def test_an_outage_stops_the_job_and_resume_sends_the_rows_it_held(
        self, editor_client, gateway, api, five_rows, jobs_run_at_once
    ):
        ids = ids_of(five_rows)
        gateway.inject(status(503, "Down for maintenance."), PATCH, "/phoneConnections/.+")

        job_id = started_job_id(start(editor_client, ids, agent_speaks_first="true"))

        page = open_job(editor_client, job_id)
        assert page.state == "Failed"
        assert page.result == (
            "Galtea stopped answering (Galtea had an internal error: it answered 503): 0"
            " changed, 2 already as asked, 3 under way. Whether the rows under way were changed"
            " is checked when it is resumed."
        )
        assert patched(api) == []  # the gateway answered them all
        gateway.clear()

        editor_client.post(f"/jobs/{job_id}/resume/")

        assert sorted(patched(api)) == sorted([ids[0], ids[2], ids[4]])
        page = open_job(editor_client, job_id)
        assert (page.state, page.result) == ("Done", "3 changed, 2 already as asked.")

    def test_galtea_down_for_fewer_requests_in_a_row_fails_those_rows_only(
        self, editor_client, gateway, api, five_rows, jobs_run_at_once
    ):
        jobs_run_at_once.GALTEA_JOB_CONCURRENCY = 1
        ids = ids_of(five_rows)
        for entity_id in (ids[2], ids[4]):  # the last two of the three to change
            gateway.inject(status(503, "Down."), PATCH, f"/phoneConnections/{entity_id}")

        job_id = started_job_id(start(editor_client, ids, agent_speaks_first="true"))

        page = open_job(editor_client, job_id)
        assert (page.state, page.result) == ("Done", "1 changed, 2 already as asked, 2 failed.")
        assert speaks_first(api, five_rows) == [True, True, False, True, False]

    def test_rows_that_cannot_be_read_stop_the_job_until_it_is_resumed(
        self, editor_client, gateway, api, five_rows, jobs_run_at_once
    ):
        ids = ids_of(five_rows)
        confirmation = review(editor_client, ids, agent_speaks_first="true")
        gateway.inject(status(503, "Down for maintenance."), "GET", "/phoneConnections")

        response = editor_client.post("/phone-connections/bulk-edit/", confirmation.form_data())

        page = open_job(editor_client, started_job_id(response))
        assert page.state == "Failed"
        assert page.result == (
            "Galtea could not be asked for the rows (Galtea had an internal error: Galtea "
            "answered with error 503.): 0 changed, 5 not tried."
        )
        assert patched(api) == []
        gateway.clear()
        editor_client.post(f"/jobs/{started_job_id(response)}/resume/")
        assert sorted(patched(api)) == sorted([ids[0], ids[2], ids[4]])


@pytest.mark.django_db(transaction=True)
def test_a_cancel_stops_the_job_between_rows(
    editor_client, editor, gateway, api, five_rows, jobs_run_at_once
):
    """Someone presses Cancel while the first row is on its way: it is done, no other row is
    sent, and the job ends "cancelled" saying so."""
    jobs_run_at_once.GALTEA_JOB_CONCURRENCY = 1
    ids = ids_of(five_rows)

    def cancel_then_answer(request, forward):
        try:
            job = Job.objects.get(status=Job.Status.RUNNING)
            services.job_cancel(user=editor, job=job)
        finally:
            connection.close()  # this thread's own
        return forward(request)

    gateway.inject(Fault("cancel", cancel_then_answer), PATCH, f"/phoneConnections/{ids[0]}")

    job_id = started_job_id(start(editor_client, ids, agent_speaks_first="true"))

    page = open_job(editor_client, job_id)
    assert page.state == "Cancelled"
    assert page.result == "Cancelled by eddie: 1 changed, 2 already as asked, 2 not tried."
    assert patched(api) == [ids[0]]
    assert speaks_first(api, five_rows) == [True, True, False, True, False]
    events = ChangeRecord.objects.filter(object_type="jobs").order_by("id")
    assert [(e.action, e.username, e.object_id) for e in events] == [
        ("start", "eddie", str(job_id)),
        ("cancel", "eddie", str(job_id)),
    ]


class TestAWorkerThatVanished:
    def test_the_job_is_marked_interrupted_and_resumed_with_no_row_done_twice(
        self, editor_client, api, five_rows, settings
    ):
        """A worker took the job, sent rows 0 and 2 and died: row 0's change had arrived,
        row 2's had not. The page says it was interrupted; Resume checks both first."""
        ids = ids_of(five_rows)
        job_id = started_job_id(start(editor_client, ids, agent_speaks_first="true"))
        job = Job.objects.get(pk=job_id)
        assert job.status == Job.Status.QUEUED  # the database backend, and no worker here
        long_ago = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 5)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.RUNNING, attempt=1, started_at=long_ago, heartbeat_at=long_ago
        )
        before = {"before": {"agent_speaks_first": False}}
        job.items.filter(key__in=[ids[0], ids[2]]).update(
            status=JobItem.Status.SENDING, attempt=1, data=before
        )
        change_row(api, ids[0], agentSpeaksFirst=True)  # the change that arrived
        api.clear_request_log()

        page = open_job(editor_client, job_id)

        assert page.state == "Interrupted"
        assert page.result == (
            "The worker running it stopped: 0 changed, 2 under way, 3 not tried. Whether the "
            "rows under way were changed is checked when it is resumed."
        )
        assert "Resume" in page.buttons()
        assert writes(api) == []

        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        editor_client.post(f"/jobs/{job_id}/resume/")

        assert sorted(patched(api)) == sorted([ids[2], ids[4]])  # row 0 is not sent again
        assert speaks_first(api, five_rows) == [True] * 5
        page = open_job(editor_client, job_id)
        assert (page.state, page.result) == ("Done", "3 changed, 2 already as asked.")
        recorded = updates()
        assert sorted(r.object_id for r in recorded) == sorted([ids[0], ids[2], ids[4]])
        assert all(r.changes == {"agent_speaks_first": [False, True]} for r in recorded)
        actions = ChangeRecord.objects.filter(object_type="jobs").values_list("action", flat=True)
        assert sorted(actions) == ["resume", "start"]

    def test_a_job_whose_task_failed_without_running_it_is_marked_failed(
        self, editor_client, five_rows
    ):
        job_id = started_job_id(start(editor_client, ids_of(five_rows), agent_speaks_first="true"))
        task_id = Job.objects.get(pk=job_id).task_id
        assert task_id
        DBTaskResult.objects.filter(id=task_id).update(status="FAILED", finished_at=timezone.now())

        page = open_job(editor_client, job_id)

        assert page.state == "Failed"
        assert page.result == "The worker could not run the job: see its log."

    def test_a_queued_job_says_when_no_worker_has_taken_it(self, editor_client, five_rows):
        job_id = started_job_id(start(editor_client, ids_of(five_rows), agent_speaks_first="true"))

        assert "No worker has taken this job yet" not in open_job(editor_client, job_id).html
        Job.objects.filter(pk=job_id).update(created_at=timezone.now() - timedelta(minutes=1))
        page = open_job(editor_client, job_id)
        assert page.state == "Queued"
        assert page.polls
        assert "No worker has taken this job yet" in page.html
        # Without JavaScript the page reloads itself while the job may still change.
        assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page.html

"""Editing several phone connections at once: tick rows, "Edit selected…", choose values
(each field may be left as is), read on a confirmation how many would change, and land on
the job's page. Who may start, see, cancel and resume a job; what the activity log keeps.

The job logic itself (what is sent, failures, 429, cancel, interruptions) is in tests/jobs.
"""

from __future__ import annotations

import pytest
from django.test import Client

from galtea_admin.audit.models import ChangeRecord
from galtea_admin.jobs.models import Job
from tests.conftest import user_with_role
from tests.jobs.pages import (
    BULK_EDIT_URL,
    JOBS_URL,
    LEAVE,
    JobPage,
    job_url,
    open_form,
    open_job,
    review,
    start,
    started_job_id,
)
from tests.pages import Page, delete_row, fetch, writes

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_rows(make_row, marker) -> list[dict]:
    return [
        make_row(name=f"{marker} north", phoneNumber="+14155552671"),
        make_row(name=f"{marker} south", phoneNumber="+442079460958", languageCode="en-GB"),
    ]


def ids_of(rows) -> list[str]:
    return [row["id"] for row in rows]


class TestTheForm:
    def test_every_field_starts_as_leave_as_is(self, editor_client, two_rows):
        page = open_form(editor_client, ids_of(two_rows))

        assert page.status == 200
        assert page.h1 == "Edit 2 selected phone connections"
        assert page.field_names == [
            "agent_speaks_first",
            "clear_language_code",
            "language_code",
            "voice",
        ]
        assert page.value("agent_speaks_first") == LEAVE
        assert page.options("agent_speaks_first")[0] == (LEAVE, "Leave as is")
        assert page.value("voice") == LEAVE
        voices = page.options("voice")
        assert voices[:2] == [(LEAVE, "Leave as is"), ("", "Sarah (default)")]
        assert ("theo", "Theo (en-GB)") in voices
        assert page.value("language_code") == ""
        assert page.doc.find("datalist", id="language-codes") is not None

    def test_choosing_nothing_is_refused_and_nothing_is_sent(self, editor_client, api, two_rows):
        page = review(editor_client, ids_of(two_rows))

        assert page.status == 400
        assert "Choose a value to set: every field is left as is." in page.alert_text
        assert writes(api) == []
        assert Job.objects.count() == 0

    def test_a_bad_language_is_shown_at_its_field_with_what_was_typed(
        self, editor_client, api, two_rows
    ):
        page = review(editor_client, ids_of(two_rows), voice="theo", language_code="not a code")

        assert page.status == 400
        assert page.field_errors("language_code") == [
            "Use a language code such as en-US, es-ES or fr: language, then optionally a region."
        ]
        assert page.value("language_code") == "not a code"
        assert page.value("voice") == "theo"
        assert writes(api) == []

    def test_typing_a_language_and_clearing_it_is_refused(self, editor_client, two_rows):
        page = review(editor_client, ids_of(two_rows), language_code="fr", clear_language_code="on")

        assert page.field_errors("language_code") == ["Type a value or clear it, not both."]

    def test_a_voice_not_offered_is_refused(self, editor_client, two_rows):
        page = review(editor_client, ids_of(two_rows), voice="no-such-voice")

        assert page.status == 400
        assert page.field_errors("voice")

    def test_an_empty_selection_goes_back_to_the_list_saying_why(self, editor_client):
        response = editor_client.post(BULK_EDIT_URL, {"next": "/phone-connections/?sort=name"})

        assert response.status_code == 302
        assert response["Location"] == "/phone-connections/?sort=name"
        follow = Page(editor_client.get(response["Location"]))
        assert follow.messages == ["Select at least one phone connection first."]

    def test_a_damaged_selection_is_refused(self, editor_client):
        response = editor_client.post(BULK_EDIT_URL, {"ids": ["../../x"]}, follow=True)

        assert Page(response).messages == ["The selection was damaged: select the rows again."]


class TestTheConfirmation:
    def test_it_names_how_many_would_change_and_starts_nothing(self, editor_client, api, two_rows):
        page = review(editor_client, ids_of(two_rows), language_code="en-gb")

        assert page.status == 200
        assert page.h1 == "Set “Language” to en-GB on 2 phone connections?"
        assert "1 of the 2 will change" in page.main_text
        assert "Yes, edit 2" in page.buttons()
        data = page.form_data()
        assert data["ids"] == ids_of(two_rows)  # in the order they were selected
        assert data["language_code"] == ["en-gb"]
        assert data["step"] == ["start"]
        assert writes(api) == []
        assert Job.objects.count() == 0

    def test_a_row_deleted_meanwhile_is_named_and_left_out(
        self, editor_client, api, two_rows, make_row, marker
    ):
        gone = make_row(name=f"{marker} gone")
        delete_row(api, gone["id"])

        page = review(editor_client, [*ids_of(two_rows), gone["id"]], agent_speaks_first="true")

        assert page.h1 == "Set “Agent speaks first” to Yes on 2 phone connections?"
        assert "1 selected phone connection no longer exists" in page.main_text
        assert gone["id"] in page.main_text
        assert page.form_data()["ids"] == ids_of(two_rows)
        assert "Yes, edit 2" in page.buttons()

    def test_nothing_to_change_offers_no_button(self, editor_client, two_rows):
        page = review(editor_client, ids_of(two_rows), agent_speaks_first="false")

        assert "None of them would change" in page.main_text
        assert not [b for b in page.buttons() if b.startswith("Yes")]


class TestStartingAJob:
    def test_the_editor_lands_on_the_job_page_and_every_one_sees_the_job(
        self, editor_client, operator, api, two_rows, jobs_run_at_once
    ):
        response = start(editor_client, ids_of(two_rows), agent_speaks_first="true")
        job_id = started_job_id(response)

        page = JobPage(editor_client.get(response["Location"]))
        assert page.h1 == "Set “Agent speaks first” to Yes on 2 phone connections"
        assert page.state == "Done"
        assert [fetch(api, row_id)["agentSpeaksFirst"] for row_id in ids_of(two_rows)] == [
            True,
            True,
        ]
        client = Client()
        client.force_login(operator)
        listing = Page(client.get(JOBS_URL))
        assert listing.status == 200
        assert listing.link(page.h1) == job_url(job_id)
        viewers_page = open_job(client, job_id)
        assert viewers_page.state == "Done"
        assert "Cancel job" not in viewers_page.buttons()

    def test_a_viewer_may_not_start_one(self, viewer_client, api, two_rows):
        response = viewer_client.post(
            BULK_EDIT_URL,
            {"ids": ids_of(two_rows), "step": "start", "agent_speaks_first": "true"},
        )

        assert response.status_code == 403
        assert Job.objects.count() == 0
        assert writes(api) == []

    def test_starting_is_in_the_activity_log_linked_to_the_job(
        self, editor_client, two_rows, jobs_run_at_once
    ):
        job_id = started_job_id(start(editor_client, ids_of(two_rows), agent_speaks_first="true"))

        started = ChangeRecord.objects.get(object_type="jobs", action="start")
        assert (started.username, started.object_id) == ("eddie", str(job_id))
        assert started.object_label == "Set “Agent speaks first” to Yes on 2 phone connections"
        activity = Page(editor_client.get("/activity/", {"kind": "jobs"}))
        assert activity.status == 200
        assert activity.link(started.object_label) == job_url(job_id)
        assert "Job" in activity.main_text


class TestWhoMayCancel:
    """A job waiting for a worker (the database backend, and no worker in these tests)."""

    @pytest.fixture
    def queued_job(self, editor_client, two_rows) -> int:
        job_id = started_job_id(start(editor_client, ids_of(two_rows), agent_speaks_first="true"))
        assert Job.objects.get(pk=job_id).status == Job.Status.QUEUED
        return job_id

    def test_another_editor_and_a_viewer_may_not(self, django_user_model, operator, queued_job):
        viewer = Client()
        viewer.force_login(operator)
        assert viewer.post(f"/jobs/{queued_job}/cancel/").status_code == 403
        client = Client()
        client.force_login(user_with_role(django_user_model, "olga", "Editor"))
        page = open_job(client, queued_job)
        assert "Cancel job" not in page.buttons()
        assert client.post(f"/jobs/{queued_job}/cancel/").status_code == 403
        assert client.post(f"/jobs/{queued_job}/resume/").status_code == 403
        assert Job.objects.get(pk=queued_job).status == Job.Status.QUEUED

    def test_the_person_who_started_it_may(self, editor_client, queued_job):
        assert "Cancel job" in open_job(editor_client, queued_job).buttons()

        response = editor_client.post(f"/jobs/{queued_job}/cancel/", follow=True)

        page = JobPage(response)
        assert page.messages == ["Cancelled: the job had not started."]
        assert page.state == "Cancelled"
        assert page.result == "Cancelled by eddie before it started: nothing was done."
        assert not page.polls

    def test_a_manager_may_and_it_is_recorded_as_theirs(self, manager, queued_job, api):
        client = Client()
        client.force_login(manager)

        client.post(f"/jobs/{queued_job}/cancel/")

        assert Job.objects.get(pk=queued_job).status == Job.Status.CANCELLED
        cancelled = ChangeRecord.objects.get(object_type="jobs", action="cancel")
        assert (cancelled.username, cancelled.object_id) == ("mona", str(queued_job))
        assert writes(api) == []

    def test_cancelling_needs_a_post(self, editor_client, queued_job):
        assert editor_client.get(f"/jobs/{queued_job}/cancel/").status_code == 405


class TestTheJobsPage:
    def test_newest_first_with_who_what_status_and_progress(
        self, editor_client, two_rows, jobs_run_at_once
    ):
        first = started_job_id(start(editor_client, ids_of(two_rows), agent_speaks_first="true"))
        second = started_job_id(start(editor_client, ids_of(two_rows[:1]), voice="theo"))

        page = Page(editor_client.get(JOBS_URL))

        rows = page.doc.one("table", class_="data-table").one("tbody").find_all("tr")
        texts = [[td.text for td in row.find_all("td")] for row in rows]
        assert [row[1] for row in texts] == [
            "Set “Voice” to Theo (en-GB) on 1 phone connection",
            "Set “Agent speaks first” to Yes on 2 phone connections",
        ]
        assert [row[2] for row in texts] == ["eddie", "eddie"]
        assert [row[3] for row in texts] == ["Done", "Done"]
        assert texts[1][4].endswith("2 of 2")
        assert page.link(texts[0][1]) == job_url(second)
        assert page.link(texts[1][1]) == job_url(first)

    def test_it_is_in_the_navigation_and_filters_by_status(self, editor_client):
        page = Page(editor_client.get(JOBS_URL, {"status": "failed"}))

        assert page.status == 200
        nav = page.doc.one("nav", class_="mainnav")
        assert [a.text for a in nav.find_all("a") if a.attrs.get("aria-current")] == ["Jobs"]
        assert "No jobs match these filters" in page.main_text

    def test_a_missing_job_is_a_404(self, editor_client):
        assert editor_client.get("/jobs/999999/").status_code == 404
        assert editor_client.get("/jobs/nope/").status_code == 404

"""“All N matching”: after ticking a page, "Select all rows matching these filters" extends
"Delete selected…" (Managers) and "Edit selected…" (Editors) to every row the list's
filters match, as a job that first finds and counts the matching rows through the API, a
page at a time, then deletes them through the batch route or PATCHes only the rows that
change. The bulk form is a plain form: these tests send what a browser without JavaScript
sends when the box is ticked.

Jobs run inside the request that starts them (`jobs_run_at_once`), against the session
emulator, on rows of each test's own (a unique word in their names) beside rows that must
be left alone.
"""

from __future__ import annotations

from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from galtea_admin.audit.models import ChangeRecord
from galtea_admin.jobs.models import Job
from galtea_admin.lists import all_matching
from tests.faults.proxy import status
from tests.galtea.fake_upstream import html_reply
from tests.html_tree import parse
from tests.jobs.pages import LEAVE, ConfirmationPage, JobPage, open_job, started_job_id
from tests.pages import ListView, fetch, writes
from tests.webrtc_connections.conftest import RESOURCE as WEBRTC

pytestmark = pytest.mark.django_db

ROWS = 30  # more than a page of 25, so that the list offers "all matching"
LIST_URL = "/phone-connections/"
NUMBERS = ("+14155552671", "+442079460958", "+34912345678", "+33142685300", "+4930901820")


@pytest.fixture
def matching_rows(make_row, marker) -> list[dict]:
    """ROWS connections whose names hold the test's marker; every third has the agent speak
    first."""
    return [
        make_row(
            name=f"{marker} {n:02d}",
            phoneNumber=NUMBERS[n % len(NUMBERS)],
            agentSpeaksFirst=n % 3 == 0,
        )
        for n in range(ROWS)
    ]


@pytest.fixture
def other_rows(make_row, marker) -> list[dict]:
    """Rows that look alike but do not match the marker filter: never touched."""
    return [make_row(name=f"{marker[::-1]} {n}", agentSpeaksFirst=False) for n in range(3)]


def list_page(client, **params) -> ListView:
    page = ListView(client.get(f"{LIST_URL}?{urlencode(params)}"))
    assert page.status == 200, page.html[:2000]
    return page


def submission(page: ListView, button: str) -> tuple[str, dict[str, list[str]]]:
    """What the bulk form sends when "Select all … matching" is ticked and `button` pressed,
    as a browser without JavaScript sends it: its action and fields."""
    form = page.bulk_form
    chosen = [b for b in form.find_all("button") if b.text == button]
    assert len(chosen) == 1, f"no button {button!r} in the bulk bar"
    data: dict[str, list[str]] = {}
    for el in form.find_all("input"):
        if el.attrs.get("type") == "checkbox" and el.attrs["name"] != "all_matching":
            continue  # no row ticked: the choice is every matching row
        data.setdefault(el.attrs["name"], []).append(el.attrs.get("value", ""))
    return chosen[0].attrs.get("formaction", form.attrs["action"]), data


def form_buttons(page: ConfirmationPage) -> list[str]:
    return [button.text for button in page.form.find_all("button")]


def chips_named(page) -> list[str]:
    box = page.doc.one("div", class_="matching-filters")
    return [li.text for li in box.find_all("li", class_="chip")]


def deleted(api) -> list[dict]:
    return [r for r in writes(api) if r["method"] == "DELETE"]


class TestTheListOffersIt:
    def test_a_page_of_a_longer_list_offers_every_matching_row_as_a_form_field(
        self, manager_client, matching_rows, marker
    ):
        page = list_page(manager_client, name=marker, sort="name")

        box = page.bulk_form.one("input", name="all_matching")
        assert box.attrs["type"] == "checkbox" and box.attrs["value"] == "yes"
        bar = page.bulk_form.one("p", class_="select-matching")
        assert bar.text == "Select all rows matching these filters"
        query = page.bulk_form.one("input", name="list_query").attrs["value"]
        assert all_matching.filters_query(query) == urlencode({"name": marker})

    def test_a_list_that_fits_one_page_does_not(self, manager_client, make_row, marker):
        for n in range(3):
            make_row(name=f"{marker} {n}")

        page = list_page(manager_client, name=marker)

        assert page.bulk_form is not None
        assert page.bulk_form.find("input", name="all_matching") is None

    def test_a_counted_list_says_how_many(self, manager_client, matching_rows, marker):
        page = list_page(manager_client, name=marker, count="1")

        bar = page.bulk_form.one("p", class_="select-matching")
        assert bar.text == f"Select all {ROWS} rows matching these filters"

    def test_viewers_are_offered_nothing(self, viewer_client, matching_rows, marker):
        assert list_page(viewer_client, name=marker).bulk_form is None


class TestDeleteAllMatching:
    def test_it_deletes_exactly_the_matching_rows_after_finding_them_all(
        self, manager_client, api, matching_rows, other_rows, marker, jobs_run_at_once, monkeypatch
    ):
        """Found 7 at a time (so that the list is read in several pages) and all found
        before the first deletion: deleting while paging by offset would skip rows."""
        monkeypatch.setattr(all_matching, "COLLECT_PAGE_ROWS", 7)
        page = list_page(manager_client, name=marker, sort="name", page="2")
        action, data = submission(page, "Delete selected…")
        assert action == "/phone-connections/bulk-delete/"

        confirmation = ConfirmationPage(manager_client.post(action, data))
        assert confirmation.status == 200, confirmation.html[:3000]
        assert confirmation.h1 == "Delete every phone connection matching these filters?"
        assert chips_named(confirmation) == [f"Name contains: {marker}"]
        estimate = confirmation.doc.one("p", class_="matching-estimate").text
        assert estimate.startswith(f"{ROWS} phone connections match now.")
        assert "finds and counts the matching phone connections itself" in estimate
        assert form_buttons(confirmation) == [f"Yes, delete all {ROWS}"]
        assert deleted(api) == []  # nothing yet
        api.clear_request_log()

        response = manager_client.post(action, confirmation.form_data())

        job = open_job(manager_client, started_job_id(response))
        assert job.state == "Done"
        assert job.result == f"{ROWS} deleted."
        assert job.counts is None  # the result gives the counts once the job has ended
        assert all(fetch(api, row["id"]) is None for row in matching_rows)
        assert all(fetch(api, row["id"]) is not None for row in other_rows)
        requests = api.requests_received()
        reads = [r for r in requests if r["method"] == "GET" and r["path"] == "/phoneConnections"]
        first_delete = next(n for n, r in enumerate(requests) if r["method"] == "DELETE")
        pages = [r for r in reads if "limit=7" in r["query"]]
        assert len(pages) >= ROWS // 7 + 1  # the list, read a page at a time…
        assert all(requests.index(r) < first_delete for r in pages)  # …all before deleting
        batches = deleted(api)
        assert [r["path"] for r in batches] == ["/phoneConnections/batch"]  # 30 ids, one call
        recorded = ChangeRecord.objects.filter(object_type="phone_connections", action="delete")
        assert sorted(recorded.values_list("object_id", flat=True)) == sorted(
            row["id"] for row in matching_rows
        )
        assert set(recorded.values_list("username", flat=True)) == {"mona"}
        stored = Job.objects.get(pk=started_job_id(response))
        assert (
            stored.description == f"Delete every phone connection matching Name contains: {marker}"
        )
        assert stored.total == ROWS

    def test_the_confirmation_names_every_filter(
        self, manager_client, api, matching_rows, marker, product_names
    ):
        product_id = matching_rows[0]["productId"]
        filters = {"name": marker, "product": product_id, "phone": "+1 415", "sort": "name"}
        data = {"all_matching": "yes", "list_query": f"?{urlencode(filters)}"}

        confirmation = ConfirmationPage(
            manager_client.post("/phone-connections/bulk-delete/", data)
        )

        assert chips_named(confirmation) == [
            f"Product: {product_names[product_id]}",
            f"Name contains: {marker}",
            "Phone number contains: +1 415",
        ]
        matches = sum(1 for row in matching_rows if row["phoneNumber"].startswith("+1415"))
        estimate = confirmation.doc.one("p", class_="matching-estimate").text
        assert estimate.startswith(f"{matches} phone connections match now.")

    def test_no_filters_says_it_is_every_row(self, manager_client, api):
        data = {"all_matching": "yes", "list_query": "?sort=name&page=3"}

        confirmation = ConfirmationPage(
            manager_client.post("/phone-connections/bulk-delete/", data)
        )

        assert confirmation.h1 == "Delete every phone connection?"
        warning = confirmation.doc.one("div", class_="alert-warning").text
        assert warning.startswith("No filters are applied: this is every phone connection there")
        assert confirmation.doc.find("div", class_="matching-filters") is None
        assert deleted(api) == []

    def test_filters_that_no_longer_apply_start_nothing(self, manager_client, api):
        data = {
            "all_matching": "yes",
            "list_query": "created_from=not-a-date",
            "confirm": "yes",
            "next": "/phone-connections/?created_from=not-a-date",
        }

        response = manager_client.post("/phone-connections/bulk-delete/", data)

        assert response.status_code == 302
        assert response["Location"] == "/phone-connections/?created_from=not-a-date"
        messages = [str(m) for m in response.wsgi_request._messages]
        assert messages == [
            "The list's filters do not apply any more: check them on the list, then select "
            "the rows again."
        ]
        assert not Job.objects.exists()
        assert deleted(api) == []

    def test_a_filter_matching_nothing_now_offers_no_delete(self, manager_client, api, marker):
        data = {"all_matching": "yes", "list_query": urlencode({"name": marker})}

        confirmation = ConfirmationPage(
            manager_client.post("/phone-connections/bulk-delete/", data)
        )

        assert confirmation.h1 == "No phone connections match these filters now"
        assert form_buttons(confirmation) == []

    def test_webrtc_connections_are_deleted_one_by_one_by_their_declaration(
        self, manager_client, api, make_webrtc, marker, jobs_run_at_once
    ):
        """WebRTC connections have no batch route: the same job deletes them one by one."""
        made = [make_webrtc(name=f"{marker} {n:02d}") for n in range(ROWS)]
        keep = make_webrtc(name=f"{marker[::-1]} kept")
        api.clear_request_log()
        page = ListView(manager_client.get("/webrtc-connections/", {"name": marker}))
        action, data = submission(page, "Delete selected…")
        confirmation = ConfirmationPage(manager_client.post(action, data))
        assert confirmation.h1 == "Delete every WebRTC connection matching these filters?"

        job = JobPage(manager_client.post(action, confirmation.form_data(), follow=True))

        assert (job.state, job.result) == ("Done", f"{ROWS} deleted.")
        paths = sorted(r["path"] for r in deleted(api))
        assert paths == sorted(f"{WEBRTC}/{row['id']}" for row in made)
        assert api.get(f"{WEBRTC}/{keep['id']}").status_code == 200


class TestEditAllMatching:
    def test_only_the_matching_rows_that_change_are_patched(
        self, editor_client, api, matching_rows, other_rows, marker, jobs_run_at_once
    ):
        page = list_page(editor_client, name=marker)
        assert [b.text for b in page.bulk_form.find_all("button")] == ["Edit selected…"]
        action, data = submission(page, "Edit selected…")
        assert action == "/phone-connections/bulk-edit/"

        form = ConfirmationPage(editor_client.post(action, data))
        assert form.h1 == "Edit every phone connection matching these filters"
        assert chips_named(form) == [f"Name contains: {marker}"]
        fields = {**form.form_data(), "agent_speaks_first": ["true"], "voice": [LEAVE]}
        review = ConfirmationPage(editor_client.post(action, fields))
        assert review.h1 == (
            f"Set “Agent speaks first” to Yes on every phone connection matching Name "
            f"contains: {marker}?"
        )
        assert form_buttons(review) == [f"Yes, edit all {ROWS}"]
        api.clear_request_log()

        response = editor_client.post(action, review.form_data())

        job = open_job(editor_client, started_job_id(response))
        already = sum(1 for row in matching_rows if row["agentSpeaksFirst"])
        assert (job.state, job.result) == (
            "Done",
            f"{ROWS - already} changed, {already} already as asked.",
        )
        patched = sorted(r["path"].rsplit("/", 1)[-1] for r in writes(api))
        assert patched == sorted(row["id"] for row in matching_rows if not row["agentSpeaksFirst"])
        assert all(r["method"] == "PATCH" for r in writes(api))
        assert all(fetch(api, row["id"])["agentSpeaksFirst"] for row in matching_rows)
        assert not any(fetch(api, row["id"])["agentSpeaksFirst"] for row in other_rows)
        recorded = ChangeRecord.objects.filter(action="update")
        assert sorted(recorded.values_list("object_id", flat=True)) == patched
        assert set(recorded.values_list("username", flat=True)) == {"eddie"}


class TestWhoMay:
    def post_matching(self, client, url, marker, **extra):
        data = {"all_matching": "yes", "list_query": urlencode({"name": marker}), **extra}
        return client.post(url, data)

    def test_viewers_may_neither_delete_nor_edit_every_match(self, viewer_client, api, marker):
        for url in ("/phone-connections/bulk-delete/", "/phone-connections/bulk-edit/"):
            assert self.post_matching(viewer_client, url, marker, confirm="yes").status_code == 403
        assert writes(api) == [] and not Job.objects.exists()

    def test_editors_may_edit_but_not_delete_every_match(
        self, editor_client, api, matching_rows, marker
    ):
        url = "/phone-connections/bulk-delete/"
        assert self.post_matching(editor_client, url, marker, confirm="yes").status_code == 403
        form = self.post_matching(editor_client, "/phone-connections/bulk-edit/", marker)
        assert form.status_code == 200
        assert writes(api) == [] and not Job.objects.exists()


class TestAJobThatHadNotFoundItsRows:
    def test_it_is_interrupted_and_resumed_finding_them_again(
        self, manager_client, api, matching_rows, marker, settings
    ):
        """Its worker died while it was finding the rows: nothing was done, and Resume
        finds them all again."""
        page = list_page(manager_client, name=marker)
        action, data = submission(page, "Delete selected…")
        confirmation = ConfirmationPage(manager_client.post(action, data))
        job_id = started_job_id(manager_client.post(action, confirmation.form_data()))
        assert Job.objects.get(pk=job_id).total is None  # the database backend: not run yet
        long_ago = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 5)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.RUNNING, attempt=1, started_at=long_ago, heartbeat_at=long_ago
        )

        page = open_job(manager_client, job_id)

        assert page.state == "Interrupted"
        assert page.result == (
            "The worker running it stopped: nothing was done (its rows were still being found)."
        )
        assert "Resume" in page.buttons()
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        manager_client.post(f"/jobs/{job_id}/resume/")

        page = open_job(manager_client, job_id)
        assert (page.state, page.result) == ("Done", f"{ROWS} deleted.")
        assert all(fetch(api, row["id"]) is None for row in matching_rows)


def test_the_list_page_parses_with_the_bar(manager_client, matching_rows, marker):
    """The bar lives inside the bulk form, whose fields a browser sends as they are."""
    doc = parse(manager_client.get(LIST_URL, {"name": marker}).content.decode())
    form = doc.one("form", id="bulk-form")
    assert form.one("input", name="all_matching").parent.tag == "label"
    assert form.one("input", name="next").attrs["value"] == f"{LIST_URL}?name={marker}"


class TestFaults:
    """Through the tests' fault-injecting proxy (`gateway`), once the confirmation is shown."""

    BATCH_PATH = "/phoneConnections/batch"

    def confirmed(self, client, marker) -> tuple[str, dict]:
        page = list_page(client, name=marker)
        action, data = submission(page, "Delete selected…")
        return action, ConfirmationPage(client.post(action, data)).form_data()

    def test_a_429_while_finding_the_rows_stops_the_job_before_anything_is_done(
        self, manager_client, gateway, api, matching_rows, marker, jobs_run_at_once
    ):
        action, data = self.confirmed(manager_client, marker)
        gateway.inject(status(429, "Slow down."), "GET", "/phoneConnections")

        job_id = started_job_id(manager_client.post(action, data))

        page = open_job(manager_client, job_id)
        assert (page.state, page.result) == (
            "Failed",
            "Galtea is rate limiting: nothing was done (its rows were still being found).",
        )
        assert deleted(api) == []
        assert "Resume" in page.buttons()
        gateway.clear()
        manager_client.post(f"/jobs/{job_id}/resume/")
        page = open_job(manager_client, job_id)
        assert (page.state, page.result) == ("Done", f"{ROWS} deleted.")
        assert all(fetch(api, row["id"]) is None for row in matching_rows)

    def test_a_429_on_the_batch_stops_the_job_and_resume_deletes_each_row_once(
        self, manager_client, gateway, api, matching_rows, marker, jobs_run_at_once
    ):
        action, data = self.confirmed(manager_client, marker)
        gateway.inject(status(429, "Slow down."), "DELETE", self.BATCH_PATH)

        job_id = started_job_id(manager_client.post(action, data))

        page = open_job(manager_client, job_id)
        assert (page.state, page.result) == (
            "Failed",
            f"Galtea is rate limiting: 0 deleted, {ROWS} not tried.",
        )
        assert all(fetch(api, row["id"]) is not None for row in matching_rows)
        gateway.clear()
        manager_client.post(f"/jobs/{job_id}/resume/")
        page = open_job(manager_client, job_id)
        assert (page.state, page.result) == ("Done", f"{ROWS} deleted.")
        recorded = ChangeRecord.objects.filter(object_type="phone_connections", action="delete")
        assert sorted(recorded.values_list("object_id", flat=True)) == sorted(
            row["id"] for row in matching_rows
        )

    def test_without_a_batch_route_the_rows_are_deleted_one_by_one(
        self, manager_client, gateway, api, matching_rows, marker, jobs_run_at_once
    ):
        action, data = self.confirmed(manager_client, marker)
        express_404 = "<!DOCTYPE html><html><body><pre>Cannot DELETE /phoneConnections/batch</pre>"
        gateway.fail("DELETE", self.BATCH_PATH, html_reply(express_404, 404))
        api.clear_request_log()

        job_id = started_job_id(manager_client.post(action, data))

        page = open_job(manager_client, job_id)
        assert (page.state, page.result) == ("Done", f"{ROWS} deleted.")
        singles = sorted(r["path"] for r in deleted(api))  # the batch never reached the API
        assert singles == sorted(f"/phoneConnections/{row['id']}" for row in matching_rows)
        assert ChangeRecord.objects.filter(action="delete").count() == ROWS

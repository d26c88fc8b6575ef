"""The import job against the emulator: it creates the new names, skips or updates those that
exist (only what differs is sent), never creates a name twice (the same file imported twice
creates nothing the second time), a failing row never stops the others, a 429 stops it
until Resume, each create and update is in the activity log as the person who started it,
and its report can be downloaded as CSV, formula-safe.

Jobs run inside the request that starts them (`jobs_run_at_once`).
"""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from galtea_admin.audit.models import ChangeRecord
from galtea_admin.jobs.models import Job, JobDraft, JobItem
from tests.faults.proxy import Fault
from tests.galtea.fake_upstream import RESET, error_reply
from tests.jobs.pages import open_job, started_job_id
from tests.pages import change_row, delete_row, fetch, find_by_name, writes
from tests.phone_connections.import_pages import (
    HEADER,
    IMPORT_URL,
    ImportFormPage,
    PreviewPage,
    csv_bytes,
    preview_of,
    product_named,
    start_import,
    upload,
)

pytestmark = pytest.mark.django_db

POST = "POST"


@pytest.fixture
def product(api) -> dict:
    return product_named(api, 2)


@pytest.fixture
def imported(api, marker):
    """Whatever the test imports (its names hold `marker`) is deleted afterwards."""
    yield
    for row in api.get("/phoneConnections", params={"name": marker, "limit": 1000}).json():
        delete_row(api, row["id"], missing_ok=True)


def a_file(marker: str, product: dict, count: int = 4, changes: dict | None = None) -> bytes:
    numbers = ("+14155552671", "+442079460958", "+34912345678", "+33142685300")
    rows = [HEADER]
    for n in range(count):
        row = [f"{marker} {n}", numbers[n % 4], product["name"], "no", "theo", "en-GB"]
        for index, value in (changes or {}).get(n, {}).items():
            row[index] = value
        rows.append(row)
    return csv_bytes(rows)


def previewed(client, content: bytes, name: str = "lines.csv") -> PreviewPage:
    """The preview of `content` uploaded as the file `name`."""
    return preview_of(client, upload(client, name, content))


def run_import(client, content: bytes, existing: str = "skip", name: str = "lines.csv") -> int:
    return started_job_id(start_import(client, previewed(client, content, name), existing))


def make_as_in_the_file(make_row, name: str, product: dict) -> dict:
    """A connection named `name` in `product` with the number, voice and language `a_file`
    gives its first row."""
    return make_row(
        name=name,
        productId=product["id"],
        phoneNumber="+14155552671",
        voice="theo",
        languageCode="en-GB",
    )


def refuse_create_of(gateway, name: str, status: int, message: str) -> None:
    """The proxy answers the create of `name` with Galtea's error `status`; the others go
    through."""

    def answer(request, forward):
        if request.json().get("name") == name:
            return error_reply(status, message)
        return forward(request)

    gateway.inject(Fault(f"{status} for one name", answer), POST, "/phoneConnections")


def creates(gateway) -> list[str]:
    """The names the admin asked Galtea to create, in order (as the proxy saw them)."""
    return [body["name"] for body in gateway.bodies(POST)]


def posted(emulator) -> int:
    return sum(1 for r in writes(emulator) if r["method"] == POST)


def patches(emulator) -> list[str]:
    return [r["path"].rsplit("/", 1)[-1] for r in writes(emulator) if r["method"] == "PATCH"]


def named(emulator, marker: str) -> dict[str, dict]:
    rows = emulator.get("/phoneConnections", params={"name": marker, "limit": 1000}).json()
    return {row["name"]: row for row in rows}


@pytest.mark.usefixtures("imported")
class TestImport:
    def test_the_rows_are_created_with_the_values_the_preview_showed(
        self, editor_client, api, product, marker, jobs_run_at_once
    ):
        content = a_file(marker, product, 4, changes={1: {1: "0044 20 7946 0958", 3: "Yes"}})
        job_id = run_import(editor_client, content)

        page = open_job(editor_client, job_id)
        assert page.state == "Done"
        assert page.result == "4 imported."
        assert [outcome for _, outcome, _ in page.report] == ["created"] * 4
        assert page.report[1][0] == f"“{marker} 1” (+442079460958), row 3"
        assert page.h1 == (
            "Import 4 phone connections from lines.csv, skipping the names that exist"
        )
        rows = named(api, marker)
        assert sorted(rows) == [f"{marker} {n}" for n in range(4)]
        second = rows[f"{marker} 1"]
        assert (second["phoneNumber"], second["agentSpeaksFirst"]) == ("+442079460958", True)
        assert (second["voice"], second["languageCode"], second["productId"]) == (
            "theo",
            "en-GB",
            product["id"],
        )
        recorded = ChangeRecord.objects.filter(
            action="create", object_id__in=[r["id"] for r in rows.values()]
        )
        assert recorded.count() == 4
        assert {r.username for r in recorded} == {"eddie"}
        assert {r.product_name for r in recorded} == {product["name"]}
        links = [a.attrs["href"] for a in page.doc.one("table", class_="job-report").find_all("a")]
        assert links == [f"/phone-connections/{rows[f'{marker} {n}']['id']}/" for n in range(4)]
        assert not JobDraft.objects.filter(job__isnull=True).exists()

    def test_the_same_file_twice_creates_nothing_the_second_time(
        self, editor_client, api, product, marker, jobs_run_at_once
    ):
        content = a_file(marker, product, 3)
        run_import(editor_client, content)
        api.clear_request_log()

        preview = previewed(editor_client, content)
        assert preview.counts == {"to create": 0, "to update": 0, "to skip": 3, "with problems": 0}
        job_id = started_job_id(start_import(editor_client, preview, "skip"))

        assert posted(api) == 0
        page = open_job(editor_client, job_id)
        assert page.result == "0 imported, 3 skipped."
        assert {details for _, _, details in page.report} == {
            "It exists already: skipped, as chosen."
        }
        assert len(named(api, marker)) == 3

        job_id = run_import(editor_client, content, "update")
        assert writes(api) == []  # the same values: nothing to send
        page = open_job(editor_client, job_id)
        assert {details for _, _, details in page.report} == {
            "It exists already, with these values."
        }
        assert ChangeRecord.objects.filter(action="create").count() == 3

    def test_update_sends_only_what_differs_and_skip_sends_nothing(
        self, editor_client, gateway, api, product, marker, make_row, jobs_run_at_once
    ):
        first = make_as_in_the_file(make_row, f"{marker} 0", product)
        content = a_file(marker, product, 2, changes={0: {1: "+442079460958", 3: "yes"}})

        skipped = run_import(editor_client, content, "skip")
        assert posted(api) == 1 and patches(api) == []
        assert fetch(api, first["id"])["phoneNumber"] == "+14155552671"
        assert [o for _, o, _ in open_job(editor_client, skipped).report] == ["skipped", "created"]

        api.clear_request_log()
        updated = run_import(editor_client, content, "update")
        assert patches(api) == [first["id"]]
        assert gateway.bodies("PATCH") == [
            {"phoneNumber": "+442079460958", "agentSpeaksFirst": True}
        ]
        now = fetch(api, first["id"])
        assert (now["phoneNumber"], now["agentSpeaksFirst"], now["voice"]) == (
            "+442079460958",
            True,
            "theo",
        )
        page = open_job(editor_client, updated)
        assert page.report[0][1:] == ("updated", "Updated: Phone number, Agent speaks first.")
        assert page.report[1][1] == "skipped"
        record = ChangeRecord.objects.get(action="update", object_id=first["id"])
        assert record.username == "eddie"
        assert record.changes == {
            "phone_number": ["+14155552671", "+442079460958"],
            "agent_speaks_first": [False, True],
        }

    def test_a_name_created_between_preview_and_run_is_not_created_again(
        self, editor_client, gateway, api, product, marker, make_row, jobs_run_at_once
    ):
        preview = previewed(editor_client, a_file(marker, product, 2))
        assert preview.counts["to create"] == 2
        make_row(name=f"{marker} 1", productId=product["id"])

        job_id = started_job_id(start_import(editor_client, preview, "skip"))

        assert creates(gateway) == [f"{marker} 0"]
        assert [o for _, o, _ in open_job(editor_client, job_id).report] == ["created", "skipped"]
        assert len(find_by_name(api, f"{marker} 1")) == 1

    def test_a_failing_row_never_stops_the_others(
        self, editor_client, gateway, api, product, marker, jobs_run_at_once
    ):
        failing = f"{marker} 1"
        refuse_create_of(gateway, failing, 500, "Database exploded.")
        job_id = run_import(editor_client, a_file(marker, product, 4))

        page = open_job(editor_client, job_id)
        assert page.state == "Done"
        assert page.result == "3 imported, 1 failed."
        assert page.report[1][1:] == (
            "failed",
            "Galtea had an internal error: Galtea answered with error 500.",
        )
        assert sorted(named(api, marker)) == [f"{marker} {n}" for n in (0, 2, 3)]

        gateway.clear()
        gateway.forget()
        again = run_import(editor_client, a_file(marker, product, 4))  # the same file, fixed
        assert creates(gateway) == [failing]
        assert open_job(editor_client, again).result == "1 imported, 3 skipped."

    def test_a_create_whose_answer_was_lost_is_looked_up_by_its_name(
        self, editor_client, gateway, api, product, marker, jobs_run_at_once
    ):
        arrived, lost = f"{marker} 1", f"{marker} 2"

        def drop_answers(request, forward):
            name = request.json().get("name")
            if name == arrived:
                forward(request)  # it is created; its answer never comes back
                return RESET
            if name == lost:
                return RESET  # it never got there
            return forward(request)

        gateway.inject(Fault("lost answers", drop_answers), POST, "/phoneConnections")
        job_id = run_import(editor_client, a_file(marker, product, 4))

        page = open_job(editor_client, job_id)
        assert page.result == "3 imported, 1 failed."
        assert page.report[1][1:] == ("created", "Created.")
        assert page.report[2][1] == "failed"
        assert page.report[2][2].startswith("Galtea cannot be reached")
        assert sorted(named(api, marker)) == [f"{marker} {n}" for n in (0, 1, 3)]
        assert creates(gateway).count(arrived) == 1  # looked up, not sent again

    def test_a_429_stops_the_import_and_resume_creates_nothing_twice(
        self, editor_client, gateway, api, product, marker, jobs_run_at_once
    ):
        jobs_run_at_once.GALTEA_JOB_CONCURRENCY = 1
        refuse_create_of(gateway, f"{marker} 2", 429, "Slow down.")
        job_id = run_import(editor_client, a_file(marker, product, 4))

        page = open_job(editor_client, job_id)
        assert page.state == "Failed"
        assert page.result == "Galtea is rate limiting: 2 imported, 2 not tried."
        assert "Resume" in page.buttons()
        assert creates(gateway) == [f"{marker} {n}" for n in range(3)]  # the 3rd never arrived
        gateway.clear()
        gateway.forget()

        editor_client.post(f"/jobs/{job_id}/resume/")

        assert creates(gateway) == [f"{marker} 2", f"{marker} 3"]
        assert open_job(editor_client, job_id).result == "4 imported."
        assert sorted(named(api, marker)) == [f"{marker} {n}" for n in range(4)]

    def test_an_outage_stops_the_import_and_resume_checks_what_was_under_way(
        self, editor_client, gateway, api, product, marker, jobs_run_at_once
    ):
        """Galtea goes down while the third row is sent (its create arrives, its answer is
        lost) and stays down: three rows in a row cannot be confirmed, so the job stops
        with them under way instead of failing every row. Resume finds the one that
        arrived and sends the others, each once."""
        jobs_run_at_once.GALTEA_JOB_CONCURRENCY = 1
        down = []

        def go_down_on_the_third_create(request, forward):
            if down:
                return RESET
            if request.method == POST and request.json().get("name") == f"{marker} 2":
                forward(request)
                down.append(True)
                return RESET
            return forward(request)

        gateway.inject(Fault("outage", go_down_on_the_third_create))
        job_id = run_import(editor_client, a_file(marker, product, 6))

        page = open_job(editor_client, job_id)
        assert page.state == "Failed"
        assert page.result == (
            "Galtea stopped answering (Galtea cannot be reached): 2 imported, 3 under way, 1 not"
            " tried. Whether the rows under way were changed is checked when it is resumed."
        )
        assert "failed" not in [outcome for _, outcome, _ in page.report]
        assert "Resume" in page.buttons()
        assert sorted(named(api, marker)) == [f"{marker} {n}" for n in range(3)]
        gateway.clear()
        gateway.forget()

        editor_client.post(f"/jobs/{job_id}/resume/")

        assert open_job(editor_client, job_id).result == "6 imported."
        assert creates(gateway) == [f"{marker} {n}" for n in (3, 4, 5)]  # the 3rd arrived
        rows = api.get("/phoneConnections", params={"name": marker, "limit": 100}).json()
        assert sorted(row["name"] for row in rows) == [f"{marker} {n}" for n in range(6)]

    def test_the_report_downloads_as_csv_with_formulas_escaped(
        self, editor_client, api, product, marker, jobs_run_at_once
    ):
        content = a_file(marker, product, 2, changes={1: {0: f"=1+1 {marker}"}})
        job_id = run_import(editor_client, content)
        page = open_job(editor_client, job_id)
        assert page.link("Download the report (CSV)") == f"/jobs/{job_id}/report.csv"

        answer = editor_client.get(f"/jobs/{job_id}/report.csv")

        assert answer["Content-Type"] == "text/csv; charset=utf-8"
        assert answer["Content-Disposition"] == f'attachment; filename="job-{job_id}-report.csv"'
        lines = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode())))
        assert lines[0] == [
            "#",
            "Row",
            "Outcome",
            "Details",
            "Row in the file",
            "Product",
            "Name",
            "Phone number",
            "Agent speaks first",
            "Voice",
            "Language",
            "Id in Galtea",
        ]
        ids = {row["name"]: row["id"] for row in named(api, marker).values()}
        assert lines[1] == [
            "1",
            f"“{marker} 0” (+14155552671), row 2",
            "created",
            "Created.",
            "2",
            product["name"],
            f"{marker} 0",
            "+14155552671",
            "false",
            "theo",
            "en-GB",
            ids[f"{marker} 0"],
        ]
        assert lines[2][1] == f"“=1+1 {marker}” (+442079460958), row 3"  # starts with “
        assert lines[2][6] == f"'=1+1 {marker}"  # escaped: a spreadsheet shows it as text
        assert ids[f"=1+1 {marker}"]  # imported as the text it is

    def test_a_change_someone_made_meanwhile_is_not_sent_again(
        self, editor_client, api, product, marker, make_row, jobs_run_at_once
    ):
        row = make_as_in_the_file(make_row, f"{marker} 0", product)
        preview = previewed(
            editor_client, a_file(marker, product, 1, changes={0: {1: "+442079460958"}})
        )
        change_row(api, row["id"], phoneNumber="+442079460958")  # someone made the same change
        api.clear_request_log()
        job_id = started_job_id(start_import(editor_client, preview, "update"))
        page = open_job(editor_client, job_id)
        assert page.report[0][1:] == ("skipped", "It exists already, with these values.")
        assert patches(api) == []

    def test_the_admins_own_export_imports_back_as_it_is(
        self, editor_client, api, product, marker, make_row, jobs_run_at_once
    ):
        for n in range(3):
            make_row(
                name=f"{marker} x{n}", productId=product["id"], voice="jack", languageCode="en-US"
            )
        exported = b"".join(
            editor_client.get(f"/phone-connections/export.csv?name={marker}").streaming_content
        )

        preview = previewed(editor_client, exported, "export.csv")

        assert preview.counts == {"to create": 0, "to update": 0, "to skip": 3, "with problems": 0}
        assert "“product_name”: the Product is read from “product_id”." in preview.ignored
        assert "“created_at”: not a column this import reads." in preview.ignored
        job_id = started_job_id(start_import(editor_client, preview, "update"))
        assert writes(api) == []
        page = open_job(editor_client, job_id)
        assert {details for _, _, details in page.report} == {
            "It exists already, with these values."
        }


class TestDrafts:
    def test_a_draft_older_than_a_day_is_gone(self, editor_client, api, product, marker):
        preview = previewed(editor_client, a_file(marker, product, 1))
        JobDraft.objects.update(created_at=timezone.now() - timedelta(days=1, minutes=1))

        answer = editor_client.get(preview.url)

        assert answer.status_code == 302
        assert answer["Location"] == IMPORT_URL
        assert JobDraft.objects.count() == 0
        page = ImportFormPage(editor_client.get(IMPORT_URL))
        assert "That preview is no longer kept (previews are kept for a day)" in " ".join(
            page.messages
        )

    def test_starting_a_draft_twice_starts_one_job(
        self, editor_client, api, product, marker, imported, jobs_run_at_once
    ):
        preview = previewed(editor_client, a_file(marker, product, 1))
        first = started_job_id(start_import(editor_client, preview))
        second = started_job_id(start_import(editor_client, preview))
        assert first == second
        assert posted(api) == 1


@pytest.mark.usefixtures("imported")
class TestAWorkerThatVanished:
    """A worker took the import, sent some rows and died. Resume looks them up first."""

    @staticmethod
    def interrupted(editor_client, settings, content, existing, under_way) -> int:
        """The import started (no worker takes it here), then left as a dead worker leaves
        it: running, no sign of life for long, rows `under_way` (positions) on their way."""
        job_id = started_job_id(
            start_import(editor_client, previewed(editor_client, content), existing)
        )
        job = Job.objects.get(pk=job_id)
        assert job.status == Job.Status.QUEUED  # the database backend, and no worker here
        long_ago = timezone.now() - timedelta(seconds=settings.JOB_STALE_SECONDS + 5)
        Job.objects.filter(pk=job_id).update(
            status=Job.Status.RUNNING, attempt=1, started_at=long_ago, heartbeat_at=long_ago
        )
        for position, data in under_way.items():
            item = job.items.get(position=position)
            item.status, item.attempt, item.data = JobItem.Status.SENDING, 1, {**item.data, **data}
            item.save()
        return job_id

    @staticmethod
    def resume(editor_client, settings, job_id):
        settings.TASKS = {
            "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}
        }
        editor_client.post(f"/jobs/{job_id}/resume/")

    def test_a_create_that_arrived_is_not_sent_again(
        self, editor_client, gateway, api, product, marker, settings, make_row
    ):
        job_id = self.interrupted(
            editor_client,
            settings,
            a_file(marker, product, 4),
            "skip",
            {0: {"action": "create"}, 1: {"action": "create"}},
        )
        make_row(name=f"{marker} 0", productId=product["id"])  # row 0's create had arrived
        page = open_job(editor_client, job_id)
        assert page.state == "Interrupted"
        assert page.result.startswith("The worker running it stopped: 0 imported, 2 under way")
        gateway.forget()

        self.resume(editor_client, settings, job_id)

        assert sorted(creates(gateway)) == [f"{marker} {n}" for n in (1, 2, 3)]
        page = open_job(editor_client, job_id)
        assert (page.state, page.result) == ("Done", "4 imported.")
        assert page.report[0][1:] == (
            "created",
            "Created (found in Galtea after the worker stopped).",
        )
        rows = named(api, marker)
        assert len(rows) == 4
        recorded = ChangeRecord.objects.filter(
            action="create", object_id__in=[r["id"] for r in rows.values()]
        )
        assert sorted(r.object_label for r in recorded) == sorted(rows)
        assert {r.username for r in recorded} == {"eddie"}

    def test_an_update_that_arrived_is_not_sent_again(
        self, editor_client, gateway, api, product, marker, settings, make_row
    ):
        first = make_as_in_the_file(make_row, f"{marker} 0", product)
        second = make_as_in_the_file(make_row, f"{marker} 1", product)
        content = a_file(
            marker, product, 2, changes={0: {1: "+33142685300"}, 1: {1: "+33142685300"}}
        )
        before = {"before": {"phone_number": "+14155552671"}, "action": "update"}
        job_id = self.interrupted(
            editor_client,
            settings,
            content,
            "update",
            {0: {**before, "id": first["id"]}, 1: {**before, "id": second["id"]}},
        )
        change_row(api, first["id"], phoneNumber="+33142685300")  # row 0's change had arrived
        assert open_job(editor_client, job_id).state == "Interrupted"
        gateway.forget()

        self.resume(editor_client, settings, job_id)

        assert gateway.paths("PATCH") == [f"/phoneConnections/{second['id']}"]
        assert fetch(api, second["id"])["phoneNumber"] == "+33142685300"
        page = open_job(editor_client, job_id)
        assert (page.state, page.result) == ("Done", "2 imported.")
        assert [o for _, o, _ in page.report] == ["updated", "updated"]
        recorded = ChangeRecord.objects.filter(action="update").order_by("object_label")
        assert [(r.object_id, r.changes) for r in recorded] == [
            (first["id"], {"phone_number": ["+14155552671", "+33142685300"]}),
            (second["id"], {"phone_number": ["+14155552671", "+33142685300"]}),
        ]

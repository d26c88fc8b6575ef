"""Galtea failing in every way the admin can meet, on every page that talks to it.

A fault-injecting proxy sits between the admin and the session emulator. Each test opens a
page with Galtea healthy (which also warms the cached product and voice lookups, as in real
use), turns one fault on for the one upstream call that page's action depends on, acts, and
checks what a person sees: a page or a kept form in the admin's own look with the fault's
status, nothing recorded as done in the activity log, and one log line without the API key.
Then the fault clears and the same action, repeated as a person would, works again.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest

from galtea_admin.audit.models import ChangeRecord
from galtea_admin.galtea.errors import (
    GalteaBadAnswer,
    GalteaError,
    GalteaForbidden,
    GalteaRateLimited,
    GalteaServerError,
    GalteaTimeout,
    GalteaUnauthorized,
    GalteaUnavailable,
)
from tests.faults.conftest import READ_TIMEOUT
from tests.faults.proxy import (
    REFUSED,
    Fault,
    hang,
    hang_after_headers,
    html_ok,
    html_page,
    missing_field,
    reset,
    slow,
    status,
    truncated_json,
    wrong_container,
)
from tests.pages import (
    CREATE_URL,
    LIST_URL,
    FormPage,
    Page,
    create_row,
    delete_row,
    delete_url,
    detail_url,
    edit_url,
    fetch,
    find_by_name,
)

pytestmark = pytest.mark.django_db

CLIENT_LOGGER = "galtea_admin.galtea.client"
RESOURCE = "/phoneConnections"
# An answer held back this long is slow but in time: the admin must wait for it.
JUST_IN_TIME = 0.7 * READ_TIMEOUT


def unique_name(prefix: str = "Fault test line") -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


# --- The faults ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A fault and what a person must be told about it (status None: it must just work)."""

    id: str
    fault: Fault
    status: int | None = None
    error: type[GalteaError] | None = None
    # A fault in the answer's body: a delete does not read its answer's body, so these hit
    # the read that comes before the delete instead.
    in_the_shape: bool = False

    @property
    def fails(self) -> bool:
        return self.status is not None

    @property
    def is_the_key(self) -> bool:
        return self.error is GalteaUnauthorized

    @property
    def is_configuration(self) -> bool:
        """A refused key: the admin's configuration must change."""
        return self.error is GalteaUnauthorized

    @property
    def is_permission(self) -> bool:
        """A key whose grant does not cover this: a permission, not a configuration."""
        return self.error is GalteaForbidden

    def has_title(self, text: str) -> bool:
        if self.is_permission:
            return text.startswith("Galtea does not allow this API key to ")
        return self.error.title in text


CASES = [
    Case("refused", REFUSED, 503, GalteaUnavailable),
    Case("hang", hang(), 504, GalteaTimeout),
    Case("hang-after-headers", hang_after_headers(), 504, GalteaTimeout),
    Case("reset", reset(), 503, GalteaUnavailable),
    Case("slow", slow(JUST_IN_TIME)),
    Case("500", status(500, "Internal Server Error"), 502, GalteaServerError),
    Case("502-html", html_page(502), 502, GalteaServerError),
    Case("503", status(503, "Service Unavailable"), 502, GalteaServerError),
    Case("429", status(429, "Too many requests", **{"Retry-After": "30"}), 503, GalteaRateLimited),
    Case("401-revoked-key", status(401, "Invalid API key"), 502, GalteaUnauthorized),
    Case("403", status(403, "This key may not do that."), 403, GalteaForbidden),
    Case("html-200", html_ok(), 502, GalteaBadAnswer),
    Case("truncated-json", truncated_json(), 502, GalteaBadAnswer),
    # An object where the contract has a list, a list where it has an object.
    Case("wrong-container", wrong_container(), 502, GalteaBadAnswer, in_the_shape=True),
    Case("missing-field", missing_field("name"), 502, GalteaBadAnswer, in_the_shape=True),
]


# --- What a person sees ----------------------------------------------------------------------


def assert_in_the_admins_look(page: Page) -> None:
    assert page.doc.one("a", class_="brand").text == "Galtea Admin"
    assert page.doc.find("link", rel="stylesheet") is not None
    assert page.doc.find("nav", class_="mainnav") is not None


def assert_problem_page(response, case: Case, *, retry_url: str) -> None:
    """The admin's own error page, with the fault's status, title and a way on."""
    page = Page(response)
    assert page.status == case.status, response.get("Location") or page.html
    assert response["Content-Type"].startswith("text/html")
    assert_in_the_admins_look(page)
    problem = page.doc.one("section", class_="problem")
    assert case.has_title(page.h1), page.h1
    assert LIST_URL in [a.attrs.get("href") for a in problem.find_all("a")]
    assert [a.attrs["href"] for a in page.links("Back to phone connections")] == [LIST_URL]
    try_again = [a.attrs["href"] for a in page.links("Try again")]
    assert "Nothing was changed" in problem.text
    if case.is_permission:
        assert "API key" in problem.text
        assert "configuration" not in problem.text
        assert try_again == []
    elif case.is_configuration:
        assert "API key" in problem.text
        if case.error is GalteaUnauthorized:
            assert "GALTEA_API_KEY" in problem.text
        assert "try again" not in problem.text.lower()
        assert try_again == []
    else:
        assert try_again == [retry_url]


def assert_form_kept(response, case: Case, typed: dict[str, str]) -> FormPage:
    """The form again, every typed value in place, "Nothing was saved" above it."""
    page = FormPage(response)
    assert page.status == case.status, page.html
    assert_in_the_admins_look(page)
    assert page.alert_text.startswith("Nothing was saved."), page.alert_text
    assert page.html.index("Nothing was saved.") < page.html.index("data-submit-once")
    assert case.has_title(page.alert_text.removeprefix("Nothing was saved. ")), page.alert_text
    for name, value in typed.items():
        assert page.value(name) == value, name
    if case.is_the_key:
        assert "API key" in page.alert_text
        assert "try again" not in page.alert_text.lower()
    return page


def client_warnings(caplog, ignored_path: str | None = None) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name == CLIENT_LOGGER
        and record.levelno >= logging.WARNING
        and not (ignored_path and f" {ignored_path} failed" in record.getMessage())
    ]


def assert_one_log_line(
    caplog, api_key: str, method: str, path: str, ignored_path: str | None = None
) -> None:
    warnings = client_warnings(caplog, ignored_path)
    assert len(warnings) == 1, [record.getMessage() for record in warnings]
    line = warnings[0].getMessage()
    assert re.search(rf"\b{method} {re.escape(path)} failed\b", line), line
    assert api_key not in line
    assert "?" not in line, "the query string stays out of the log"


# --- The pages and forms ---------------------------------------------------------------------


@dataclass
class Opened:
    """What a person has in front of them before acting."""

    url: str
    data: dict[str, str] = field(default_factory=dict)
    typed: dict[str, str] = field(default_factory=dict)


class Surface:
    """One page or form that talks to Galtea, as a person uses it."""

    id: str
    role: str = "operator"
    method = "GET"

    def path(self, row: dict) -> str:
        return RESOURCE

    def target(self, case: Case, row: dict) -> tuple[str, str]:
        """The upstream call the fault hits."""
        return self.method, self.path(row)

    def failing_call(self, case: Case, row: dict) -> tuple[str, str]:
        """The upstream call the admin logs as failed."""
        return self.target(case, row)

    def open(self, client, row: dict) -> Opened:
        raise NotImplementedError

    def act(self, client, opened: Opened):
        return client.get(opened.url)

    def again(self, client, opened: Opened, failed) -> object:
        """The same action repeated, as a person does after a failure."""
        return self.act(client, opened)

    def check_failed(self, response, case: Case, opened: Opened, api, row: dict) -> None:
        assert_problem_page(response, case, retry_url=opened.url)

    def check_done(self, response, opened: Opened, api, row: dict) -> None:
        raise NotImplementedError


class ListSurface(Surface):
    id = "list"

    def open(self, client, row):
        url = f"{LIST_URL}?{urlencode({'name': row['name'], 'sort': 'name', 'per_page': 50})}"
        assert client.get(url).status_code == 200
        return Opened(url)

    def check_done(self, response, opened, api, row):
        page = Page(response)
        assert page.status == 200
        assert row["name"] in page.main_text


class ExportSurface(ListSurface):
    id = "export"

    def open(self, client, row):
        assert client.get(LIST_URL).status_code == 200
        return Opened(f"/phone-connections/export.csv?{urlencode({'name': row['name']})}")

    def check_done(self, response, opened, api, row):
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/csv")
        text = b"".join(response.streaming_content).decode()
        rows = list(csv.DictReader(io.StringIO(text)))
        assert [r["name"] for r in rows] == [row["name"]]


class DetailSurface(Surface):
    id = "detail"

    def path(self, row):
        return f"{RESOURCE}/{row['id']}"

    def open(self, client, row):
        url = f"{detail_url(row['id'])}?{urlencode({'next': LIST_URL + '?sort=name'})}"
        assert client.get(LIST_URL).status_code == 200
        return Opened(url)

    def check_done(self, response, opened, api, row):
        page = Page(response)
        assert page.status == 200
        assert page.h1 == row["name"]


class FormSurface(Surface):
    """A form: posted once, and after a failure posted again from the form it came back as."""

    def act(self, client, opened):
        return client.post(opened.url, opened.data)

    def again(self, client, opened, failed):
        return client.post(opened.url, FormPage(failed).submission_data())


class CreateSurface(FormSurface):
    id = "create"
    role = "editor"
    method = "POST"

    def open(self, client, row):
        next_url = f"{LIST_URL}?sort=name&per_page=50"
        url = f"{CREATE_URL}?{urlencode({'next': next_url})}"
        page = FormPage(client.get(url))
        assert page.status == 200
        typed = {
            "product": row["productId"],
            "name": unique_name(),
            "phone_number": "+1 (415) 555-2671",
            "voice": "theo",
            "language_code": "fr",
            "agent_speaks_first": "true",
            "next": next_url,
        }
        data = page.submission_data(**typed)
        typed["submission"] = data["submission"]
        return Opened(url, data, typed)

    def check_failed(self, response, case, opened, api, row):
        assert_form_kept(response, case, opened.typed)
        assert find_by_name(api, opened.typed["name"]) == []

    def check_done(self, response, opened, api, row):
        assert response.status_code == 302
        assert response["Location"] == opened.typed["next"]
        (created,) = find_by_name(api, opened.typed["name"])
        assert created["phoneNumber"] == "+14155552671"
        (record,) = ChangeRecord.objects.all()
        assert (record.action, record.object_id) == ("create", created["id"])


class EditSurface(FormSurface):
    id = "edit"
    role = "editor"
    method = "PATCH"

    def path(self, row):
        return f"{RESOURCE}/{row['id']}"

    def failing_call(self, case, row):
        if case.fault.refuses:
            return "GET", self.path(row)  # the edit reads the connection first
        return super().failing_call(case, row)

    def open(self, client, row):
        next_url = f"{LIST_URL}?sort=-name"
        url = f"{edit_url(row['id'])}?{urlencode({'next': next_url})}"
        page = FormPage(client.get(url))
        assert page.status == 200
        typed = {
            "name": unique_name("Renamed fault test line"),
            "phone_number": "0044 20 7946 0958",
            "voice": "jack",
            "language_code": "es-419",
            "agent_speaks_first": "true",
            "next": next_url,
        }
        data = page.submission_data(**typed)
        typed["original"] = data["original"]
        return Opened(url, data, typed)

    def check_failed(self, response, case, opened, api, row):
        assert_form_kept(response, case, opened.typed)
        assert fetch(api, row["id"])["name"] == row["name"]

    def check_done(self, response, opened, api, row):
        assert response.status_code == 302
        assert response["Location"] == opened.typed["next"]
        now = fetch(api, row["id"])
        assert (now["name"], now["phoneNumber"]) == (opened.typed["name"], "+442079460958")
        (record,) = ChangeRecord.objects.all()
        assert (record.action, record.object_id) == ("update", row["id"])


class DeleteSurface(Surface):
    id = "delete"
    role = "manager"
    method = "DELETE"

    def path(self, row):
        return f"{RESOURCE}/{row['id']}"

    def target(self, case, row):
        if case.in_the_shape:
            return "GET", self.path(row)  # the delete reads the connection first
        return super().target(case, row)

    def failing_call(self, case, row):
        if case.fault.refuses:
            return "GET", self.path(row)
        return super().failing_call(case, row)

    def open(self, client, row):
        next_url = f"{LIST_URL}?sort=name"
        url = f"{delete_url(row['id'])}?{urlencode({'next': next_url})}"
        assert client.get(url).status_code == 200
        return Opened(url, {"next": next_url}, {"next": next_url})

    def act(self, client, opened):
        return client.post(opened.url, opened.data)

    def check_failed(self, response, case, opened, api, row):
        if case.is_permission and not case.fault.refuses:
            # The confirmation again, the API's refusal at its top.
            page = Page(response)
            assert page.status == 403
            alert = page.doc.one("div", class_="alert-error").text
            assert "Nothing was deleted. Galtea does not allow this API key to delete" in alert
            assert "This key may not do that." in alert
            assert page.doc.find("form", data_submit_once=True) is not None
        else:
            assert_problem_page(response, case, retry_url=opened.url)
        assert fetch(api, row["id"]) is not None, "the connection must still be there"

    def check_done(self, response, opened, api, row):
        assert response.status_code == 302
        assert response["Location"] == opened.typed["next"]
        assert fetch(api, row["id"]) is None
        (record,) = ChangeRecord.objects.all()
        assert (record.action, record.object_id) == ("delete", row["id"])


SURFACES = [
    ListSurface(),
    DetailSurface(),
    CreateSurface(),
    EditSurface(),
    DeleteSurface(),
    ExportSurface(),
]


@pytest.fixture
def rows(emulator):
    """Phone connections of this test's own, deleted afterwards."""
    made: list[dict] = []

    def make() -> dict:
        made.append(create_row(emulator, name=unique_name(), phoneNumber="+34912345678"))
        return made[-1]

    yield make
    for row in made:
        if fetch(emulator, row["id"]) is not None:
            delete_row(emulator, row["id"])


@pytest.fixture
def forget_created(emulator):
    """Names this test creates through the admin, deleted from the emulator afterwards."""
    names: list[str] = []
    yield names
    for name in names:
        for found in find_by_name(emulator, name):
            delete_row(emulator, found["id"])


# --- The matrix ------------------------------------------------------------------------------


@pytest.mark.parametrize("surface", SURFACES, ids=lambda s: s.id)
@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_fault_is_reported_and_the_admin_recovers(
    request, client, proxy, emulator, rows, forget_created, caplog, case, surface
):
    client.force_login(request.getfixturevalue(surface.role))
    row = rows()
    opened = surface.open(client, row)
    if "name" in opened.typed:
        forget_created.append(opened.typed["name"])
    method, path = surface.target(case, row)
    proxy.inject(case.fault, method, re.escape(path))
    caplog.set_level(logging.WARNING, logger=CLIENT_LOGGER)
    caplog.clear()

    response = surface.act(client, opened)

    if not case.fails:
        surface.check_done(response, opened, emulator, row)
        assert client_warnings(caplog) == []
        return
    surface.check_failed(response, case, opened, emulator, row)
    assert not ChangeRecord.objects.exists(), "nothing failed may be recorded as done"
    assert_one_log_line(caplog, emulator.api_key, *surface.failing_call(case, row))
    assert emulator.api_key not in response.content.decode()

    proxy.clear()
    caplog.clear()
    surface.check_done(surface.again(client, opened, response), opened, emulator, row)
    assert client_warnings(caplog) == []


# --- A connection deleted in the meantime (404) ----------------------------------------------


class TestDeletedMeanwhile:
    """Someone deletes the connection between opening a page and acting on it."""

    def test_the_detail_is_a_404_page(self, client, operator, proxy, emulator, rows, caplog):
        client.force_login(operator)
        row = rows()
        assert client.get(detail_url(row["id"])).status_code == 200
        delete_row(emulator, row["id"])
        caplog.set_level(logging.WARNING, logger=CLIENT_LOGGER)
        caplog.clear()

        page = Page(client.get(detail_url(row["id"])))

        assert page.status == 404
        assert page.h1 == "Not found"
        assert_in_the_admins_look(page)
        assert page.links("Try again") == []
        assert [a.attrs["href"] for a in page.links("Back to phone connections")] == [LIST_URL]
        assert_one_log_line(caplog, emulator.api_key, "GET", f"{RESOURCE}/{row['id']}")

    def test_the_edit_form_is_kept_with_a_404(self, client, editor, proxy, emulator, rows, caplog):
        client.force_login(editor)
        row = rows()
        opened = EditSurface().open(client, row)
        delete_row(emulator, row["id"])
        caplog.set_level(logging.WARNING, logger=CLIENT_LOGGER)
        caplog.clear()

        page = FormPage(client.post(opened.url, opened.data))

        assert page.status == 404
        assert_in_the_admins_look(page)
        assert "Someone deleted this phone connection" in page.alert_text
        assert "nothing was saved" in page.alert_text
        for name, value in opened.typed.items():
            assert page.value(name) == value, name
        assert not ChangeRecord.objects.exists()
        assert [r["name"] for r in find_by_name(emulator, opened.typed["name"])] == []
        assert_one_log_line(caplog, emulator.api_key, "GET", f"{RESOURCE}/{row['id']}")

    def test_the_delete_says_it_was_gone_already(
        self, client, manager, proxy, emulator, rows, caplog
    ):
        client.force_login(manager)
        row = rows()
        opened = DeleteSurface().open(client, row)
        delete_row(emulator, row["id"])

        response = client.post(opened.url, opened.data, follow=True)

        assert response.redirect_chain == [(opened.typed["next"], 302)]
        assert Page(response).messages == ["That phone connection had already been deleted."]
        assert not ChangeRecord.objects.exists()


# --- Bulk delete: one failure, reported per row ----------------------------------------------

BULK_DELETE_URL = "/phone-connections/bulk-delete/"
BATCH_PATH = f"{RESOURCE}/batch"


@pytest.mark.parametrize(
    "case",
    [case for case in CASES if case.fails and not case.fault.refuses and not case.in_the_shape],
    ids=lambda c: c.id,
)
def test_a_failed_delete_in_a_bulk_delete_is_reported_for_its_row(
    client, manager, proxy, emulator, rows, caplog, case
):
    client.force_login(manager)
    kept, failing = rows(), rows()
    next_url = f"{LIST_URL}?sort=name"
    # An API without the batch route: the admin deletes one by one.
    proxy.inject(html_page(404), "DELETE", re.escape(BATCH_PATH))
    proxy.inject(case.fault, "DELETE", re.escape(f"{RESOURCE}/{failing['id']}"))
    caplog.set_level(logging.WARNING, logger=CLIENT_LOGGER)
    caplog.clear()

    response = client.post(
        BULK_DELETE_URL,
        {"ids": [kept["id"], failing["id"]], "confirm": "yes", "next": next_url},
        follow=True,
    )

    assert response.redirect_chain == [(next_url, 302)]
    page = Page(response)
    assert page.messages[0] == "Deleted 1 phone connection.", page.messages
    (failed,) = page.messages[1:]
    assert failed.startswith(f"Could not delete “{failing['name']}” (+34912345678): ")
    assert case.has_title(failed.split(": ", 1)[1]), failed
    if case.is_the_key:
        assert "API key" in failed
    assert fetch(emulator, kept["id"]) is None
    assert fetch(emulator, failing["id"]) is not None
    (record,) = ChangeRecord.objects.all()
    assert (record.action, record.object_id) == ("delete", kept["id"])
    assert_one_log_line(
        caplog, emulator.api_key, "DELETE", f"{RESOURCE}/{failing['id']}", ignored_path=BATCH_PATH
    )

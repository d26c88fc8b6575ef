"""What uses a connection, its recordings, and attaching or detaching it, with Galtea failing.

The same faults as the upstream matrix (test_upstream_faults.py), each aimed at one upstream
call: the versions that call a connection (GET /versions), their latest calls (GET /sessions),
a call and the link to its recording (GET /sessions/{id}, GET
/storage/generate-get-presigned-url), and the PATCH that attaches or detaches a version. A
refused connection takes every call down at once, so a dropped connection (reset) stands for
it here. Each test checks what a person sees: the rest of the page still there and the panel
saying what failed; a JSON error with the right status from the recording endpoint; "nothing
was changed" and nothing in the activity log after a failed write. Then the fault clears and
the same action works.
"""

from __future__ import annotations

import dataclasses
import json
import logging
import re
from urllib.parse import urlencode

import pytest
import requests

from galtea_admin.audit.models import ChangeRecord
from galtea_admin.galtea.errors import GalteaNoSuchRoute, GalteaRateLimited
from tests.faults.proxy import html_page, missing_field
from tests.faults.test_upstream_faults import (
    CASES,
    CLIENT_LOGGER,
    Case,
    assert_in_the_admins_look,
    assert_one_log_line,
    client_warnings,
)
from tests.galtea.fake_upstream import error_reply, json_reply
from tests.pages import Page, create_row, delete_row, delete_url, detail_url, fetch, unique_name

pytestmark = pytest.mark.django_db

VERSIONS_PATH = "/versions"
SESSIONS_PATH = "/sessions"
PRESIGN_PATH = "/storage/generate-get-presigned-url"
BUSY = "Galtea is sending too many recordings just now: try again in a minute."
SLOW_DOWN = "Galtea asked the admin to slow down: try again in a minute."


def one_call_cases(required_field: str, *, failing_only: bool = False) -> list[Case]:
    """The matrix's faults for one call: a dropped connection instead of a refused one, a
    gateway's HTML 404 (no such route) added, and the missing field one this call needs."""
    cases = []
    for case in CASES:
        if case.fault.refuses or (failing_only and not case.fails):
            continue
        if case.id == "missing-field":
            case = dataclasses.replace(case, fault=missing_field(required_field))
        cases.append(case)
    return [*cases, Case("404-html", html_page(404), 502, GalteaNoSuchRoute)]


def representative(cases: list[Case]) -> list[Case]:
    """One fault of each kind a person is told apart (a timeout, no connection, a server
    error, a refused key, a refused permission, a garbled answer): for a second page making
    a call that the full matrix already puts through every fault."""
    kinds = ("hang", "reset", "500", "401-revoked-key", "403", "truncated-json")
    return [case for case in cases if case.id in kinds]


def ids(case: Case) -> str:
    return case.id


def says_why(case: Case, text: str) -> bool:
    """Whether `text` names what failed: the error's title, or what the key may not do."""
    if case.is_permission:
        return "Galtea does not allow this API key to " in text
    return case.error.title in text


# --- The emulator's data ---------------------------------------------------------------------


def versions_calling(emulator, connection_id: str) -> list[dict]:
    response = emulator.get(VERSIONS_PATH, params={"phoneConnectionIds[]": connection_id})
    assert response.status_code == 200, response.text
    return response.json()


def version(emulator, version_id: str) -> dict:
    response = emulator.get(f"{VERSIONS_PATH}/{version_id}")
    assert response.status_code == 200, response.text
    return response.json()


def point_at(emulator, version_id: str, connection_id: str | None) -> dict:
    """Make a version call `connection_id` (None: nothing) behind the admin's back."""
    response = requests.patch(
        f"{emulator.url}{VERSIONS_PATH}/{version_id}",
        json={"phoneConnectionId": connection_id},
        headers=emulator.auth,
        timeout=10,
    )
    assert response.status_code == 200, response.text
    return response.json()


@pytest.fixture(scope="module")
def used_connection(emulator) -> dict:
    """A seeded phone connection that several versions call, with recorded calls."""
    response = emulator.get(
        VERSIONS_PATH, params={"excludePhoneConnectionIds[]": "", "limit": 1000}
    )
    counts: dict[str, int] = {}
    for row in response.json():
        if row["phoneConnectionId"]:
            counts[row["phoneConnectionId"]] = counts.get(row["phoneConnectionId"], 0) + 1
    for connection_id, count in sorted(counts.items(), key=lambda item: -item[1]):
        connection = fetch(emulator, connection_id)
        if count >= 2 and connection is not None:
            return connection
    pytest.fail("the emulator has no phone connection that several versions call")


@pytest.fixture(scope="module")
def used_webrtc_connection(emulator) -> dict:
    """A seeded WebRTC connection that a version calls."""
    params = {"excludeWebRtcConnectionIds[]": "", "limit": 1000}
    for row in emulator.get(VERSIONS_PATH, params=params).json():
        response = emulator.get(f"/webRtcConnections/{row['webRtcConnectionId']}")
        if response.status_code == 200:
            return response.json()
    pytest.fail("the emulator has no WebRTC connection that a version calls")


@pytest.fixture(scope="module")
def recorded_call(emulator, used_connection) -> dict:
    """A seeded call with a recording, made for a version of `used_connection`."""
    version_ids = [row["id"] for row in versions_calling(emulator, used_connection["id"])]
    params = {"versionIds[]": version_ids, "limit": 100}
    calls = emulator.get(SESSIONS_PATH, params=params).json()
    return next(call for call in calls if call["recordingUri"])


@pytest.fixture
def playable(settings, emulator):
    """The emulator serves its recordings itself, at the address the admin's requests reached
    it at: the proxy forwards them there, so that is where the links point."""
    settings.GALTEA_RECORDING_ORIGINS = (emulator.url,)


@pytest.fixture(scope="module")
def free_version(emulator) -> dict:
    """A version that calls nothing (else one that calls a phone connection): tests point it
    at a connection of their own and put it back."""
    rows = emulator.get(VERSIONS_PATH, params={"limit": 1000}).json()
    targets = ("phoneConnectionId", "webRtcConnectionId", "conversationEndpointConnectionId")
    untargeted = [row for row in rows if not any(row[target] for target in targets)]
    if untargeted:
        return untargeted[0]
    return next(row for row in rows if not any(row[target] for target in targets[1:]))


@pytest.fixture
def own_connection(emulator, free_version):
    """A phone connection of this test's own in the product of `free_version`, and that
    version; what the version calls is put back afterwards."""
    name = unique_name("Usage fault line")
    connection = create_row(emulator, name=name, productId=free_version["productId"])
    yield connection, free_version
    point_at(emulator, free_version["id"], free_version["phoneConnectionId"])
    delete_row(emulator, connection["id"], missing_ok=True)


# --- What a person sees ----------------------------------------------------------------------


def panel(page: Page, title_id: str):
    return page.doc.one("section", aria_labelledby=title_id)


def used_by_names(page: Page) -> list[str]:
    body = panel(page, "used-by-title").find("tbody")
    return [td.text for td in body.find_all("td", class_="cell-name")] if body else []


def recording_players(page: Page) -> list[str]:
    """The recording endpoint of each Play button in "Recent calls"."""
    box = panel(page, "recent-calls-title")
    return [div.attrs["data-recording"] for div in box.find_all("div", class_="player")]


def panel_alert(page: Page, title_id: str) -> str:
    alert = panel(page, title_id).find("div", role="alert")
    return alert.text if alert else ""


def assert_connection_details(page: Page, connection: dict) -> None:
    assert page.status == 200, page.html
    assert_in_the_admins_look(page)
    assert page.h1 == connection["name"]
    assert connection["id"] in page.main_text
    assert page.doc.one("section", aria_label="Details") is not None


def json_answer(response) -> dict:
    """The recording endpoint's answer: JSON, never a page or a traceback."""
    assert response["Content-Type"] == "application/json", response["Content-Type"]
    text = response.content.decode()
    assert "Traceback" not in text
    assert "<" not in text, text
    return json.loads(text)


def assert_recording_error(response, case: Case, step: str) -> None:
    answer = json_answer(response)
    assert list(answer) == ["error"], answer
    if case.error is GalteaRateLimited:
        # Refused transfers are about recordings; a refused read of the call is not.
        expected = BUSY if step == "link" else SLOW_DOWN
        assert (response.status_code, answer["error"]) == (429, expected)
        return
    assert response.status_code == case.status, answer
    assert says_why(case, answer["error"]), answer
    if case.is_the_key:
        assert "API key" in answer["error"]


def assert_plays(response, emulator) -> None:
    """A link that answers the recording's WAV."""
    answer = json_answer(response)
    assert response.status_code == 200, answer
    assert list(answer) == ["url"]
    assert answer["url"].startswith(emulator.url + "/recordings/")
    audio = requests.get(answer["url"], timeout=10)
    assert audio.status_code == 200
    assert audio.headers["Content-Type"] == "audio/wav"
    assert audio.content[:4] == b"RIFF"


def recording_url(session_id: str) -> str:
    return f"/sessions/{session_id}/recording/"


def attach_url(connection_id: str) -> str:
    return f"/phone-connections/{connection_id}/versions/attach/"


def detach_url(connection_id: str, version_id: str) -> str:
    return f"/phone-connections/{connection_id}/versions/{version_id}/detach/"


def watch_log(caplog) -> None:
    caplog.set_level(logging.WARNING, logger=CLIENT_LOGGER)
    caplog.clear()


# --- A connection's page: "Used by" and "Recent calls" ---------------------------------------


@pytest.mark.parametrize("case", one_call_cases("name"), ids=ids)
def test_the_versions_failing_leave_the_connection_page_usable(
    client, operator, proxy, emulator, used_connection, caplog, case
):
    client.force_login(operator)
    url = detail_url(used_connection["id"])
    assert client.get(url).status_code == 200  # the cached lookups warmed, as in real use
    proxy.inject(case.fault, "GET", re.escape(VERSIONS_PATH))
    proxy.forget()
    watch_log(caplog)

    page = Page(client.get(url))

    assert_connection_details(page, used_connection)
    calling = sorted(row["name"] for row in versions_calling(emulator, used_connection["id"]))
    if not case.fails:
        assert used_by_names(page) == calling
        assert recording_players(page)
        assert client_warnings(caplog) == []
        return
    used_by = panel_alert(page, "used-by-title")
    assert used_by.startswith("The versions that call this phone connection could not be read.")
    assert says_why(case, used_by), used_by
    assert used_by_names(page) == []
    assert page.links("Attach to a version…") == []
    assert panel_alert(page, "recent-calls-title") == (
        "The latest calls could not be read. "
        "The versions could not be read, so neither can their calls."
    )
    assert SESSIONS_PATH not in proxy.paths("GET"), "no calls are asked for without versions"
    assert_one_log_line(caplog, emulator.api_key, "GET", VERSIONS_PATH)
    assert emulator.api_key not in page.html

    proxy.clear()
    again = Page(client.get(url))
    assert used_by_names(again) == calling
    assert panel_alert(again, "recent-calls-title") == ""


@pytest.mark.parametrize("case", one_call_cases("status", failing_only=True), ids=ids)
def test_the_calls_failing_leave_used_by_intact(
    client, editor, proxy, emulator, used_connection, caplog, case
):
    client.force_login(editor)
    url = detail_url(used_connection["id"])
    assert client.get(url).status_code == 200
    proxy.inject(case.fault, "GET", re.escape(SESSIONS_PATH))
    watch_log(caplog)

    page = Page(client.get(url))

    assert_connection_details(page, used_connection)
    calling = versions_calling(emulator, used_connection["id"])
    assert used_by_names(page) == sorted(row["name"] for row in calling)
    assert panel_alert(page, "used-by-title") == ""
    assert [a.attrs["href"] for a in page.links("Attach to a version…")] == [
        attach_url(used_connection["id"])
    ]
    calls = panel_alert(page, "recent-calls-title")
    assert calls.startswith("The latest calls could not be read. "), calls
    assert says_why(case, calls), calls
    assert recording_players(page) == []
    assert_one_log_line(caplog, emulator.api_key, "GET", SESSIONS_PATH)

    proxy.clear()
    again = Page(client.get(url))
    assert panel_alert(again, "recent-calls-title") == ""
    assert recording_players(again)


@pytest.mark.parametrize("case", representative(one_call_cases("name")), ids=ids)
def test_the_versions_failing_leave_a_webrtc_connection_page_usable(
    client, operator, proxy, emulator, used_webrtc_connection, case
):
    client.force_login(operator)
    url = f"/webrtc-connections/{used_webrtc_connection['id']}/"
    assert client.get(url).status_code == 200
    proxy.inject(case.fault, "GET", re.escape(VERSIONS_PATH))

    page = Page(client.get(url))

    assert_connection_details(page, used_webrtc_connection)
    used_by = panel_alert(page, "used-by-title")
    assert used_by.startswith("The versions that call this WebRTC connection could not be read.")
    assert says_why(case, used_by), used_by
    assert panel_alert(page, "recent-calls-title") == (
        "The latest calls could not be read. "
        "The versions could not be read, so neither can their calls."
    )


# --- A call's recording ----------------------------------------------------------------------


@pytest.mark.parametrize("step", ["call", "link"])
@pytest.mark.parametrize("case", one_call_cases("id", failing_only=True), ids=ids)
def test_the_recording_endpoint_answers_a_json_error(
    client, operator, proxy, playable, emulator, recorded_call, caplog, case, step
):
    """The call read (GET /sessions/{id}) or its link asked for fails: an error in JSON."""
    client.force_login(operator)
    if step == "call":
        path = f"{SESSIONS_PATH}/{recorded_call['id']}"
    else:
        path = PRESIGN_PATH
        if case.id == "missing-field":
            case = dataclasses.replace(case, fault=missing_field("downloadPresignedUrl"))
    proxy.inject(case.fault, "GET", re.escape(path))
    watch_log(caplog)

    response = client.get(recording_url(recorded_call["id"]))

    assert_recording_error(response, case, step)
    assert emulator.api_key not in response.content.decode()
    assert_one_log_line(caplog, emulator.api_key, "GET", path)

    proxy.clear()
    assert_plays(client.get(recording_url(recorded_call["id"])), emulator)


GARBLED_LINKS = [
    pytest.param({}, id="no-link"),
    pytest.param({"downloadPresignedUrl": None}, id="null-link"),
    pytest.param({"downloadPresignedUrl": 42}, id="a-number"),
    pytest.param({"downloadPresignedUrl": "ftp://storage.example/call.wav"}, id="ftp"),
    pytest.param({"downloadPresignedUrl": "javascript:alert(1)"}, id="javascript"),
    pytest.param({"downloadPresignedUrl": "/recordings/call.wav"}, id="relative"),
    pytest.param(["https://storage.example/call.wav"], id="a-list"),
]


@pytest.mark.parametrize("answer", GARBLED_LINKS)
def test_a_garbled_recording_link_is_not_passed_on(
    client, operator, proxy, playable, emulator, recorded_call, answer
):
    client.force_login(operator)
    proxy.fail("GET", re.escape(PRESIGN_PATH), json_reply(answer))

    response = client.get(recording_url(recorded_call["id"]))

    assert response.status_code == 502
    assert json_answer(response) == {"error": "Galtea answered in a way the admin did not expect."}


def test_a_link_elsewhere_than_the_recording_origins_is_not_passed_on(
    client, operator, proxy, playable, recorded_call
):
    client.force_login(operator)
    link = "https://storage.elsewhere.example/recordings/call.wav?signature=abc"
    proxy.fail("GET", re.escape(PRESIGN_PATH), json_reply({"downloadPresignedUrl": link}))

    response = client.get(recording_url(recorded_call["id"]))

    assert response.status_code == 502
    answer = json_answer(response)
    assert answer == {
        "error": "The recording is stored where this admin is not set up to play it from."
    }
    assert "elsewhere" not in response.content.decode()


def test_a_recording_missing_from_storage_is_a_404(
    client, operator, proxy, playable, recorded_call
):
    client.force_login(operator)
    proxy.fail("GET", re.escape(PRESIGN_PATH), json_reply({"message": "File not found"}, 404))

    response = client.get(recording_url(recorded_call["id"]))

    assert response.status_code == 404
    assert json_answer(response) == {"error": "The recording is not in Galtea's storage."}


def test_a_call_deleted_meanwhile_is_a_404_that_says_so(
    client, operator, proxy, playable, recorded_call
):
    client.force_login(operator)
    path = f"{SESSIONS_PATH}/{recorded_call['id']}"
    proxy.fail(
        "GET", re.escape(path), error_reply(404, f"Session not found: {recorded_call['id']}")
    )

    response = client.get(recording_url(recorded_call["id"]))

    assert response.status_code == 404
    assert json_answer(response) == {"error": "This call is no longer in Galtea: reload the page."}
    assert PRESIGN_PATH not in proxy.paths("GET")


def test_a_call_answered_without_its_recording_has_none_to_play(
    client, operator, proxy, playable, recorded_call
):
    client.force_login(operator)
    proxy.inject(missing_field("recordingUri"), "GET", re.escape(SESSIONS_PATH) + "/.+")

    response = client.get(recording_url(recorded_call["id"]))

    assert response.status_code == 404
    assert json_answer(response) == {"error": "This call has no recording."}
    assert PRESIGN_PATH not in proxy.paths("GET")


# --- Attaching and detaching -----------------------------------------------------------------

WRITE_CASES = one_call_cases("name", failing_only=True)


def assert_nothing_changed(page: Page, case: Case) -> None:
    assert page.status == case.status, page.html
    assert_in_the_admins_look(page)
    (alert,) = page.alerts
    assert alert.startswith("Nothing was changed. "), alert
    assert says_why(case, alert.removeprefix("Nothing was changed. ")), alert
    if case.is_the_key:
        assert "API key" in alert
    assert not ChangeRecord.objects.exists(), "nothing failed may be recorded as done"


@pytest.mark.parametrize("case", WRITE_CASES, ids=ids)
def test_a_failed_attach_changes_nothing(
    client, editor, proxy, emulator, own_connection, caplog, case
):
    connection, chosen = own_connection
    client.force_login(editor)
    url = attach_url(connection["id"])
    form = Page(client.get(url))
    assert chosen["id"] in [r.attrs["value"] for r in form.doc.find_all("input", type="radio")]
    proxy.inject(case.fault, "PATCH", re.escape(f"{VERSIONS_PATH}/{chosen['id']}"))
    watch_log(caplog)

    page = Page(client.post(url, {"version": chosen["id"]}))

    assert_nothing_changed(page, case)
    checked = page.doc.one("input", type="radio", value=chosen["id"])
    assert "checked" in checked.attrs, "the choice is kept"
    assert page.doc.find("button", type="submit") is not None
    assert version(emulator, chosen["id"])["phoneConnectionId"] == chosen["phoneConnectionId"]
    assert_one_log_line(caplog, emulator.api_key, "PATCH", f"{VERSIONS_PATH}/{chosen['id']}")

    proxy.clear()
    response = client.post(url, {"version": chosen["id"]}, follow=True)
    assert response.redirect_chain == [(detail_url(connection["id"]), 302)]
    assert Page(response).messages[0].startswith(f"Version “{chosen['name']}” now calls this")
    assert version(emulator, chosen["id"])["phoneConnectionId"] == connection["id"]
    (record,) = ChangeRecord.objects.all()
    assert (record.action, record.object_id) == ("update", chosen["id"])


@pytest.mark.parametrize("case", WRITE_CASES, ids=ids)
def test_a_failed_detach_changes_nothing(
    client, editor, proxy, emulator, own_connection, caplog, case
):
    connection, chosen = own_connection
    point_at(emulator, chosen["id"], connection["id"])
    client.force_login(editor)
    url = detach_url(connection["id"], chosen["id"])
    assert Page(client.get(url)).buttons()[-1] == "Detach"
    proxy.inject(case.fault, "PATCH", re.escape(f"{VERSIONS_PATH}/{chosen['id']}"))
    watch_log(caplog)

    page = Page(client.post(url))

    assert_nothing_changed(page, case)
    assert "Detach" in page.buttons(), "the confirmation stays, to try again"
    assert version(emulator, chosen["id"])["phoneConnectionId"] == connection["id"]
    assert_one_log_line(caplog, emulator.api_key, "PATCH", f"{VERSIONS_PATH}/{chosen['id']}")

    proxy.clear()
    response = client.post(url, follow=True)
    assert response.redirect_chain == [(detail_url(connection["id"]), 302)]
    assert Page(response).messages == [
        f"Version “{chosen['name']}” no longer calls this phone connection."
    ]
    assert version(emulator, chosen["id"])["phoneConnectionId"] is None
    (record,) = ChangeRecord.objects.all()
    assert (record.action, record.object_id) == ("update", chosen["id"])


@pytest.mark.parametrize("case", representative(WRITE_CASES), ids=ids)
def test_a_failed_detach_from_the_delete_confirmation_changes_nothing(
    client, manager, proxy, emulator, own_connection, case
):
    connection, chosen = own_connection
    point_at(emulator, chosen["id"], connection["id"])
    client.force_login(manager)
    confirmation = delete_url(connection["id"])
    proxy.inject(case.fault, "PATCH", re.escape(f"{VERSIONS_PATH}/{chosen['id']}"))
    data = {"ids": [connection["id"]], "next": confirmation}

    response = client.post("/phone-connections/versions/detach-all/", data, follow=True)

    assert response.redirect_chain == [(confirmation, 302)]
    page = Page(response)
    (message,) = page.messages
    assert message.startswith(f"Could not detach “{chosen['name']}” ("), message
    assert says_why(case, message), message
    assert "Still in use." in page.main_text, "the confirmation still says what calls it"
    assert version(emulator, chosen["id"])["phoneConnectionId"] == connection["id"]
    assert not ChangeRecord.objects.exists()


# --- The delete confirmation -----------------------------------------------------------------


@pytest.mark.parametrize("case", representative(WRITE_CASES), ids=ids)
def test_the_delete_confirmation_warns_when_usage_cannot_be_checked(
    client, manager, proxy, emulator, own_connection, case
):
    connection, chosen = own_connection
    point_at(emulator, chosen["id"], connection["id"])
    client.force_login(manager)
    next_url = "/phone-connections/?sort=name"
    url = f"{delete_url(connection['id'])}?{urlencode({'next': next_url})}"
    proxy.inject(case.fault, "GET", re.escape(VERSIONS_PATH))

    page = Page(client.get(url))

    assert page.status == 200, page.html
    assert page.h1 == "Delete this phone connection?"
    (warning,) = page.alerts
    assert warning.startswith("Whether versions still call it could not be checked. "), warning
    assert says_why(case, warning), warning
    assert "Yes, delete it" in page.buttons()
    assert "Detach them first" not in page.buttons(), "nothing known to detach"

    response = client.post(url, {"next": next_url})
    assert (response.status_code, response["Location"]) == (302, next_url)
    assert fetch(emulator, connection["id"]) is None
    (record,) = ChangeRecord.objects.all()
    assert (record.action, record.object_id) == ("delete", connection["id"])

"""The session list and a call's page: read only (the shared read-only cases), an
unfiltered list scoped to every product (the API refuses an unscoped one), its filters,
sorts and pages checked against what the API lists, and what a call's page shows.

Everything runs against the session emulator, which these tests never change.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import pytest

from tests.versions.api import (
    NEWEST_FIRST,
    product_ids,
    requests_to,
    sessions,
    versions,
)
from tests.versions.pages import (
    DetailPage,
    ListPage,
    expected_missing_recording,
    expected_outcome,
    expected_status,
    recording_of,
)
from tests.view_cases import ViewTestCases

pytestmark = pytest.mark.django_db

LIST_URL = "/sessions/"
PER_PAGE = 25
# Each `sort=` of the list and the `sort[]` pairs the API must receive for it.
API_SORT = {
    "created": [("createdAt", "asc")],
    "-created": [("createdAt", "desc")],
    "status": [("status", "asc"), ("createdAt", "desc")],
    "-status": [("status", "desc"), ("createdAt", "desc")],
}


class TestSessionPages(ViewTestCases.ReadOnlyPages):
    resource_key = "sessions"

    @pytest.fixture
    def entity(self, api) -> dict:
        return sessions(api, NEWEST_FIRST)[0]

    def heading(self, entity: dict) -> str:
        return f"Call {entity['customId'] or entity['id']}"


def open_list(client, params=None) -> ListPage:
    page = ListPage(client.get(LIST_URL, params))
    assert page.status == 200, page.html[:2000]
    return page


def only_list_request(api) -> list[tuple[str, str]]:
    (asked,) = requests_to(api, "/sessions")
    return parse_qsl(asked["query"], keep_blank_values=True)


def without_order(pairs) -> list[tuple[str, str]]:
    return [(k, v) for k, v in pairs if k not in ("sort[]", "limit", "offset")]


def sort_params(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("sort[]", part) for pair in pairs for part in pair]


def api_page(api, params=(), *, sort="-created", offset=0) -> list[dict]:
    """The page of sessions the list must show, as the API answers it."""
    pairs = [*params, *sort_params(API_SORT[sort]), ("offset", str(offset))]
    return sessions(api, pairs)[:PER_PAGE]


class TestSessionList:
    def test_an_unfiltered_list_asks_for_every_products_sessions(self, viewer_client, api):
        every_product = product_ids(api)
        expected = api_page(api)
        api.clear_request_log()

        page = open_list(viewer_client)

        sent = only_list_request(api)
        assert sorted(without_order(sent)) == sorted(("productIds[]", p) for p in every_product)
        assert [v for k, v in sent if k == "sort[]"] == ["createdAt", "desc"]
        assert (dict(sent)["offset"], dict(sent)["limit"]) == ("0", str(PER_PAGE + 1))
        assert page.ids("sessions") == [s["id"] for s in expected]

    def test_shows_when_status_version_outcome_and_recording(self, viewer_client, api):
        expected = api_page(api)
        names = {v["id"]: v["name"] for v in versions(api)}

        page = open_list(viewer_client)

        assert list(page.rows[0]) == ["When (UTC)", "Status", "Version", "Outcome", "Recording"]
        for row, call in zip(page.rows, expected, strict=True):
            assert row["Status"].text == expected_status(call["status"])
            assert row["Version"].text == names[call["versionId"]]
            assert row["Version"].one("a").attrs["href"] == f"/versions/{call['versionId']}/"
            assert row["Outcome"].text == expected_outcome(call)
            recording = recording_of(row["Recording"])
            assert recording.playable == bool(call["recordingUri"])
            if not recording.playable:
                assert recording.text == expected_missing_recording(call)

    def test_the_status_checkboxes_filter_by_status(self, viewer_client, api):
        params = [("statuses[]", "PENDING"), ("statuses[]", "FAILED")]
        expected = api_page(api, params)
        api.clear_request_log()

        page = open_list(viewer_client, {"status": ["FAILED", "PENDING"]})

        assert page.checked("status") == ["PENDING", "FAILED"]
        sent = without_order(only_list_request(api))
        assert sorted(v for k, v in sent if k == "statuses[]") == ["FAILED", "PENDING"]
        assert {k for k, _ in sent} == {"statuses[]", "productIds[]"}
        assert page.ids("sessions") == [s["id"] for s in expected]
        assert set(page.column("Status")) == {"Pending", "Failed"}

    def test_an_unknown_status_is_reported(self, viewer_client, api):
        response = viewer_client.get(LIST_URL, {"status": "RINGING"})

        assert response.status_code == 400
        assert ListPage(response).field_errors()

    def test_version_ids_scope_the_list_without_products(self, viewer_client, api):
        chosen = [s["versionId"] for s in sessions(api, NEWEST_FIRST)[:40]]
        chosen = list(dict.fromkeys(chosen))[:3]
        expected = api_page(api, [("versionIds[]", v) for v in chosen])
        api.clear_request_log()

        page = open_list(viewer_client, {"version": " ".join(chosen)})

        assert without_order(only_list_request(api)) == [("versionIds[]", v) for v in chosen]
        assert page.ids("sessions") == [s["id"] for s in expected]
        assert expected and {s["versionId"] for s in expected} <= set(chosen)

    def test_one_product(self, viewer_client, api):
        product_id = sessions(api, NEWEST_FIRST)[0]["versionId"]
        product_id = next(v["productId"] for v in versions(api) if v["id"] == product_id)
        expected = api_page(api, [("productIds[]", product_id)])
        api.clear_request_log()

        page = open_list(viewer_client, {"product": product_id})

        assert without_order(only_list_request(api)) == [("productIds[]", product_id)]
        assert page.ids("sessions") == [s["id"] for s in expected]

    def test_dates(self, viewer_client, api):
        params = [
            ("fromCreatedAt", "2026-10-20T00:00:00.000Z"),
            ("toCreatedAt", "2026-10-25T12:00:59.999Z"),
        ]
        expected = api_page(api, params)
        assert len(expected) == PER_PAGE
        api.clear_request_log()

        page = open_list(
            viewer_client, {"created_from": "2026-10-20T00:00", "created_to": "2026-10-25T12:00"}
        )

        sent = without_order(only_list_request(api))
        assert [(k, v) for k, v in sent if not k.startswith("productIds")] == params
        assert page.ids("sessions") == [s["id"] for s in expected]
        for row in page.rows:
            moment = row["When (UTC)"].one("time").attrs["datetime"]
            assert datetime(2026, 10, 20, tzinfo=UTC) <= datetime.fromisoformat(moment)
            assert datetime.fromisoformat(moment) < datetime(2026, 10, 25, 12, 1, tzinfo=UTC)

    @pytest.mark.parametrize("sort", sorted(API_SORT))
    def test_sorts_as_the_api_does(self, viewer_client, api, sort):
        expected = api_page(api, sort=sort)
        api.clear_request_log()

        page = open_list(viewer_client, {"sort": sort})

        sent = [v for k, v in only_list_request(api) if k == "sort[]"]
        assert sent == [part for pair in API_SORT[sort] for part in pair]
        assert page.ids("sessions") == [s["id"] for s in expected]
        if "status" in sort:
            statuses = page.column("Status")
            assert statuses == sorted(statuses, reverse=sort.startswith("-"))

    def test_pages(self, viewer_client, api):
        expected = api_page(api, offset=PER_PAGE)
        api.clear_request_log()

        page = open_list(viewer_client, {"page": "2"})

        assert dict(only_list_request(api))["offset"] == str(PER_PAGE)
        assert page.ids("sessions") == [s["id"] for s in expected]
        assert page.showing == f"Showing {PER_PAGE + 1}–{2 * PER_PAGE}"

    def test_the_export_of_the_unfiltered_list_has_every_call(self, viewer_client, api):
        response = viewer_client.get("/sessions/export.json")

        data = json.loads(b"".join(response.streaming_content))
        assert (data["complete"], data["count"]) == (True, len(sessions(api)))


def first(api, predicate) -> dict:
    return next(s for s in sessions(api, NEWEST_FIRST) if predicate(s))


class TestCallPage:
    def test_a_recorded_call(self, viewer_client, api):
        call = first(api, lambda s: s["status"] == "COMPLETED" and s["recordingUri"])

        page = DetailPage(viewer_client.get(f"/sessions/{call['id']}/"))

        assert page.status == 200
        assert page.h1 == f"Call {call['customId'] or call['id']}"
        assert page.detail("Status").text == "Completed"
        assert page.detail("Outcome").text == call["stoppingReason"]
        version_link = page.detail("Version").one("a")
        assert version_link.attrs["href"] == f"/versions/{call['versionId']}/"
        recording = recording_of(page.detail("Recording"))
        assert (recording.playable, recording.source) == (
            True,
            f"/sessions/{call['id']}/recording/",
        )
        assert page.detail("Production call").text == ("Yes" if call["isProduction"] else "No")
        assert page.header_actions == []
        # The link to the recording is asked for when Play is pressed, never put in the page.
        assert call["recordingUri"] not in page.html
        assert "/recordings/" not in page.html

    def test_a_failed_call_shows_its_error(self, viewer_client, api):
        call = first(api, lambda s: s["status"] == "FAILED" and not s["recordingUri"])

        page = DetailPage(viewer_client.get(f"/sessions/{call['id']}/"))

        assert page.detail("Status").text == "Failed"
        assert page.detail("Outcome").one("span", class_="text-danger").text == call["error"]
        assert recording_of(page.detail("Recording")).text == "None"

    def test_a_pending_call_has_no_recording_yet(self, viewer_client, api):
        call = first(api, lambda s: s["status"] == "PENDING")

        page = DetailPage(viewer_client.get(f"/sessions/{call['id']}/"))

        assert page.detail("Status").text == "Pending"
        assert page.detail("Outcome").text == "—"
        assert recording_of(page.detail("Recording")).text == "Not yet"

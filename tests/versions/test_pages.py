"""The versions' own pages: read only (the shared read-only cases), the list's "Calls" and
"Phone connection id" filters checked against what the API lists, what each version calls
named once per page, the export, and a version's page with its latest calls.

Everything runs against the session emulator, which these tests never change.
"""

from __future__ import annotations

import csv
import io
import json
from urllib.parse import parse_qsl

import pytest

from tests.versions.api import (
    NAME_ORDER,
    NEWEST_FIRST,
    busiest,
    connection_names,
    latest_calls,
    product_names,
    requests_to,
    versions,
    versions_calling,
)
from tests.versions.pages import DetailPage, ListPage, expected_outcome, expected_status
from tests.view_cases import ViewTestCases

pytestmark = pytest.mark.django_db

LIST_URL = "/versions/"
# Each "Calls" choice → the conditions the API must receive, and what the rows then call.
CALLS_FILTERS = {
    "phone": ([("excludePhoneConnectionIds[]", "")], "Phone"),
    "webrtc": ([("excludeWebRtcConnectionIds[]", "")], "WebRTC"),
    "none": ([("phoneConnectionIds[]", ""), ("webRtcConnectionIds[]", "")], "—"),
}


class TestVersionPages(ViewTestCases.ReadOnlyPages):
    resource_key = "versions"

    @pytest.fixture
    def entity(self, api) -> dict:
        return next(v for v in versions(api) if v["phoneConnectionId"])


def open_list(client, params=()) -> ListPage:
    page = ListPage(client.get(LIST_URL, dict(params) if params else None))
    assert page.status == 200, page.html[:2000]
    return page


def sent(logged: dict) -> list[tuple[str, str]]:
    return parse_qsl(logged["query"], keep_blank_values=True)


def filter_pairs(logged: dict) -> list[tuple[str, str]]:
    """What a list request asked for, but its sort and paging."""
    return [(k, v) for k, v in sent(logged) if k not in ("sort[]", "limit", "offset")]


class TestVersionList:
    @pytest.mark.parametrize("choice", sorted(CALLS_FILTERS))
    def test_the_calls_filter_lists_what_the_api_lists_for_it(self, viewer_client, api, choice):
        conditions, shown = CALLS_FILTERS[choice]
        expected = versions(api, [*conditions, *NEWEST_FIRST])
        assert 0 < len(expected) < len(versions(api))
        api.clear_request_log()

        page = open_list(viewer_client, {"target": choice, "per_page": "100"})

        assert page.ids("versions") == [v["id"] for v in expected[:100]]
        assert {cell.split(" ")[0] for cell in page.column("Calls")} == {shown}
        (asked,) = requests_to(api, "/versions")
        assert filter_pairs(asked) == conditions

    def test_the_phone_connection_id_filter_lists_the_versions_that_dial_it(
        self, viewer_client, api
    ):
        connection_id = busiest(api, "phoneConnectionId")
        expected = versions_calling(api, "phoneConnectionId", connection_id)
        by_date = sorted(expected, key=lambda v: v["createdAt"], reverse=True)
        api.clear_request_log()

        page = open_list(viewer_client, {"dials": connection_id})

        assert page.ids("versions") == [v["id"] for v in by_date]
        (asked,) = requests_to(api, "/versions")
        assert filter_pairs(asked) == [("phoneConnectionIds[]", connection_id)]

    def test_an_id_that_is_not_one_is_reported_next_to_the_field(self, viewer_client, api):
        response = viewer_client.get(LIST_URL, {"dials": "not an id!"})

        assert response.status_code == 400
        assert ListPage(response).field_errors() == [
            "An id has only letters, digits, - and _, e.g. phoneConnection_1a2b."
        ]

    def test_names_what_each_version_calls_asking_once_per_kind(self, viewer_client, api):
        phones = connection_names(api, "/phoneConnections")
        agents = connection_names(api, "/webRtcConnections")
        expected = versions(api, NEWEST_FIRST)[:100]
        api.clear_request_log()

        page = open_list(viewer_client, {"per_page": "100"})

        def calls(v: dict) -> str:
            if v["phoneConnectionId"]:
                connection_id = v["phoneConnectionId"]
                return f"Phone {phones.get(connection_id, connection_id)}"
            if v["webRtcConnectionId"]:
                agent_id = v["webRtcConnectionId"]
                return f"WebRTC {agents.get(agent_id, agent_id)}"
            return "—"

        assert page.column("Calls") == [calls(v) for v in expected]
        assert len(requests_to(api, "/versions")) == 1
        assert len(requests_to(api, "/phoneConnections")) == 1
        assert len(requests_to(api, "/webRtcConnections")) == 1
        links = [a.attrs["href"] for row in page.rows[:5] for a in row["Calls"].find_all("a")]
        assert links == [
            f"/phone-connections/{v['phoneConnectionId']}/"
            if v["phoneConnectionId"]
            else f"/webrtc-connections/{v['webRtcConnectionId']}/"
            for v in expected[:5]
            if v["phoneConnectionId"] or v["webRtcConnectionId"]
        ]

    def test_sorting_by_name_is_the_apis_order(self, viewer_client, api):
        expected = versions(api, NAME_ORDER)[:25]

        page = open_list(viewer_client, {"sort": "name"})

        assert page.ids("versions") == [v["id"] for v in expected]

    def test_offers_no_add_button_and_no_selection(self, manager_client, api):
        page = open_list(manager_client)

        assert not [a for a in page.doc.find_all("a") if a.text.startswith("Add")]
        assert page.doc.find("form", id="bulk-form") is None


class TestVersionExport:
    def test_csv_has_the_filtered_versions_with_their_targets(self, viewer_client, api):
        expected = versions(api, [("excludeWebRtcConnectionIds[]", ""), *NEWEST_FIRST])
        products = product_names(api)

        response = viewer_client.get("/versions/export.csv", {"target": "webrtc"})

        assert response.status_code == 200
        text = b"".join(response.streaming_content).decode()
        header, *rows = list(csv.reader(io.StringIO(text)))
        assert header == [
            "id",
            "name",
            "number",
            "product_id",
            "product_name",
            "phone_connection_id",
            "webrtc_connection_id",
            "endpoint_connection_id",
            "created_at",
        ]
        assert [dict(zip(header, row, strict=True)) for row in rows] == [
            {
                "id": v["id"],
                "name": v["name"],
                "number": str(v["number"]),
                "product_id": v["productId"],
                "product_name": products[v["productId"]],
                "phone_connection_id": "",
                "webrtc_connection_id": v["webRtcConnectionId"],
                "endpoint_connection_id": "",
                "created_at": v["createdAt"],
            }
            for v in expected
        ]

    def test_json_of_every_version_is_complete(self, viewer_client, api):
        response = viewer_client.get("/versions/export.json")

        data = json.loads(b"".join(response.streaming_content))
        assert data["complete"] is True
        assert data["count"] == len(versions(api))


def called_version(api) -> tuple[dict, list[dict]]:
    """A version that calls a phone connection and has been called, and its latest calls."""
    for candidate in versions(api, [("excludePhoneConnectionIds[]", ""), *NAME_ORDER]):
        calls = latest_calls(api, [candidate["id"]], 10)
        if calls:
            return candidate, calls
    raise AssertionError("no version has calls")


class TestVersionDetail:
    def test_shows_what_it_calls_by_name_and_its_latest_calls(self, viewer_client, api):
        shown, calls = called_version(api)
        connection_id = shown["phoneConnectionId"]
        name = connection_names(api, "/phoneConnections")[connection_id]

        page = DetailPage(viewer_client.get(f"/versions/{shown['id']}/"))

        assert page.status == 200
        assert page.h1 == shown["name"]
        assert page.terms == ["Product", "Number", "Description", "Model", "Calls", "Created (UTC)"]
        assert page.detail("Number").text == str(shown["number"])
        assert page.detail("Model").text == (shown["modelId"] or "—")
        assert page.detail("Description").text == (shown["description"] or "—")
        target = page.detail("Calls").one("a")
        assert (target.text, target.attrs["href"]) == (name, f"/phone-connections/{connection_id}/")
        assert page.header_actions == []
        panel = page.recent_calls
        assert [row.session_id for row in panel.rows] == [call["id"] for call in calls]
        assert [(row.status, row.outcome) for row in panel.rows] == [
            (expected_status(call["status"]), expected_outcome(call)) for call in calls
        ]
        assert panel.all_calls_url == f"/sessions/?version={shown['id']}"

    def test_all_its_calls_are_the_session_list_of_that_version(self, viewer_client, api):
        shown, _ = called_version(api)
        url = DetailPage(viewer_client.get(f"/versions/{shown['id']}/")).recent_calls.all_calls_url

        page = ListPage(viewer_client.get(url))

        assert page.status == 200
        assert page.ids("sessions") == [c["id"] for c in latest_calls(api, [shown["id"]], 25)]

    def test_a_version_that_calls_nothing(self, viewer_client, api):
        idle = next(
            v for v in versions(api, [("phoneConnectionIds[]", ""), ("webRtcConnectionIds[]", "")])
        )

        page = DetailPage(viewer_client.get(f"/versions/{idle['id']}/"))

        assert page.detail("Calls").text == "—"
        assert page.recent_calls.rows == []
        assert "No calls yet." in page.recent_calls.text

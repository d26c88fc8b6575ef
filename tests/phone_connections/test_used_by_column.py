"""The list's "Used by" column: hidden until a person shows it, then how many versions call
each number of the page, from one more request."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.pages import COLUMNS_URL, CONFIGURABLE_COLUMNS, open_list
from tests.phone_connections.pages import LIST_URL

pytestmark = pytest.mark.django_db


def show_used_by(client):
    order = [*CONFIGURABLE_COLUMNS, "used_by"]
    response = client.post(COLUMNS_URL, {"order": order, "show": order, "query": ""})
    assert response.status_code == 302


def versions_per_number(api) -> Counter:
    versions = api.get("/versions", params={"excludePhoneConnectionIds[]": "", "limit": 1000})
    return Counter(version["phoneConnectionId"] for version in versions.json())


def test_hidden_until_chosen_and_then_no_extra_request(viewer_client, api):
    page = open_list(viewer_client, LIST_URL)

    assert "Used by" not in page.column_names
    assert not [r for r in api.requests_received() if r["path"] == "/versions"]
    columns = page.doc.one("form", class_="columns-form")
    used_by = columns.one("input", type="checkbox", value="used_by")
    assert "checked" not in used_by.attrs


def test_once_shown_it_counts_the_versions_calling_each_number(manager_client, api):
    expected = versions_per_number(api)
    used = [connection_id for connection_id, _ in expected.most_common(3)]
    unused = next(
        row["id"]
        for row in api.get("/phoneConnections", params={"limit": 200}).json()
        if row["id"] not in expected
    )
    show_used_by(manager_client)
    api.clear_request_log()

    page = open_list(manager_client, f"{LIST_URL}?ids={'+'.join([*used, unused])}")

    headers = [th.text for th in page.doc.one("thead").find_all("th")]
    column = headers.index("Used by")
    cells = {}
    for row in page.doc.one("tbody").find_all("tr"):
        connection_id = row.one("input", type="checkbox", name="ids").attrs["value"]
        cells[connection_id] = row.find_all("td")[column]
    assert set(cells) == {*used, unused}
    for connection_id in used:
        count = expected[connection_id]
        assert cells[connection_id].text == f"{count} version{'s' if count != 1 else ''}"
        link = cells[connection_id].one("a").attrs["href"]
        assert link == f"/versions/?dials={connection_id}"
    assert cells[unused].text == "—"
    versions_calls = [
        r for r in api.requests_received() if r["path"] == "/versions" and r["method"] == "GET"
    ]
    assert len(versions_calls) == 1  # one request for the page's counts

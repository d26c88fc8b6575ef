"""The WebRTC list's "Used by" column, as the phone list's: hidden until shown, then how
many versions call each agent, linking to those versions."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.html_tree import parse

pytestmark = pytest.mark.django_db

LIST_URL = "/webrtc-connections/"
COLUMNS_URL = "/preferences/webrtc_connections/columns/"
COLUMNS = ["product", "agent", "api_key", "speaks_first", "created", "used_by"]


def test_it_counts_the_versions_calling_each_agent(manager_client, api):
    versions = api.get("/versions", params={"excludeWebRtcConnectionIds[]": "", "limit": 1000})
    expected = Counter(version["webRtcConnectionId"] for version in versions.json())
    used = [connection_id for connection_id, _ in expected.most_common(2)]
    assert used, "the seed has agents that versions call"
    hidden = parse(manager_client.get(f"{LIST_URL}?ids={'+'.join(used)}").content.decode())
    assert "Used by" not in [th.text for th in hidden.one("thead").find_all("th")]

    manager_client.post(COLUMNS_URL, {"order": COLUMNS, "show": COLUMNS, "query": ""})
    doc = parse(manager_client.get(f"{LIST_URL}?ids={'+'.join(used)}").content.decode())

    headers = [th.text for th in doc.one("thead").find_all("th")]
    column = headers.index("Used by")
    for row in doc.one("tbody").find_all("tr"):
        connection_id = row.one("input", type="checkbox", name="ids").attrs["value"]
        cell = row.find_all("td")[column]
        count = expected[connection_id]
        assert cell.text == f"{count} version{'s' if count != 1 else ''}"
        assert cell.one("a").attrs["href"] == f"/versions/?webrtc={connection_id}"


def test_the_version_list_filters_by_the_agent_it_calls(viewer_client, api):
    version = api.get("/versions", params={"excludeWebRtcConnectionIds[]": "", "limit": 1}).json()[
        0
    ]
    agent = version["webRtcConnectionId"]
    calling = api.get("/versions", params={"webRtcConnectionIds[]": agent, "limit": 100}).json()

    doc = parse(viewer_client.get(f"/versions/?webrtc={agent}").content.decode())

    names = [td.text for td in doc.one("tbody").find_all("td", class_="cell-name")]
    assert sorted(names) == sorted(v["name"] for v in calling)

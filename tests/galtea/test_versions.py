"""Versions through the service layer, against the emulator over real HTTP: how a version
reads, which versions call a connection (one request), the PATCH that gives a version its
one target, and `resource_names`, which names the entities the API still knows.

Reads run on the session emulator; writes on an emulator of the test's own. Answers the
emulator never gives (a wrongly shaped version) are read as decoding does, or served by a
fake upstream.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC
from urllib.parse import parse_qsl

import pytest

from galtea_admin.galtea.client import GalteaClient
from galtea_admin.galtea.errors import GalteaBadAnswer
from galtea_admin.galtea.phone_connections import PHONE_CONNECTIONS
from galtea_admin.galtea.resources import resource_names
from galtea_admin.galtea.versions import (
    VERSIONS,
    Version,
    version_list,
    version_retarget_changes,
    version_set_target,
    versions_using,
)
from galtea_admin.galtea.webrtc_connections import WEBRTC_CONNECTIONS
from tests.galtea.fake_upstream import json_reply
from tests.versions.api import connection_names, versions

PAYLOAD = {
    "id": "version_1",
    "productId": "prod_1",
    "name": "Prompt refresh",
    "number": 7,
    "description": None,
    "modelId": "model_1",
    "phoneConnectionId": "phoneConnection_1",
    "webRtcConnectionId": None,
    "conversationEndpointConnectionId": None,
    "createdAt": "2026-10-01T12:00:00.000Z",
    "deletedAt": None,
}


def read(**changes) -> Version:
    return VERSIONS.read({**PAYLOAD, **changes})


def pairs(logged: dict) -> list[tuple[str, str]]:
    return parse_qsl(logged["query"], keep_blank_values=True)


def requests_to(emulator, path: str) -> list[dict]:
    return [r for r in emulator.requests_received() if r["path"] == path]


@pytest.fixture
def log(emulator):
    """The session emulator, with its request log emptied for this test."""
    emulator.clear_request_log()
    return emulator


@pytest.fixture(scope="module")
def seeded(emulator) -> list[dict]:
    """The session emulator's versions as the API sends them."""
    return versions(emulator)


# --- How a version reads ----------------------------------------------------------------------


class TestDecoding:
    @pytest.mark.parametrize(
        ("number", "read_as"),
        [(7, "7"), ("7", "7"), ("2.1-beta", "2.1-beta"), (None, None)],
    )
    def test_its_number_may_be_a_string_or_a_number(self, number, read_as):
        assert read(number=number).number == read_as

    def test_a_missing_number_and_description_read_as_none(self):
        data = {k: v for k, v in PAYLOAD.items() if k not in ("number", "description")}

        version = VERSIONS.read(data)

        assert (version.number, version.description) == (None, None)

    def test_reads_every_field(self):
        version = read()

        assert version.created_at.tzinfo is not None
        assert version.created_at.astimezone(UTC).isoformat() == "2026-10-01T12:00:00+00:00"
        assert (version.phone_connection_id, version.webrtc_connection_id) == (
            "phoneConnection_1",
            None,
        )
        assert version.model_id == "model_1"

    @pytest.mark.parametrize(
        "changes",
        [
            {"number": True},
            {"number": [7]},
            {"number": {"major": 7}},
            {"name": None},
            {"name": 7},
            {"productId": None},
            {"phoneConnectionId": 12},
            {"webRtcConnectionId": ["webRtcConnection_1"]},
            {"createdAt": "last Tuesday"},
            {"createdAt": None},
        ],
        ids=repr,
    )
    def test_a_wrongly_shaped_version_is_a_bad_answer(self, changes):
        with pytest.raises(GalteaBadAnswer):
            read(**changes)

    @pytest.mark.parametrize("data", [[PAYLOAD], "version_1", None, 7])
    def test_a_version_that_is_not_an_object_is_a_bad_answer(self, data):
        with pytest.raises(GalteaBadAnswer):
            VERSIONS.read(data)

    def test_a_list_that_is_not_an_array_is_a_bad_answer(self, upstream):
        upstream.handler = lambda request: json_reply({"versions": [PAYLOAD]})
        client = GalteaClient(upstream.url, "gsk_fake_key", read_timeout=2.0)

        with pytest.raises(GalteaBadAnswer):
            version_list(client=client)

    def test_one_bad_version_in_a_list_is_a_bad_answer(self, upstream):
        upstream.handler = lambda request: json_reply([PAYLOAD, {**PAYLOAD, "number": False}])
        client = GalteaClient(upstream.url, "gsk_fake_key", read_timeout=2.0)

        with pytest.raises(GalteaBadAnswer):
            version_list(client=client)

    def test_every_seeded_version_reads_as_the_api_sent_it(self, client, seeded):
        read_back = {v.id: v for v in version_list(limit=1000, client=client)}

        assert set(read_back) == {v["id"] for v in seeded}
        for sent in seeded:
            version = read_back[sent["id"]]
            assert version.number == str(sent["number"])
            assert version.phone_connection_id == sent["phoneConnectionId"]
            assert version.webrtc_connection_id == sent["webRtcConnectionId"]
            assert version.product_id == sent["productId"]


# --- Which versions call a connection ---------------------------------------------------------


class TestVersionsUsing:
    def test_the_versions_calling_one_phone_connection_by_name_in_one_request(
        self, client, seeded, log
    ):
        counts = Counter(v["phoneConnectionId"] for v in seeded if v["phoneConnectionId"])
        connection_id, count = counts.most_common(1)[0]
        assert count >= 2

        found = versions_using("phone_connection_id", [connection_id], client=client)

        expected = sorted(
            (v for v in seeded if v["phoneConnectionId"] == connection_id),
            key=lambda v: v["name"],
        )
        assert [v.id for v in found] == [v["id"] for v in expected]
        (asked,) = log.requests_received()
        assert asked["path"] == "/versions"
        assert pairs(asked) == [
            ("phoneConnectionIds[]", connection_id),
            ("sort[]", "name"),
            ("sort[]", "asc"),
            ("sort[]", "createdAt"),
            ("sort[]", "desc"),
            ("offset", "0"),
            ("limit", "1000"),
        ]

    def test_several_connections_at_once(self, client, seeded, log):
        connection_ids = list(
            dict.fromkeys(v["phoneConnectionId"] for v in seeded if v["phoneConnectionId"])
        )[:5]

        found = versions_using("phone_connection_id", connection_ids, client=client)

        assert sorted(v.id for v in found) == sorted(
            v["id"] for v in seeded if v["phoneConnectionId"] in connection_ids
        )
        assert [v.name for v in found] == sorted(v.name for v in found)
        assert len(log.requests_received()) == 1

    def test_webrtc_connections_by_their_own_filter(self, client, seeded, log):
        agent_id = next(v["webRtcConnectionId"] for v in seeded if v["webRtcConnectionId"])

        found = versions_using("webrtc_connection_id", [agent_id], client=client)

        assert {v.id for v in found} == {
            v["id"] for v in seeded if v["webRtcConnectionId"] == agent_id
        }
        (asked,) = log.requests_received()
        assert ("webRtcConnectionIds[]", agent_id) in pairs(asked)

    def test_a_connection_no_version_calls(self, client, emulator, seeded):
        called = {v["phoneConnectionId"] for v in seeded}
        idle = next(i for i in connection_names(emulator, "/phoneConnections") if i not in called)

        assert versions_using("phone_connection_id", [idle], client=client) == []


# --- The one target a version calls -----------------------------------------------------------


class TestRetargetChanges:
    def test_attaching_clears_the_other_target(self):
        version = read(phoneConnectionId=None, webRtcConnectionId="webRtcConnection_1")

        changes = version_retarget_changes(version, "phone_connection_id", "phoneConnection_9")

        assert changes == {"phone_connection_id": "phoneConnection_9", "webrtc_connection_id": None}

    def test_attaching_clears_an_endpoint_too(self):
        version = read(phoneConnectionId=None, conversationEndpointConnectionId="endpoint_1")

        changes = version_retarget_changes(version, "webrtc_connection_id", "webRtcConnection_2")

        assert changes == {
            "webrtc_connection_id": "webRtcConnection_2",
            "endpoint_connection_id": None,
        }

    def test_attaching_to_a_version_with_the_same_kind_changes_that_one_only(self):
        changes = version_retarget_changes(read(), "phone_connection_id", "phoneConnection_9")

        assert changes == {"phone_connection_id": "phoneConnection_9"}

    def test_detaching_clears_only_that_target(self):
        version = read(phoneConnectionId=None, webRtcConnectionId="webRtcConnection_1")

        assert version_retarget_changes(version, "phone_connection_id", None) == {
            "phone_connection_id": None
        }


class TestSetTarget:
    def test_attaching_a_phone_connection_to_a_version_that_calls_an_agent(
        self, fresh_client, fresh_emulator
    ):
        api = fresh_emulator
        sent = next(v for v in versions(api) if v["webRtcConnectionId"])
        number = next(
            row["id"]
            for row in api.get("/phoneConnections").json()
            if row["productId"] == sent["productId"]
        )
        before = VERSIONS.read(sent)

        after = version_set_target(
            version=before, target="phone_connection_id", connection_id=number, client=fresh_client
        )

        assert (after.phone_connection_id, after.webrtc_connection_id) == (number, None)
        now = api.get(f"/versions/{sent['id']}").json()
        assert (now["phoneConnectionId"], now["webRtcConnectionId"]) == (number, None)
        assert now["name"] == sent["name"]

    def test_detaching_leaves_it_calling_nothing(self, fresh_client, fresh_emulator):
        api = fresh_emulator
        sent = next(v for v in versions(api) if v["phoneConnectionId"])

        after = version_set_target(
            version=VERSIONS.read(sent),
            target="phone_connection_id",
            connection_id=None,
            client=fresh_client,
        )

        assert (after.phone_connection_id, after.webrtc_connection_id) == (None, None)
        assert api.get(f"/versions/{sent['id']}").json()["phoneConnectionId"] is None


# --- Names of what the API still knows ---------------------------------------------------------


class TestResourceNames:
    def test_names_the_known_ids_in_one_request(self, client, log):
        names = connection_names(log, "/phoneConnections")
        ids = list(names)[:4]
        log.clear_request_log()

        found = resource_names(PHONE_CONNECTIONS, [*ids, ids[0]], client=client)

        assert found == {i: names[i] for i in ids}
        (asked,) = log.requests_received()
        assert [v for k, v in pairs(asked) if k == "ids[]"] == ids

    def test_ids_the_api_does_not_know_are_dropped_with_a_second_request(self, client, log):
        names = connection_names(log, "/webRtcConnections")
        known = list(names)[:2]
        gone = "webRtcConnection_gone0000000000000000"
        log.clear_request_log()

        found = resource_names(WEBRTC_CONNECTIONS, [known[0], gone, known[1]], client=client)

        assert found == {i: names[i] for i in known}
        first, second = requests_to(log, "/webRtcConnections")
        assert first["status"] == 404
        assert [v for k, v in pairs(first) if k == "ids[]"] == [known[0], gone, known[1]]
        assert second["status"] == 200
        assert [v for k, v in pairs(second) if k == "ids[]"] == known

    def test_versions_are_named_too(self, client, seeded):
        chosen = seeded[:3]

        found = resource_names(VERSIONS, [v["id"] for v in chosen], client=client)

        assert found == {v["id"]: v["name"] for v in chosen}

    def test_when_no_id_is_known_the_answer_is_empty(self, client, log):
        found = resource_names(PHONE_CONNECTIONS, ["phoneConnection_gone0000"], client=client)

        assert found == {}
        assert len(log.requests_received()) == 1

    def test_no_ids_no_request(self, client, log):
        assert resource_names(PHONE_CONNECTIONS, [], client=client) == {}
        assert log.requests_received() == []

    def test_a_refused_key_gives_no_names(self, emulator, log):
        wrong_key = GalteaClient(emulator.url, "gsk_not_the_right_key", read_timeout=5.0)
        some_id = next(iter(connection_names(log, "/phoneConnections")))
        log.clear_request_log()

        assert resource_names(PHONE_CONNECTIONS, [some_id], client=wrong_key) == {}
        assert [r["status"] for r in log.requests_received()] == [401]

    def test_an_unreachable_api_gives_no_names(self, closed_port_url):
        unreachable = GalteaClient(
            closed_port_url, "gsk_key", connect_timeout=0.5, read_timeout=0.5
        )

        assert resource_names(PHONE_CONNECTIONS, ["phoneConnection_1"], client=unreachable) == {}

    def test_a_bad_answer_gives_no_names(self, upstream):
        upstream.handler = lambda request: json_reply({"unexpected": True})
        client = GalteaClient(upstream.url, "gsk_fake_key", read_timeout=2.0)

        assert resource_names(VERSIONS, ["version_1"], client=client) == {}
        assert len(upstream.received()) == 1

"""Sessions and their recordings through the service layer, against the emulator over real
HTTP: how a session reads, a version's latest calls (one request, newest first), and the
short-lived link to a recording, which really downloads as WAV; 429 from an emulator whose
transfers are all refused. Answers the emulator never gives are read as decoding does.
"""

from __future__ import annotations

import io
import wave
from datetime import datetime
from urllib.parse import parse_qsl, urlsplit

import pytest
import requests

from galtea_admin.galtea.client import GalteaClient
from galtea_admin.galtea.errors import GalteaBadAnswer, GalteaNotFound, GalteaRateLimited
from galtea_admin.galtea.sessions import (
    SESSIONS,
    latest_sessions,
    read_recording_url,
    recording_url,
    session_list,
)
from tests.emulator_process import start_emulator
from tests.galtea.fake_upstream import json_reply
from tests.versions.api import NEWEST_FIRST, sessions

PRESIGN = "/storage/generate-get-presigned-url"
PAYLOAD = {
    "id": "session_1",
    "versionId": "version_1",
    "testCaseId": "testCase_1",
    "customId": None,
    "status": "COMPLETED",
    "stoppingReason": "Goal reached",
    "error": None,
    "recordingUri": "s3://galtea-recordings/org_1/session_1.wav",
    "userId": "user_1",
    "runId": "run_1",
    "isProduction": False,
    "createdAt": "2026-10-01T12:00:00.000Z",
    "deletedAt": None,
}


def pairs(logged: dict) -> list[tuple[str, str]]:
    return parse_qsl(logged["query"], keep_blank_values=True)


@pytest.fixture
def log(emulator):
    emulator.clear_request_log()
    return emulator


@pytest.fixture(scope="module")
def seeded(emulator) -> list[dict]:
    """The session emulator's sessions, newest first, as the API sends them."""
    return sessions(emulator, NEWEST_FIRST)


@pytest.fixture(scope="module")
def busy(tmp_path_factory):
    """An emulator whose every recording transfer answers 429."""
    running = start_emulator(
        tmp_path_factory.mktemp("busy-emulator"), seed=30, recording_fault="429"
    )
    yield running
    running.stop()


# --- How a session reads ----------------------------------------------------------------------


class TestDecoding:
    def test_reads_every_field(self):
        session = SESSIONS.read(PAYLOAD)

        assert (session.status, session.stopping_reason, session.error) == (
            "COMPLETED",
            "Goal reached",
            None,
        )
        assert session.recording_uri == PAYLOAD["recordingUri"]
        assert session.is_production is False
        assert isinstance(session.created_at, datetime) and session.created_at.tzinfo

    def test_is_production_defaults_to_false_and_nullable_fields_to_none(self):
        data = {
            k: v
            for k, v in PAYLOAD.items()
            if k not in ("isProduction", "recordingUri", "testCaseId", "runId")
        }

        session = SESSIONS.read(data)

        assert session.is_production is False
        assert (session.recording_uri, session.test_case_id, session.run_id) == (None, None, None)

    @pytest.mark.parametrize(
        "changes",
        [
            {"status": None},
            {"status": 2},
            {"versionId": None},
            {"isProduction": "true"},
            {"recordingUri": {"bucket": "x"}},
            {"createdAt": "yesterday"},
            {"error": ["busy"]},
        ],
        ids=repr,
    )
    def test_a_wrongly_shaped_session_is_a_bad_answer(self, changes):
        with pytest.raises(GalteaBadAnswer):
            SESSIONS.read({**PAYLOAD, **changes})

    def test_a_list_that_is_not_an_array_is_a_bad_answer(self, upstream):
        upstream.handler = lambda request: json_reply({"sessions": [PAYLOAD]})
        client = GalteaClient(upstream.url, "gsk_fake_key", read_timeout=2.0)

        with pytest.raises(GalteaBadAnswer):
            session_list(query=SESSIONS.query(version_ids=["version_1"]), client=client)

    def test_every_seeded_session_reads(self, client, seeded):
        product_ids = [p["id"] for p in client.get("/products")]
        query = SESSIONS.query(product_ids=product_ids).order_by(("createdAt", "desc"))

        read_back = session_list(query=query, limit=1000, client=client)

        assert [s.id for s in read_back] == [s["id"] for s in seeded]
        assert [s.recording_uri for s in read_back] == [s["recordingUri"] for s in seeded]
        assert {s.status for s in read_back} == {"PENDING", "COMPLETED", "FAILED"}


# --- The latest calls of some versions --------------------------------------------------------


class TestLatestSessions:
    def test_newest_first_limited_in_one_request(self, client, seeded, log):
        version_ids = list(dict.fromkeys(s["versionId"] for s in seeded))[:3]
        expected = [s for s in seeded if s["versionId"] in version_ids][:5]

        found = latest_sessions(version_ids, limit=5, client=client)

        assert [s.id for s in found] == [s["id"] for s in expected]
        assert [s.created_at for s in found] == sorted((s.created_at for s in found), reverse=True)
        (asked,) = log.requests_received()
        assert asked["path"] == "/sessions"
        assert pairs(asked) == [
            *[("versionIds[]", v) for v in version_ids],
            ("sort[]", "createdAt"),
            ("sort[]", "desc"),
            ("offset", "0"),
            ("limit", "5"),
        ]

    def test_fewer_calls_than_the_limit(self, client, seeded):
        version_id = seeded[0]["versionId"]
        expected = [s["id"] for s in seeded if s["versionId"] == version_id]

        found = latest_sessions([version_id], limit=100, client=client)

        assert [s.id for s in found] == expected

    def test_no_versions_no_request(self, client, log):
        assert latest_sessions([], limit=10, client=client) == []
        assert log.requests_received() == []

    def test_at_most_200_versions_per_request(self, client, seeded, log):
        version_ids = [f"version_{n:024x}" for n in range(250)]

        assert latest_sessions(version_ids, limit=10, client=client) == []
        (asked,) = log.requests_received()
        assert [v for k, v in pairs(asked) if k == "versionIds[]"] == version_ids[:200]


# --- Recordings -------------------------------------------------------------------------------


class TestRecordingUrl:
    def test_a_presigned_link_that_downloads_as_wav(self, client, emulator, seeded, log):
        call = next(s for s in seeded if s["recordingUri"])

        link = recording_url(recording_uri=call["recordingUri"], client=client)

        parts = urlsplit(link)
        assert f"{parts.scheme}://{parts.netloc}" == emulator.url
        (asked,) = log.requests_received()
        assert (asked["path"], pairs(asked)) == (PRESIGN, [("uri", call["recordingUri"])])
        audio = requests.get(link, timeout=10)  # a browser's request: no API key
        assert (audio.status_code, audio.headers["Content-Type"]) == (200, "audio/wav")
        with wave.open(io.BytesIO(audio.content)) as sound:
            assert sound.getnframes() > 0

    def test_a_recording_galtea_does_not_have(self, client):
        with pytest.raises(GalteaNotFound):
            recording_url(recording_uri="s3://galtea-recordings/org_1/nothing.wav", client=client)

    def test_when_galtea_limits_transfers(self, busy):
        client = GalteaClient(busy.url, busy.api_key, read_timeout=10.0)
        call = next(s for s in sessions(busy, NEWEST_FIRST) if s["recordingUri"])
        busy.clear_request_log()

        with pytest.raises(GalteaRateLimited) as raised:
            recording_url(recording_uri=call["recordingUri"], client=client)

        assert raised.value.upstream_status == 429
        assert [r["status"] for r in busy.requests_received()] == [429]  # not retried

    @pytest.mark.parametrize(
        "data",
        [
            ["https://storage.example/a.wav"],
            "https://storage.example/a.wav",
            {},
            {"url": "https://storage.example/a.wav"},
            {"downloadPresignedUrl": None},
            {"downloadPresignedUrl": 42},
            {"downloadPresignedUrl": "/recordings/a.wav"},
            {"downloadPresignedUrl": "javascript:alert(1)"},
            {"downloadPresignedUrl": "ftp://storage.example/a.wav"},
            {"downloadPresignedUrl": "data:audio/wav;base64,AAAA"},
        ],
        ids=repr,
    )
    def test_an_answer_that_is_not_a_web_address_is_a_bad_answer(self, data):
        with pytest.raises(GalteaBadAnswer):
            read_recording_url(data)

    @pytest.mark.parametrize("url", ["https://s3.example/a.wav?sig=1", "http://127.0.0.1:9/a"])
    def test_http_and_https_links_are_read(self, url):
        assert read_recording_url({"downloadPresignedUrl": url}) == url

    def test_a_bad_answer_from_the_wire_is_refused(self, upstream):
        upstream.handler = lambda request: json_reply({"downloadPresignedUrl": "javascript:x"})
        client = GalteaClient(upstream.url, "gsk_fake_key", read_timeout=2.0)

        with pytest.raises(GalteaBadAnswer):
            recording_url(recording_uri="s3://bucket/a.wav", client=client)

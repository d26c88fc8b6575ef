"""A call's recording: `GET /sessions/<id>/recording/` answers the short-lived link Galtea
gives (and nothing else of the call), or why there is none; the link really plays from the
emulator's storage; and the pages let media play only from the recording origins.
"""

from __future__ import annotations

import io
import json
import wave
from urllib.parse import urlsplit

import pytest
import requests

from tests.versions.api import NEWEST_FIRST, requests_to, sessions

pytestmark = pytest.mark.django_db

PRESIGN = "/storage/generate-get-presigned-url"
BUSY = "Galtea is sending too many recordings just now: try again in a minute."


def recording_url(session_id: str) -> str:
    return f"/sessions/{session_id}/recording/"


def answer(response, status: int) -> dict:
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"] == "application/json"
    return json.loads(response.content)


def first(api, predicate) -> dict:
    return next(s for s in sessions(api, NEWEST_FIRST) if predicate(s))


def recorded(api) -> dict:
    return first(api, lambda s: s["recordingUri"])


def media_sources(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    (media,) = [d.split()[1:] for d in policy.split(";") if d.split()[:1] == ["media-src"]]
    return media


class TestRecordingLink:
    def test_a_recorded_call_answers_a_link_that_plays_as_wav(self, viewer_client, api):
        call = recorded(api)

        body = answer(viewer_client.get(recording_url(call["id"])), 200)

        link = body["url"]
        assert f"{urlsplit(link).scheme}://{urlsplit(link).netloc}" == api.url
        audio = requests.get(link, timeout=10)  # as the browser fetches it: no API key
        assert audio.status_code == 200
        assert audio.headers["Content-Type"] == "audio/wav"
        with wave.open(io.BytesIO(audio.content)) as sound:
            assert sound.getnframes() > 0 and sound.getframerate() > 0
        (asked,) = requests_to(api, PRESIGN)
        assert "uri=" in asked["query"]

    def test_only_the_link_leaves_the_server(self, viewer_client, api):
        call = recorded(api)

        response = viewer_client.get(recording_url(call["id"]))

        assert set(answer(response, 200)) == {"url"}
        text = response.content.decode()
        for key in ("recordingUri", "versionId", "testCaseId", "runId", "userId", "customId"):
            if call[key]:
                assert call[key] not in text, key
        assert "s3://" not in text and api.api_key not in text

    def test_a_pending_call_has_no_recording(self, viewer_client, api):
        call = first(api, lambda s: s["status"] == "PENDING" and not s["recordingUri"])
        api.clear_request_log()

        body = answer(viewer_client.get(recording_url(call["id"])), 404)

        assert body == {"error": "This call has no recording."}
        assert requests_to(api, PRESIGN) == []

    def test_a_call_that_does_not_exist(self, viewer_client, api):
        body = answer(viewer_client.get(recording_url("session_doesnotexist")), 404)

        assert set(body) == {"error"}

    def test_when_galtea_limits_transfers_it_says_to_wait(self, viewer_client, busy):
        call = next(s for s in sessions(busy, NEWEST_FIRST) if s["recordingUri"])
        busy.clear_request_log()

        body = answer(viewer_client.get(recording_url(call["id"])), 429)

        assert body == {"error": BUSY}
        (asked,) = requests_to(busy, PRESIGN)  # asked once, not retried
        assert asked["status"] == 429

    def test_a_link_to_another_origin_is_not_handed_out(self, viewer_client, api, settings):
        settings.GALTEA_RECORDING_ORIGINS = ("https://recordings.galtea.example",)
        call = recorded(api)

        response = viewer_client.get(recording_url(call["id"]))

        body = answer(response, 502)
        assert body == {
            "error": "The recording is stored where this admin is not set up to play it from."
        }
        assert "/recordings/" not in response.content.decode()

    def test_signed_out_there_is_no_link(self, client, api, galtea_settings):
        call = recorded(api)
        api.clear_request_log()

        response = client.get(recording_url(call["id"]))

        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
        assert api.requests_received() == []

    def test_only_get(self, viewer_client, api):
        assert viewer_client.post(recording_url(recorded(api)["id"])).status_code == 405


class TestContentSecurityPolicy:
    def test_a_call_page_lets_media_play_only_from_the_recording_origin(self, viewer_client, api):
        response = viewer_client.get(f"/sessions/{recorded(api)['id']}/")

        assert response.status_code == 200
        assert media_sources(response) == [api.url]
        policy = response["Content-Security-Policy"]
        assert "default-src 'self'" in policy and "object-src 'none'" in policy

    def test_every_configured_origin_is_allowed(self, viewer_client, api, settings):
        settings.GALTEA_RECORDING_ORIGINS = (api.url, "https://recordings.galtea.example")

        response = viewer_client.get("/sessions/")

        assert media_sources(response) == [api.url, "https://recordings.galtea.example"]

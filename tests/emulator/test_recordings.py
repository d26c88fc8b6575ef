"""Recordings: a presigned link from `GET /storage/generate-get-presigned-url`, played from
the emulator's own origin without the API key, in ranges; and the 429 fault option.
"""

from __future__ import annotations

import io
import subprocess
import sys
import time
import wave
from urllib.parse import parse_qs, quote, urlencode, urlsplit

import pytest
import requests

from tests.emulator.calls import send
from tests.emulator_process import REPO_ROOT, launch, start_emulator

PRESIGN = "/storage/generate-get-presigned-url"
JSON_TYPE = "application/json; charset=utf-8"
XML_TYPE = "application/xml"
TOO_MANY = "Too many file transfers from this network address; retry in a minute."


def with_options(*options: str):
    """A `start` for `start_emulator` that adds command-line options."""

    def start(args: list[str], log_path):
        return launch([*args, *options], log_path)

    return start


def presign(emulator, uri: str, headers: dict | None = None) -> requests.Response:
    return send(emulator, "GET", f"{PRESIGN}?{urlencode({'uri': uri})}", headers=headers)


def link(emulator, uri: str) -> str:
    response = presign(emulator, uri)
    assert response.status_code == 200, response.text
    assert response.headers["Content-Type"] == JSON_TYPE
    assert set(response.json()) == {"downloadPresignedUrl"}
    return response.json()["downloadPresignedUrl"]


def fetch(url: str, **headers) -> requests.Response:
    """A browser's request: no API key."""
    return requests.get(url, headers=headers, timeout=10)


def xml_code(response: requests.Response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == XML_TYPE
    assert response.text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>')
    return response.text.split("<Code>")[1].split("</Code>")[0]


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    running = start_emulator(tmp_path_factory.mktemp("recordings"), seed=60)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def sessions(seeded) -> list[dict]:
    products = "&".join(f"productIds[]={p['id']}" for p in seeded.get("/products").json())
    return seeded.get(f"/sessions?{products}").json()


@pytest.fixture(scope="module")
def recorded(sessions) -> list[dict]:
    return [session for session in sessions if session["recordingUri"]]


@pytest.fixture(scope="module")
def url(seeded, recorded) -> str:
    return link(seeded, recorded[0]["recordingUri"])


@pytest.fixture(scope="module")
def audio(url) -> bytes:
    response = fetch(url)
    assert response.status_code == 200
    return response.content


# --- The link ---------------------------------------------------------------------------


def test_the_link_is_on_the_emulator_s_own_origin_and_short_lived(seeded, recorded, url):
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == seeded.url
    assert parts.path == f"/recordings/{recorded[0]['id']}.wav"
    query = parse_qs(parts.query)
    assert set(query) == {"expires", "signature"}
    assert time.time() + 240 < int(query["expires"][0]) <= time.time() + 301


def test_the_link_follows_the_host_the_client_asked_for(seeded, recorded):
    host = f"localhost:{seeded.port}"
    response = presign(seeded, recorded[0]["recordingUri"], headers={"Host": host})
    assert response.json()["downloadPresignedUrl"].startswith(f"http://{host}/recordings/")


def test_the_recording_is_a_short_mono_pcm_wav(url, audio):
    response = fetch(url)
    assert response.headers["Content-Type"] == "audio/wav"
    assert response.headers["Content-Length"] == str(len(audio))
    assert response.headers["Accept-Ranges"] == "bytes"
    with wave.open(io.BytesIO(audio)) as wav:
        assert wav.getnchannels() == 1
        assert wav.getsampwidth() == 2
        assert wav.getframerate() in (8000, 16000)
        seconds = wav.getnframes() / wav.getframerate()
        frames = wav.readframes(wav.getnframes())
    assert 2 <= seconds <= 5
    assert frames.count(0) < len(frames) / 2


def test_recordings_differ_by_session_and_stay_the_same(seeded, recorded, audio):
    assert fetch(link(seeded, recorded[0]["recordingUri"])).content == audio
    others = {fetch(link(seeded, session["recordingUri"])).content for session in recorded[1:6]}
    assert audio not in others
    assert len(others) == 5


def test_the_download_needs_no_key_but_the_link_does(seeded, recorded, url):
    assert fetch(url).status_code == 200
    query = urlencode({"uri": recorded[0]["recordingUri"]})
    assert requests.get(f"{seeded.url}{PRESIGN}?{query}", timeout=10).status_code == 401


# --- Ranges -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "start", "end"),
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-", 100, None),
        ("bytes=-50", -50, None),
        ("bytes=10-10", 10, 10),
        ("bytes=0-99999999", 0, None),
    ],
)
def test_a_range_answers_206_with_that_part(url, audio, header, start, end):
    response = fetch(url, Range=header)
    assert response.status_code == 206
    expected = audio[start:] if end is None else audio[start : end + 1]
    assert response.content == expected
    first = start % len(audio)
    last = len(audio) - 1 if end is None else end
    assert response.headers["Content-Range"] == f"bytes {first}-{last}/{len(audio)}"
    assert response.headers["Content-Length"] == str(len(expected))
    assert response.headers["Content-Type"] == "audio/wav"


def test_a_range_past_the_end_is_416(url, audio):
    response = fetch(url, Range=f"bytes={len(audio)}-")
    assert xml_code(response, 416) == "InvalidRange"
    assert response.headers["Content-Range"] == f"bytes */{len(audio)}"


@pytest.mark.parametrize("header", ["bytes=0-1,5-9", "items=0-9", "bytes=9-2", "bytes=x"])
def test_a_range_the_server_ignores_gets_the_whole_file(url, audio, header):
    response = fetch(url, Range=header)
    assert response.status_code == 200
    assert response.content == audio


# --- Refused links ----------------------------------------------------------------------


def with_query(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    query = {**query, **changes}
    query = {key: value for key, value in query.items() if value is not None}
    return parts._replace(query=urlencode(query)).geturl()


def test_a_wrong_signature_is_403(url):
    signature = parse_qs(urlsplit(url).query)["signature"][0]
    forged = with_query(url, signature=signature[:-1] + ("0" if signature[-1] != "0" else "1"))
    assert xml_code(fetch(forged), 403) == "SignatureDoesNotMatch"


def test_a_changed_expiry_is_403(url):
    later = with_query(url, expires=str(int(time.time()) + 3600))
    assert xml_code(fetch(later), 403) == "SignatureDoesNotMatch"
    earlier = with_query(url, expires="1")
    assert xml_code(fetch(earlier), 403) == "SignatureDoesNotMatch"


def test_a_link_does_not_open_another_recording(url, recorded):
    other = url.replace(recorded[0]["id"], recorded[1]["id"])
    assert xml_code(fetch(other), 403) == "SignatureDoesNotMatch"


@pytest.mark.parametrize("missing", ["expires", "signature"])
def test_a_link_without_its_signature_is_403(url, missing):
    response = fetch(with_query(url, **{missing: None}))
    assert xml_code(response, 403) == "AccessDenied"


def test_a_link_expires(tmp_path, recorded):
    running = start_emulator(tmp_path, seed=60, start=with_options("--recording-url-seconds", "1"))
    try:
        short = link(running, recorded[0]["recordingUri"])
        assert fetch(short).status_code == 200
        time.sleep(2.2)
        response = fetch(short)
        assert xml_code(response, 403) == "AccessDenied"
        assert "Request has expired" in response.text
    finally:
        running.stop()


def test_a_link_dies_with_a_restart(tmp_path, recorded):
    data_path = tmp_path / "store.sqlite3"
    first = start_emulator(tmp_path, seed=60, data_path=data_path)
    try:
        old = link(first, recorded[0]["recordingUri"])
    finally:
        first.stop()
    second = start_emulator(tmp_path, seed=60, data_path=data_path, port=urlsplit(old).port)
    try:
        assert xml_code(fetch(old), 403) == "SignatureDoesNotMatch"
    finally:
        second.stop()


# --- Asking for a link ------------------------------------------------------------------


def test_an_unknown_uri_is_a_json_404(seeded, sessions):
    pending = next(session for session in sessions if session["recordingUri"] is None)
    for uri in (
        "s3://galtea-recordings/org_x/session_nope.wav",
        f"s3://galtea-recordings/org_7c1e5a2b9d3f4e60/{pending['id']}.wav",
        "s3://elsewhere/file.wav",
        "not a uri",
    ):
        response = presign(seeded, uri)
        assert response.status_code == 404
        assert response.headers["Content-Type"] == JSON_TYPE
        assert response.json() == {"error": "Not Found", "message": f"File not found: {uri}"}


def test_another_organization_s_uri_for_a_real_session_is_404(seeded, recorded):
    uri = recorded[0]["recordingUri"].replace("org_", "org_other")
    assert presign(seeded, uri).status_code == 404


@pytest.mark.parametrize("query", ["", "uri=", "uri=%20", "uri=a&uri=b"])
def test_a_missing_or_repeated_uri_is_400(seeded, query):
    response = seeded.get(f"{PRESIGN}?{query}")
    assert response.status_code == 400
    assert "uri" in response.json()["message"]


def test_an_unknown_recording_path_is_403_not_404(seeded):
    """As S3 does, a path without a valid signature says nothing about what exists."""
    assert xml_code(fetch(f"{seeded.url}/recordings/session_nope.wav"), 403) == "AccessDenied"
    assert fetch(f"{seeded.url}/recordings/").status_code == 401


def test_the_current_generation_serves_recordings_too(tmp_path, recorded, audio):
    current = start_emulator(tmp_path, seed=60, api_generation="current")
    try:
        assert fetch(link(current, recorded[0]["recordingUri"])).content == audio
    finally:
        current.stop()


# --- The request log and latency --------------------------------------------------------


def test_the_request_log_records_both_steps(tmp_path, recorded):
    running = start_emulator(tmp_path, seed=60, latency_ms=300)
    try:
        uri = recorded[0]["recordingUri"]
        started = time.monotonic()
        download = link(running, uri)
        assert time.monotonic() - started >= 0.3
        started = time.monotonic()
        assert fetch(download, Range="bytes=0-9").status_code == 206
        assert time.monotonic() - started >= 0.3
        path = urlsplit(download).path
        assert running.requests_received() == [
            {
                "method": "GET",
                "path": PRESIGN,
                "query": f"uri={quote(uri, safe='')}",
                "status": 200,
            },
            {"method": "GET", "path": path, "query": urlsplit(download).query, "status": 206},
        ]
    finally:
        running.stop()


# --- The 429 fault ----------------------------------------------------------------------


@pytest.fixture(scope="module")
def limited(tmp_path_factory):
    running = start_emulator(
        tmp_path_factory.mktemp("recordings-429"),
        seed=60,
        start=with_options("--recording-fault", "429"),
    )
    yield running
    running.stop()


def test_the_fault_makes_asking_for_a_link_429(limited, recorded):
    response = presign(limited, recorded[0]["recordingUri"])
    assert response.status_code == 429
    assert response.headers["Content-Type"] == JSON_TYPE
    assert response.headers["Retry-After"] == "60"
    assert response.json() == {"error": "Too Many Requests", "message": TOO_MANY}


def test_the_fault_makes_every_download_429(limited, recorded, url):
    path = urlsplit(url)
    response = fetch(f"{limited.url}{path.path}?{path.query}")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "60"
    assert response.json()["message"] == TOO_MANY


def test_the_fault_leaves_other_routes_alone(limited, recorded):
    assert limited.get(f"/sessions/{recorded[0]['id']}").json()["recordingUri"]
    assert limited.get("/versions?limit=1").status_code == 200


def test_the_fault_still_needs_the_key_to_ask(limited, recorded):
    query = urlencode({"uri": recorded[0]["recordingUri"]})
    assert requests.get(f"{limited.url}{PRESIGN}?{query}", timeout=10).status_code == 401


def emulator_cli(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "emulator", *args]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)


def test_help_names_the_recording_options():
    answer = emulator_cli("--help")
    assert answer.returncode == 0
    assert "--recording-fault {none,429}" in answer.stdout
    assert "--recording-url-seconds" in answer.stdout


@pytest.mark.parametrize(
    ("option", "value"), [("--recording-fault", "500"), ("--recording-url-seconds", "0")]
)
def test_bad_recording_options_are_refused(tmp_path, option, value):
    data = str(tmp_path / "x.sqlite3")
    options = ("--port", "0", "--data", data, "--seed", "0", "--api-key", "k")
    answer = emulator_cli(*options, option, value)
    assert answer.returncode == 2
    assert option in answer.stderr

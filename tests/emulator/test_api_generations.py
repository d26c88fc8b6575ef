"""`--api-generation`: the documented API, or the current one without `voice`,
`languageCode` and `GET /phoneConnections/voices`, over the same seeded rows."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.emulator.calls import VALID_NUMBER, create, first_product_id, list_rows, send
from tests.emulator_process import REPO_ROOT, start_emulator

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"
SEEDED = 60
VOICE_FIELDS = ("voice", "languageCode")
CURRENT_FIELDS = {
    "id",
    "productId",
    "name",
    "phoneNumber",
    "userId",
    "agentSpeaksFirst",
    "createdAt",
    "deletedAt",
}


def without_voice(row: dict) -> dict:
    return {key: value for key, value in row.items() if key not in VOICE_FIELDS}


def json_error(response, status: int) -> str:
    assert response.status_code == status, response.text
    assert response.headers["Content-Type"] == JSON_TYPE
    assert set(response.json()) == {"error", "message"}
    return response.json()["message"]


@pytest.fixture(scope="module")
def documented(tmp_path_factory):
    running = start_emulator(tmp_path_factory.mktemp("documented"), seed=SEEDED)
    yield running
    running.stop()


@pytest.fixture(scope="module")
def current(tmp_path_factory):
    """Seeded as `documented` is; only read."""
    running = start_emulator(
        tmp_path_factory.mktemp("current"), seed=SEEDED, api_generation="current"
    )
    yield running
    running.stop()


@pytest.fixture(scope="module")
def current_writes(tmp_path_factory):
    running = start_emulator(
        tmp_path_factory.mktemp("current-writes"), seed=30, api_generation="current"
    )
    yield running
    running.stop()


# --- Answers ----------------------------------------------------------------------------


def test_both_generations_seed_the_same_rows(documented, current):
    documented_rows = list_rows(documented)
    assert len(documented_rows) == SEEDED
    assert {row["voice"] for row in documented_rows} > {None}
    assert {row["languageCode"] for row in documented_rows} > {None}
    assert list_rows(current) == [without_voice(row) for row in documented_rows]


def test_the_current_generation_answers_no_voice_or_language_code(current):
    rows = list_rows(current)
    assert {frozenset(row) for row in rows} == {frozenset(CURRENT_FIELDS)}
    one = current.get(f"/phoneConnections/{rows[0]['id']}")
    assert one.status_code == 200
    assert set(one.json()) == CURRENT_FIELDS


def test_the_other_resources_are_the_same_in_both(documented, current):
    for path in ("/products", "/webRtcConnections", "/minimum-sdk-version"):
        assert current.get(path).json() == documented.get(path).json()


def test_voice_and_language_code_are_not_filters(current):
    everything = list_rows(current)
    for query in ("voice=theo", "languageCode=en-GB", "voices[]=theo", "languageCodes[]=en-US"):
        assert list_rows(current, query) == everything


@pytest.mark.parametrize("field", VOICE_FIELDS)
def test_neither_field_sorts(documented, current, field):
    for emulator in (documented, current):
        response = emulator.get(f"/phoneConnections?sort[]={field}&sort[]=asc")
        assert field in json_error(response, 400)


# --- Writes -----------------------------------------------------------------------------


def test_create_answers_201_without_the_two_fields(current_writes):
    created = create(current_writes, agentSpeaksFirst=True)
    assert set(created) == CURRENT_FIELDS
    assert created["agentSpeaksFirst"] is True
    assert current_writes.get(f"/phoneConnections/{created['id']}").json() == created


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"voice": "theo"}, "Unknown field: voice."),
        ({"voice": None}, "Unknown field: voice."),
        ({"languageCode": "en-GB"}, "Unknown field: languageCode."),
        ({"languageCode": None}, "Unknown field: languageCode."),
        ({"voice": "jack", "languageCode": "en-US"}, "Unknown fields: voice, languageCode."),
    ],
)
def test_create_with_voice_or_language_code_is_400(current_writes, fields, message):
    before = len(list_rows(current_writes))
    body = {
        "productId": first_product_id(current_writes),
        "name": "Voiced line",
        "phoneNumber": VALID_NUMBER,
        **fields,
    }
    response = send(current_writes, "POST", "/phoneConnections", json=body)
    assert json_error(response, 400) == message
    assert response.json()["error"] == "Bad Request"
    assert len(list_rows(current_writes)) == before


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"voice": "megan"}, "Unknown field: voice."),
        ({"voice": None}, "Unknown field: voice."),
        ({"name": "Renamed", "languageCode": "es-ES"}, "Unknown field: languageCode."),
        ({"languageCode": None}, "Unknown field: languageCode."),
    ],
)
def test_patch_with_voice_or_language_code_is_400(current_writes, fields, message):
    original = create(current_writes)
    path = f"/phoneConnections/{original['id']}"
    assert json_error(send(current_writes, "PATCH", path, json=fields), 400) == message
    assert current_writes.get(path).json() == original


def test_patch_and_delete_work_as_in_the_documented_generation(current_writes):
    original = create(current_writes)
    path = f"/phoneConnections/{original['id']}"
    patched = send(current_writes, "PATCH", path, json={"name": "Renamed line"})
    assert patched.status_code == 200
    assert patched.json() == {**original, "name": "Renamed line"}
    deleted = send(current_writes, "DELETE", path)
    assert (deleted.status_code, deleted.content) == (204, b"")
    assert json_error(current_writes.get(path), 404) == (
        f"PhoneConnection not found: {original['id']}"
    )


def test_the_batch_delete_is_there_in_the_current_generation(current_writes):
    row_ids = [create(current_writes)["id"] for _ in range(2)]
    response = send(
        current_writes, "DELETE", "/phoneConnections/batch", json={"ids": [*row_ids, "x"]}
    )
    assert json_error(response, 404) == "PhoneConnections not found: x"
    response = send(current_writes, "DELETE", "/phoneConnections/batch", json={"ids": row_ids})
    assert response.json() == {"message": "Phone connections deleted successfully"}


# --- The voices route -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/phoneConnections/voices", "/phoneConnections/voices/"])
def test_the_current_generation_has_no_voices_route(current, path):
    response = current.get(path)
    assert response.status_code == 404
    assert response.headers["Content-Type"] == HTML_TYPE
    unknown = current.get("/phoneConnections/a/b")
    assert response.text == unknown.text.replace("/phoneConnections/a/b", path)
    assert response.text.startswith("<!DOCTYPE html>")
    assert f"<pre>Cannot GET {path}</pre>" in response.text


def test_the_documented_generation_lists_voices(documented):
    response = documented.get("/phoneConnections/voices")
    assert response.status_code == 200
    assert [voice["id"] for voice in response.json()["voices"]] == [
        "sarah",
        "theo",
        "megan",
        "jack",
    ]


def test_voices_is_still_no_entity_for_other_methods(current):
    response = send(current, "PATCH", "/phoneConnections/voices", json={"name": "x"})
    assert json_error(response, 404) == "PhoneConnection not found: voices"


# --- One store, either generation ---------------------------------------------------------


def test_one_store_serves_either_generation(tmp_path):
    data_path = tmp_path / "store.sqlite3"
    first = start_emulator(tmp_path, seed=5, data_path=data_path, api_generation="current")
    try:
        plain = create(first)
    finally:
        first.stop()
    second = start_emulator(tmp_path, seed=5, data_path=data_path)
    try:
        read = second.get(f"/phoneConnections/{plain['id']}").json()
        assert read == {**plain, "voice": None, "languageCode": None}
        voiced = create(second, voice="theo", languageCode="en-GB")
    finally:
        second.stop()
    third = start_emulator(tmp_path, seed=5, data_path=data_path, api_generation="current")
    try:
        assert third.get(f"/phoneConnections/{voiced['id']}").json() == without_voice(voiced)
        assert len(list_rows(third)) == 7
    finally:
        third.stop()


# --- The command line -------------------------------------------------------------------


def emulator_cli(*args: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "emulator", *args]
    return subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=60)


def test_help_names_the_option_and_its_choices():
    answer = emulator_cli("--help")
    assert answer.returncode == 0
    assert "--api-generation {documented,current}" in answer.stdout
    assert "Default: documented." in " ".join(answer.stdout.split())


def test_an_unknown_generation_is_refused(tmp_path):
    data = str(tmp_path / "x.sqlite3")
    options = ("--port", "0", "--data", data, "--seed", "0", "--api-key", "k")
    answer = emulator_cli(*options, "--api-generation", "newest")
    assert answer.returncode == 2
    assert "invalid choice: 'newest' (choose from 'documented', 'current')" in answer.stderr
    assert not (tmp_path / "x.sqlite3").exists()


def test_the_start_line_names_the_generation(current, documented):
    for emulator, generation in ((current, "current"), (documented, "documented")):
        log = (emulator.data_path.parent / f"emulator-{emulator.port}.log").read_text()
        assert f"WebRTC connections), the {generation} API" in log

"""WebRTC connections made on the session emulator for a test, deleted after it."""

from __future__ import annotations

import uuid

import pytest
import requests

RESOURCE = "/webRtcConnections"


def create_webrtc_connection(emulator, **fields) -> dict:
    body = {"agentName": "acme-support-agent", "agentSpeaksFirst": False, **fields}
    body.setdefault("name", f"Web test agent {uuid.uuid4().hex[:10]}")
    if "productId" not in body:
        body["productId"] = emulator.get("/products").json()[0]["id"]
    response = requests.post(emulator.url + RESOURCE, json=body, headers=emulator.auth, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


@pytest.fixture
def make_webrtc(emulator):
    made: list[str] = []

    def make(**fields) -> dict:
        row = create_webrtc_connection(emulator, **fields)
        made.append(row["id"])
        emulator.clear_request_log()
        return row

    yield make
    for row_id in made:
        requests.delete(f"{emulator.url}{RESOURCE}/{row_id}", headers=emulator.auth, timeout=10)

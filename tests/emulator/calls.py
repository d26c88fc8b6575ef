"""HTTP calls the emulator's contract tests share."""

from __future__ import annotations

import uuid

import requests

from tests.emulator_process import RunningEmulator

VALID_NUMBER = "+14155552671"


def send(
    emulator: RunningEmulator, method: str, path: str, headers: dict | None = None, **kwargs
) -> requests.Response:
    """One authenticated request, with any extra `headers`; `path` may carry a raw query."""
    headers = {**emulator.auth, **(headers or {})}
    return requests.request(method, emulator.url + path, headers=headers, timeout=10, **kwargs)


def list_rows(emulator: RunningEmulator, query: str = "") -> list[dict]:
    """`GET /phoneConnections?<query>`, which must succeed."""
    response = emulator.get(f"/phoneConnections?{query}")
    assert response.status_code == 200, response.text
    return response.json()


def first_product_id(emulator: RunningEmulator) -> str:
    return emulator.get("/products").json()[0]["id"]


def unique_name(prefix: str = "Test line") -> str:
    return f"{prefix} {uuid.uuid4().hex[:8]}"


def create(emulator: RunningEmulator, **fields) -> dict:
    """Create a phone connection (valid defaults for the required fields) and return it."""
    body = {
        "productId": first_product_id(emulator),
        "name": unique_name(),
        "phoneNumber": VALID_NUMBER,
        **fields,
    }
    response = send(emulator, "POST", "/phoneConnections", json=body)
    assert response.status_code == 201, response.text
    return response.json()


def delete_batch(emulator: RunningEmulator, body, path: str = "/phoneConnections/batch"):
    """`DELETE <path>` with `body` as its JSON (bytes are sent as they are)."""
    if isinstance(body, bytes):
        headers = {"Content-Type": "application/json"}
        return send(emulator, "DELETE", path, data=body, headers=headers)
    return send(emulator, "DELETE", path, json=body)

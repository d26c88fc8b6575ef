"""Fixtures of the editing tests: signed-in people of each role, the API they change.

Tests that change data point the admin at the session emulator and only touch rows of
their own (unique names).
`gateway` puts a small recording proxy between the admin and the emulator: it keeps every
request body the admin sent and can answer chosen requests with a failure instead.
"""

from __future__ import annotations

import socket

import pytest

from tests.editing.pages import create_row


@pytest.fixture
def row(api) -> dict:
    """A phone connection of this test's own on the session emulator."""
    created = create_row(api, phoneNumber="+14155552671", voice="theo", languageCode="en-GB")
    api.clear_request_log()
    return created


@pytest.fixture
def product_names(api) -> dict[str, str]:
    response = api.get("/products")
    return {product["id"]: product["name"] for product in response.json()}


@pytest.fixture
def closed_port_url() -> str:
    """The URL of a loopback port nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"

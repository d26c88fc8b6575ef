"""Fixtures of the editing tests: signed-in people of each role, the API they change.

Tests that change data point the admin at the session emulator and only touch rows of
their own (unique names).
`gateway` puts a small recording proxy between the admin and the emulator: it keeps every
request body the admin sent and can answer chosen requests with a failure instead.
"""

from __future__ import annotations

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

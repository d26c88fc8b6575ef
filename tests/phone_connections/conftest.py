"""Fixtures of the phone-connection page tests."""

from __future__ import annotations

import pytest

from tests.phone_connections.pages import create_row, delete_row


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Creating the signed-in user need not cost a production-strength password hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def log(emulator):
    """The session emulator, its request log emptied for this test."""
    emulator.clear_request_log()
    return emulator


@pytest.fixture
def private(signed_in, fresh_emulator, settings):
    """A signed-in client's admin pointed at an emulator of the test's own (30 seeded rows)."""
    settings.GALTEA_API_URL = fresh_emulator.url
    settings.GALTEA_API_KEY = fresh_emulator.api_key
    fresh_emulator.clear_request_log()
    return fresh_emulator


@pytest.fixture
def make_row(emulator):
    """Create phone connections on the session emulator; they are deleted after the test."""
    made: list[str] = []

    def make(**fields) -> dict:
        row = create_row(emulator, **fields)
        made.append(row["id"])
        return row

    yield make
    for row_id in made:
        delete_row(emulator, row_id, missing_ok=True)

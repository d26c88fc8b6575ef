"""Fixtures of the phone-connection page tests."""

from __future__ import annotations

import pytest


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

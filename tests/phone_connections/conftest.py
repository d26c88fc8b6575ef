"""Fixtures of the phone-connection page tests.

Tests that change data point the admin at the session emulator and only touch rows of their
own (unique names). `gateway` (tests/conftest.py) puts a recording, fault-injecting proxy
between the admin and the emulator.
"""

from __future__ import annotations

import pytest

from tests.pages import unique_marker


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "large: exports a hundred thousand rows from an emulator of its own"
    )


@pytest.fixture
def marker() -> str:
    """A word only this test's rows have in their names: `name=<marker>` lists just them."""
    return unique_marker()


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

"""Fixtures of the session page tests: the session emulator for reading, and an emulator
of the test's own whose recording transfers all answer 429."""

from __future__ import annotations

import pytest

from tests.emulator_process import RunningEmulator, start_emulator


@pytest.fixture
def busy(tmp_path, settings, galtea_settings) -> RunningEmulator:
    """The admin pointed at an emulator whose every recording transfer answers 429 (Too
    many file transfers), as Galtea's transfer limit does."""
    running = start_emulator(tmp_path, seed=30, recording_fault="429")
    settings.GALTEA_API_URL = running.url
    settings.GALTEA_API_KEY = running.api_key
    settings.GALTEA_RECORDING_ORIGINS = (running.url,)
    yield running
    running.stop()

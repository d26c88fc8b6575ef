"""Fixtures of the service-layer tests: clients for the emulators, a fake upstream."""

from __future__ import annotations

import pytest

from galtea_admin.galtea.client import GalteaClient
from tests.emulator_process import start_emulator
from tests.galtea.fake_upstream import FakeUpstream


@pytest.fixture(scope="session")
def client(emulator) -> GalteaClient:
    """A client for the session emulator (read-only tests, or writes with unique names)."""
    return GalteaClient(emulator.url, emulator.api_key, read_timeout=10.0)


@pytest.fixture
def fresh_client(fresh_emulator) -> GalteaClient:
    """A client for an emulator of the test's own, for tests that write."""
    return GalteaClient(fresh_emulator.url, fresh_emulator.api_key, read_timeout=10.0)


@pytest.fixture
def upstream():
    """A fake Galtea on loopback; set `upstream.handler` to choose its answers."""
    server = FakeUpstream().start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def writable_emulator(tmp_path_factory):
    """An emulator shared by one module's writing tests (30 seeded rows).

    Each test writes rows of its own (unique names), so the tests stay independent.
    """
    running = start_emulator(tmp_path_factory.mktemp("writable-emulator"), seed=30)
    yield running
    running.stop()


@pytest.fixture
def writer(writable_emulator) -> GalteaClient:
    """A client for the writable emulator, whose request log starts empty."""
    writable_emulator.clear_request_log()
    return GalteaClient(writable_emulator.url, writable_emulator.api_key, read_timeout=10.0)

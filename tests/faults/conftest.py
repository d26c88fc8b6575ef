"""Fixtures of the fault tests: one fault-injecting proxy per module between the admin and the
session emulator, and the admin's timeouts made short so that a hang costs a second."""

from __future__ import annotations

import pytest

from tests.faults.proxy import FaultProxy

READ_TIMEOUT = 1.0


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Creating users need not cost a production-strength password hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="module")
def running_proxy(emulator):
    proxy = FaultProxy(emulator).start()
    yield proxy
    proxy.clear()
    proxy.stop()


@pytest.fixture
def proxy(settings, running_proxy, emulator):
    """The admin talks to the session emulator through the proxy, with no fault yet."""
    running_proxy.clear()
    running_proxy.forget()
    settings.GALTEA_API_URL = running_proxy.url
    settings.GALTEA_API_KEY = emulator.api_key
    settings.GALTEA_CONNECT_TIMEOUT = READ_TIMEOUT
    settings.GALTEA_READ_TIMEOUT = READ_TIMEOUT
    settings.GALTEA_EXPORT_READ_TIMEOUT = READ_TIMEOUT
    settings.GALTEA_CONNECT_RETRIES = 1
    yield running_proxy
    running_proxy.clear()

"""Fixtures of the tests of working on many phone connections at once: bulk delete, export,
saved views and column choice.

Tests that change data point the admin at the session emulator and only touch rows of their
own (unique names), which are deleted again afterwards. `gateway` puts the editing tests'
recording proxy between the admin and the emulator, so that chosen requests fail.
"""

from __future__ import annotations

import pytest

from tests.batch.pages import unique_marker
from tests.editing.conftest import Gateway
from tests.phone_connections.pages import create_row, delete_row


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "large: exports a hundred thousand rows from an emulator of its own"
    )


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Creating users need not cost a production-strength password hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(galtea_settings, emulator):
    """The session emulator, which the admin talks to, its request log emptied."""
    emulator.clear_request_log()
    return emulator


def signed_in_as(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def viewer_client(client, operator, api):
    return signed_in_as(client, operator)


@pytest.fixture
def editor_client(client, editor, api):
    return signed_in_as(client, editor)


@pytest.fixture
def manager_client(client, manager, api):
    return signed_in_as(client, manager)


@pytest.fixture
def marker() -> str:
    """A word only this test's rows have in their names: `name=<marker>` lists just them."""
    return unique_marker()


@pytest.fixture
def make_row(emulator):
    """Create phone connections on the session emulator; whatever is left is deleted after
    the test. The request log is emptied again once the test's rows exist."""
    made: list[str] = []

    def make(**fields) -> dict:
        row = create_row(emulator, **fields)
        made.append(row["id"])
        emulator.clear_request_log()
        return row

    yield make
    for row_id in made:
        delete_row(emulator, row_id, missing_ok=True)


@pytest.fixture
def gateway(settings, api):
    """The admin talks to the session emulator through a recording, fault-injecting proxy."""
    proxy = Gateway(api)
    proxy.server.start()
    settings.GALTEA_API_URL = proxy.url
    settings.GALTEA_API_KEY = api.api_key
    settings.GALTEA_READ_TIMEOUT = 1.0
    yield proxy
    proxy.server.stop()

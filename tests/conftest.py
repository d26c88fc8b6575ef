"""Fixtures shared by the whole suite: a real emulator process on loopback."""

from __future__ import annotations

import os

import pytest

from tests.emulator_process import TEST_API_KEY, RunningEmulator, free_port, start_emulator
from tests.key_leaks import WATCHED_SECRET, collecting

# Playwright's sync API runs an asyncio loop in the test thread; Django's database guard
# would otherwise refuse the ORM calls that live-server tests make.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SEEDED_ROWS = 120


@pytest.fixture(scope="session", autouse=True)
def api_key_never_leaks():
    """Every page, redirect, error page, export and log line of the whole run is collected;
    at the end, none may contain the API key the admin used."""
    with collecting(TEST_API_KEY, WATCHED_SECRET) as collected:
        yield collected
    leaks = collected.containing(TEST_API_KEY)
    assert not leaks, f"the API key appeared in: {leaks[:10]}"
    leaks = collected.containing(WATCHED_SECRET)
    assert not leaks, f"a WebRTC connection's API key appeared in: {leaks[:10]}"


@pytest.fixture(scope="session")
def emulator(tmp_path_factory) -> RunningEmulator:
    """One emulator for the session, seeded with SEEDED_ROWS phone connections.

    Tests that write must not rely on the exact seeded set staying untouched by other
    tests; those that need a pristine store use `fresh_emulator`.
    """
    running = start_emulator(tmp_path_factory.mktemp("emulator"), seed=SEEDED_ROWS)
    yield running
    running.stop()


@pytest.fixture
def fresh_emulator(tmp_path) -> RunningEmulator:
    """An emulator of the test's own, seeded with 30 rows."""
    running = start_emulator(tmp_path, seed=30)
    yield running
    running.stop()


@pytest.fixture
def galtea_settings(settings, emulator):
    """Point the admin's service layer at the session emulator."""
    settings.GALTEA_API_URL = emulator.url
    settings.GALTEA_API_KEY = emulator.api_key
    settings.GALTEA_RECORDING_ORIGINS = (emulator.url,)
    return settings


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with no cached products or voices."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


def user_with_role(django_user_model, username: str, role: str | None):
    from django.contrib.auth.models import Group

    from galtea_admin.accounts.roles import ensure_roles

    ensure_roles()
    user = django_user_model.objects.create_user(
        username=username, password="a-long-test-password", first_name=username.title()
    )
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def operator(django_user_model):
    """An operations user with the Viewer role (reads everything, changes nothing)."""
    return user_with_role(django_user_model, "ana", "Viewer")


@pytest.fixture
def editor(django_user_model):
    return user_with_role(django_user_model, "eddie", "Editor")


@pytest.fixture
def manager(django_user_model):
    return user_with_role(django_user_model, "mona", "Manager")


@pytest.fixture
def signed_in(client, operator, galtea_settings):
    """A Django test client signed in as `operator`, talking to the session emulator."""
    client.force_login(operator)
    return client


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Creating test users need not cost a production-strength password hash."""
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
def gateway(settings, api):
    """The admin talks to the session emulator through a recording, fault-injecting proxy."""
    from tests.faults.proxy import FaultProxy

    proxy = FaultProxy(api).start()
    settings.GALTEA_API_URL = proxy.url
    settings.GALTEA_API_KEY = api.api_key
    settings.GALTEA_READ_TIMEOUT = 1.0
    settings.GALTEA_EXPORT_READ_TIMEOUT = 1.0
    yield proxy
    proxy.stop()


@pytest.fixture
def make_row(emulator):
    """Create phone connections on the session emulator; whatever is left is deleted after
    the test. The request log is emptied again once the test's rows exist."""
    from tests.phone_connections.pages import create_row, delete_row

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
def row(api) -> dict:
    """A phone connection of this test's own on the session emulator (a voice and a language
    set), the request log emptied once it exists."""
    from tests.phone_connections.pages import create_row

    created = create_row(api, phoneNumber="+14155552671", voice="theo", languageCode="en-GB")
    api.clear_request_log()
    return created


@pytest.fixture
def product_names(api) -> dict[str, str]:
    """Product id → name, as the API lists them."""
    response = api.get("/products")
    return {product["id"]: product["name"] for product in response.json()}


@pytest.fixture
def closed_port_url() -> str:
    """The URL of a loopback port nothing listens on."""
    return f"http://127.0.0.1:{free_port()}"


@pytest.fixture
def jobs_run_at_once(settings):
    """Background jobs run inside the request that starts them (the immediate task backend),
    two requests at a time."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    settings.GALTEA_JOB_CONCURRENCY = 2
    return settings

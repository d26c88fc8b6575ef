"""Browser tests: Playwright driving Debian's Chromium against a live admin."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from tests.emulator_process import REPO_ROOT, start_emulator
from tests.jobs.stack import Stack, migrated_database

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO_ROOT / "test-artifacts"
PASSWORD = "a-long-browser-password"


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture(scope="module")
def browser_emulator(tmp_path_factory):
    """An emulator with enough rows that a filtered list has several pages."""
    running = start_emulator(tmp_path_factory.mktemp("browser-emulator"), seed=800)
    yield running
    running.stop()


@pytest.fixture
def admin_site(live_server, settings, browser_emulator, django_user_model):
    """The live admin, talking to the browser emulator, with a user to sign in as."""
    settings.GALTEA_API_URL = browser_emulator.url
    settings.GALTEA_API_KEY = browser_emulator.api_key
    from django.contrib.auth.models import Group

    from galtea_admin.accounts.roles import ensure_roles

    ensure_roles()
    for username, role in (("ops", "Viewer"), ("editor", "Editor")):
        user = django_user_model.objects.create_user(username=username, password=PASSWORD)
        user.groups.add(Group.objects.get(name=role))
    return live_server


@pytest.fixture
def artifacts(request) -> Path:
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def sign_in(page, username: str = "ops", password: str = PASSWORD) -> None:
    """Fill in the sign-in form the page shows and submit it."""
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def open_signed_in(page, url: str, username: str = "ops", password: str = PASSWORD):
    """Open `url` signed out, sign in as `username` on the page it sends to, and wait to be
    back at `url`: the page, for the test to go on with."""
    page.goto(url)
    assert "/accounts/login/" in page.url, f"{url} did not ask to sign in"
    sign_in(page, username, password)
    page.wait_for_url(url)
    return page


def worker_stack(directory: Path, *, latency_ms: int, users: dict[str, str], **settings):
    """The admin and a real worker as processes of their own (tests/jobs/stack.py) against an
    emulator taking `latency_ms` per answer, with `users` (username → role), for a module's
    fixture to `yield from`; all stopped afterwards."""
    emulator = start_emulator(directory, seed=20, latency_ms=latency_ms)
    running = Stack.create(directory, migrated_database(directory), emulator, **settings)
    running.start_admin()
    for username, role in users.items():
        running.add_user(username, role)
    running.start_worker()
    yield running
    running.stop()
    emulator.stop()

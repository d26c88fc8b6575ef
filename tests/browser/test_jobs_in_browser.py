"""An Editor ticks rows, presses "Edit selected…", chooses a value, confirms, and lands on
the job's page, which follows its progress live until it says "Done"; the Jobs page lists
it. The admin and a real worker run as processes of their own (tests/jobs/stack.py) against
an emulator that takes 150 ms per answer, so that the job takes a few seconds.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlencode

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from tests.browser.conftest import open_signed_in
from tests.browser.test_accessibility import WCAG_21_AA
from tests.emulator_process import start_emulator
from tests.jobs.stack import PASSWORD, Stack, migrated_database
from tests.phone_connections.pages import create_row

pytestmark = [pytest.mark.browser]

ROWS = 12


def violations(page) -> list:
    """What axe-core (WCAG 2.1 A and AA) finds on the page as it is now."""
    found = Axe().run(page, options=WCAG_21_AA).response["violations"]
    return [(v["id"], [node["target"] for node in v["nodes"]][:3]) for v in found]


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    directory = tmp_path_factory.mktemp("browser-jobs")
    emulator = start_emulator(directory, seed=20, latency_ms=150)
    running = Stack.create(
        directory, migrated_database(directory), emulator, GALTEA_JOB_CONCURRENCY=1
    )
    running.start_admin()
    running.add_user("eddie", "Editor")
    running.start_worker()
    yield running
    running.stop()
    emulator.stop()


@pytest.fixture
def rows(stack) -> list[dict]:
    marker = f"Jobs browser {uuid.uuid4().hex[:8]}"
    return [
        create_row(stack.emulator, name=f"{marker} {n:02d}", agentSpeaksFirst=False)
        for n in range(ROWS)
    ]


def test_edit_selected_runs_as_a_job_whose_page_shows_its_progress(browser, stack, rows, artifacts):
    marker = rows[0]["name"].rsplit(" ", 1)[0]
    filtered = f"/phone-connections/?{urlencode({'name': marker, 'sort': 'name'})}"
    context = browser.new_context(viewport={"width": 1366, "height": 1000})
    page = open_signed_in(context.new_page(), stack.admin_url + filtered, "eddie", PASSWORD)
    expect(page.locator("table.data-table tbody tr")).to_have_count(ROWS)

    page.get_by_role("checkbox", name="Select all on this page").check()
    expect(page.locator("[data-selection-count]")).to_have_text(f"{ROWS} selected")
    expect(page.get_by_role("button", name="Delete selected…")).to_have_count(0)
    page.get_by_role("button", name="Edit selected…").click()
    page.wait_for_url(re.compile(r".*/phone-connections/bulk-edit/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Edit {ROWS} selected phone connections"
    )
    page.get_by_label("The voice agent speaks first (for agents that greet the caller)").check()
    page.screenshot(path=str(artifacts / "bulk-edit-form.png"), full_page=True)
    assert violations(page) == []
    page.get_by_role("button", name="Review the change").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Set “Agent speaks first” to Yes on {ROWS} phone connections?"
    )
    expect(page.get_by_text(f"All {ROWS} will change.")).to_be_visible()
    page.screenshot(path=str(artifacts / "bulk-edit-confirmation.png"), full_page=True)
    assert violations(page) == []
    page.get_by_role("button", name=f"Yes, edit {ROWS}").click()

    page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    job_url = page.url
    status = page.locator(".job-status .badge")
    expect(status).to_have_text(re.compile("Queued|Running"))
    expect(page.locator("progress.job-bar-large")).to_be_visible()
    # The page follows the job without a reload: part-way, then done.
    expect(page.locator("#job-counts")).to_have_text(
        re.compile(rf"^(?!0 of)([1-9]|1[01]) of {ROWS}:"), timeout=20_000
    )
    page.screenshot(path=str(artifacts / "job-running.png"), full_page=True)
    expect(status).to_have_text("Done", timeout=30_000)
    assert page.url == job_url
    expect(page.locator(".job-result")).to_have_text(f"{ROWS} changed.")
    expect(page.locator("table.job-report tbody tr")).to_have_count(ROWS)
    expect(page.locator("#job-announcement")).to_contain_text("Job done.")
    expect(page.get_by_role("button", name="Cancel job")).to_have_count(0)
    page.screenshot(path=str(artifacts / "job-done.png"), full_page=True)
    assert violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    page.set_viewport_size({"width": 1366, "height": 1000})

    page.get_by_role("link", name="Jobs", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Jobs")
    expect(page.get_by_role("link", name=re.compile("Agent speaks first"))).to_have_count(1)
    page.screenshot(path=str(artifacts / "jobs-page.png"), full_page=True)
    page.get_by_label("Status").select_option("failed")  # the list answers in place
    expect(page.get_by_role("heading", name="No jobs match these filters")).to_be_visible()
    assert page.url == f"{stack.admin_url}/jobs/?status=failed"
    context.close()

    for row in rows:
        assert stack.emulator.get(f"/phoneConnections/{row['id']}").json()["agentSpeaksFirst"]

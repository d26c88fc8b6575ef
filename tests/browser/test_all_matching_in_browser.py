"""A Manager filters the list, ticks the page's header box, takes up the bar's offer to
select every row matching the filters, presses "Delete selected…", confirms, and lands on
the job's page, which follows the job (it finds and counts the rows, then deletes them)
until it says "Done". The admin and a real worker run as processes of their own
(tests/jobs/stack.py) against an emulator that takes 100 ms per answer.
"""

from __future__ import annotations

import re
import uuid
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_signed_in
from tests.browser.test_jobs_in_browser import violations
from tests.emulator_process import start_emulator
from tests.jobs.stack import PASSWORD, Stack, migrated_database
from tests.phone_connections.pages import create_row

pytestmark = [pytest.mark.browser]

ROWS = 32  # two pages of 25


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    directory = tmp_path_factory.mktemp("browser-all-matching")
    emulator = start_emulator(directory, seed=20, latency_ms=100)
    running = Stack.create(directory, migrated_database(directory), emulator)
    running.start_admin()
    running.add_user("mona", "Manager")
    running.start_worker()
    yield running
    running.stop()
    emulator.stop()


def test_every_row_matching_the_filters_is_deleted_by_a_job(browser, stack, artifacts):
    marker = f"Matching {uuid.uuid4().hex[:8]}"
    rows = [create_row(stack.emulator, name=f"{marker} {n:02d}") for n in range(ROWS)]
    others = [create_row(stack.emulator, name=f"Kept {uuid.uuid4().hex[:8]}") for _ in range(2)]
    filtered = f"/phone-connections/?{urlencode({'name': marker, 'sort': 'name'})}"
    context = browser.new_context(viewport={"width": 1366, "height": 1000})
    page = open_signed_in(context.new_page(), stack.admin_url + filtered, "mona", PASSWORD)
    expect(page.locator("table.data-table tbody tr")).to_have_count(25)

    offer = page.get_by_label("Select all rows matching these filters")
    expect(offer).to_be_hidden()  # offered once the whole page is ticked
    page.get_by_role("checkbox", name="Select all on this page").check()
    expect(page.locator("[data-selection-count]")).to_have_text("25 selected")
    expect(offer).to_be_visible()
    offer.check()
    expect(page.locator("[data-selection-count]")).to_have_text(
        "Every row matching these filters is selected."
    )
    page.screenshot(path=str(artifacts / "all-matching-bar.png"), full_page=True)
    assert violations(page) == []
    page.locator("tbody input[name=ids]").first.uncheck()  # one row off: the page only
    expect(offer).to_be_hidden()
    expect(offer).not_to_be_checked()
    page.get_by_role("checkbox", name="Select all on this page").check()
    offer.check()
    page.get_by_role("button", name="Delete selected…").click()

    page.wait_for_url(re.compile(r".*/phone-connections/bulk-delete/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Delete every phone connection matching these filters?"
    )
    expect(page.locator(".matching-filters .chip")).to_have_text([f"Name contains: {marker}"])
    expect(page.locator(".matching-estimate")).to_contain_text(
        f"{ROWS} phone connections match now."
    )
    page.screenshot(path=str(artifacts / "all-matching-confirmation.png"), full_page=True)
    assert violations(page) == []
    page.get_by_role("button", name=f"Yes, delete all {ROWS}").click()

    page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    status = page.locator(".job-status .badge")
    expect(status).to_have_text("Done", timeout=30_000)
    expect(page.locator(".job-result")).to_have_text(f"{ROWS} deleted.")
    expect(page.locator("#job-counts")).to_have_count(0)  # the result says it all
    expect(page.locator("table.job-report tbody tr")).to_have_count(ROWS)
    page.screenshot(path=str(artifacts / "all-matching-done.png"), full_page=True)
    assert violations(page) == []
    context.close()

    for row in rows:
        assert stack.emulator.get(f"/phoneConnections/{row['id']}").status_code == 404
    for row in others:
        assert stack.emulator.get(f"/phoneConnections/{row['id']}").status_code == 200

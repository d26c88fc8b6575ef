"""An Editor presses "Import…" on the list, uploads a CSV, reads the preview (its counts and
the row with a problem), presses "Import N rows", and lands on the job's page, which follows
the import live until it says "Done", then lists each row's outcome and offers the report as
a CSV download. The admin and a real worker run as processes of their own
(tests/jobs/stack.py) against an emulator that takes 150 ms per answer, so that the import
takes a few seconds. axe-core finds nothing on any of these pages.
"""

from __future__ import annotations

import csv
import re
import uuid
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_signed_in, worker_stack
from tests.browser.test_jobs_in_browser import violations
from tests.jobs.stack import PASSWORD
from tests.phone_connections.import_pages import HEADER, csv_bytes

pytestmark = [pytest.mark.browser]

ROWS = 16


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    yield from worker_stack(
        tmp_path_factory.mktemp("browser-import"),
        latency_ms=150,
        users={"eddie": "Editor"},
        GALTEA_JOB_CONCURRENCY=1,
    )


def test_upload_preview_run_progress_report(browser, stack, artifacts):
    marker = f"Import browser {uuid.uuid4().hex[:8]}"
    product = stack.emulator.get("/products").json()[0]
    rows = [HEADER] + [
        [f"{marker} {n:02d}", "+1 (415) 555-2671", product["name"], "yes", "", ""]
        for n in range(ROWS)
    ]
    rows.append([f"{marker} bad", "+1 555", product["name"], "", "", ""])
    context = browser.new_context(viewport={"width": 1366, "height": 1000}, accept_downloads=True)
    page = open_signed_in(
        context.new_page(), stack.admin_url + "/phone-connections/", "eddie", PASSWORD
    )

    page.get_by_role("link", name="Import…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import phone connections")
    assert violations(page) == []
    page.get_by_label("A file").set_input_files(
        {"name": "lines.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}
    )
    page.get_by_role("button", name="Preview the import").click()

    page.wait_for_url(re.compile(r".*/phone-connections/import/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Import from lines.csv: preview")
    counts = page.locator("#import-counts")
    expect(counts).to_contain_text(f"{ROWS} to create")
    expect(counts).to_contain_text("1 with problems")
    problem = page.locator("tr.import-row-problem")
    expect(problem).to_have_count(1)
    expect(problem).to_contain_text("Phone number: ")
    expect(page.locator("table.import-preview tbody tr").first).to_contain_text("+14155552671")
    page.screenshot(path=str(artifacts / "import-preview.png"), full_page=True)
    assert violations(page) == []
    page.set_viewport_size({"width": 390, "height": 844})
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # no sideways scroll
    assert violations(page) == []
    page.set_viewport_size({"width": 1366, "height": 1000})
    page.get_by_role("button", name=f"Import {ROWS} rows").click()

    page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        f"Import {ROWS} phone connections from lines.csv"
    )
    status = page.locator(".job-status .badge")
    expect(status).to_have_text(re.compile("Queued|Running"))
    # The page follows the import without a reload: part-way, then done.
    expect(page.locator("#job-counts")).to_have_text(
        re.compile(rf"^(?!0 of)([1-9]|1[0-5]) of {ROWS}:"), timeout=30_000
    )
    page.screenshot(path=str(artifacts / "import-running.png"), full_page=True)
    expect(status).to_have_text("Done", timeout=60_000)
    expect(page.locator(".job-result")).to_have_text(f"{ROWS} imported.")
    report = page.locator("table.job-report tbody tr")
    expect(report).to_have_count(ROWS)
    expect(report.first).to_contain_text("created")
    expect(page.locator("#job-announcement")).to_contain_text("Job done.")
    page.screenshot(path=str(artifacts / "import-done.png"), full_page=True)
    assert violations(page) == []

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report (CSV)").click()
    lines = list(csv.reader(Path(download.value.path()).read_text().splitlines()))
    assert lines[0][:4] == ["#", "Row", "Outcome", "Details"]
    assert [line[2] for line in lines[1:]] == ["created"] * ROWS
    context.close()

    live = stack.emulator.get("/phoneConnections", params={"name": marker, "limit": 100}).json()
    assert sorted(row["name"] for row in live) == [f"{marker} {n:02d}" for n in range(ROWS)]
    assert {row["phoneNumber"] for row in live} == {"+14155552671"}
    assert all(row["agentSpeaksFirst"] for row in live)

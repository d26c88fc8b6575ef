"""An Editor adds a phone connection from a filtered list and lands back on that same list;
a Viewer is offered no way to change anything."""

import re
import uuid
from urllib.parse import urlencode

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_editor_adds_a_connection_from_a_filtered_list(
    browser, admin_site, browser_emulator, artifacts
):
    product = browser_emulator.get("/products").json()[0]
    marker = f"Browser line {uuid.uuid4().hex[:8]}"
    name = f"{marker} reception"
    filtered = f"/phone-connections/?{urlencode({'product': product['id'], 'name': marker})}"

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = open_signed_in(context.new_page(), admin_site.url + filtered, "editor")
    expect(
        page.get_by_role("heading", name="No phone connections match these filters")
    ).to_be_visible()

    page.get_by_role("link", name="Add phone connection").click()
    page.wait_for_url(re.compile(r".*/phone-connections/new/\?next=.*"))
    expect(page.get_by_role("heading", name="New phone connection")).to_be_visible()

    page.get_by_label("Product").select_option(label=product["name"])
    page.get_by_label("Name").fill(name)
    page.get_by_label("Phone number").press_sequentially("+1 (415) 555-2671")
    preview = page.locator("#number-preview")
    expect(preview).to_contain_text("Saved as +14155552671")
    page.get_by_label("Voice (optional)").select_option(label="Jack (en-US)")
    page.get_by_label("Language (optional)").fill("en-US")
    page.get_by_role("radio", name="The voice agent speaks first").check()
    page.screenshot(path=str(artifacts / "create-form-filled.png"), full_page=True)

    page.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_url(admin_site.url + filtered)

    expect(page.locator(".message-success")).to_have_text(f"Created “{name}” (+14155552671).")
    rows = page.locator("table.data-table tbody tr")
    expect(rows).to_have_count(1)
    # An Editor's rows start with their selection box (for bulk edits).
    cells = rows.first.locator("td:not(.cell-select)")
    expect(cells.nth(0)).to_have_text(name)
    expect(cells.nth(1)).to_have_text(product["name"])
    expect(cells.nth(3)).to_have_text("Jack (en-US)")
    expect(rows.first).to_contain_text("+1 415-555-2671")
    page.screenshot(path=str(artifacts / "back-on-the-filtered-list.png"), full_page=True)
    context.close()

    saved = browser_emulator.get("/phoneConnections", params={"names[]": name}).json()
    assert [(r["phoneNumber"], r["voice"], r["agentSpeaksFirst"]) for r in saved] == [
        ("+14155552671", "jack", True)
    ]

    viewer = browser.new_context(viewport={"width": 1400, "height": 1000})
    other = open_signed_in(viewer.new_page(), admin_site.url + filtered, "ops")
    expect(other.locator("table.data-table tbody tr")).to_have_count(1)
    expect(other.get_by_role("link", name="Add phone connection")).to_have_count(0)
    expect(other.get_by_role("link", name=re.compile(r"^(Edit|Delete)\b"))).to_have_count(0)
    other.screenshot(path=str(artifacts / "viewer-list.png"), full_page=True)

    other.get_by_role("link", name=name).click()
    expect(other.get_by_role("heading", name=name, level=1)).to_be_visible()
    expect(other.get_by_role("link", name="Edit", exact=True)).to_have_count(0)
    expect(other.get_by_role("link", name="Delete", exact=True)).to_have_count(0)
    other.screenshot(path=str(artifacts / "viewer-detail.png"), full_page=True)
    viewer.close()

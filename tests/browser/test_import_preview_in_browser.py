"""The import preview on every screen: on a phone (390×844) each row of the file is a block
(its number, then each value named by its column, then what happens to it), nothing scrolls
sideways and every row's "What happens" is in view, still a table to assistive technology;
on a laptop (1366×900) it is a table with its header row, as before."""

from __future__ import annotations

import re
import uuid

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_signed_in
from tests.phone_connections.import_pages import HEADER, IMPORT_URL, csv_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LAPTOP, PHONE = (1366, 900), (390, 844)

# Each row's first cell (its number) and "What happens", and any cell of the table outside
# the viewport or outside the table's own box (cut off, or behind a sideways scroll).
MEASURE = """() => {
  const viewport = document.documentElement.clientWidth;
  const scroller = document.querySelector(".import-rows .table-scroll");
  const frame = scroller.getBoundingClientRect();
  const left = Math.max(0, frame.left), right = Math.min(viewport, frame.right);
  const place = cell => {
    const box = cell.getBoundingClientRect();
    return {top: box.top, bottom: box.bottom, left: box.left, text: cell.textContent.trim()};
  };
  const rows = [...document.querySelectorAll("table.import-preview tbody tr")].map(row => ({
    number: place(row.cells[0]),
    outcome: place(row.querySelector('td[data-label="What happens"]')),
  }));
  const cut = [...document.querySelectorAll("table.import-preview td")].filter(cell => {
    const box = cell.getBoundingClientRect();
    return box.width === 0 || box.left < left || box.right > right;
  }).map(cell => cell.textContent.trim());
  const header = document.querySelector("table.import-preview thead tr").getBoundingClientRect();
  return {
    rows, cut, header: header.height,
    pageWidth: document.documentElement.scrollWidth, viewport,
    tableOverflow: scroller.scrollWidth - scroller.clientWidth,
  };
}"""


@pytest.fixture
def preview(browser, admin_site, browser_emulator):
    """An Editor's preview of a file with a row to create, one whose name exists already
    (skipped) and one with problems (not imported)."""
    existing = browser_emulator.get("/phoneConnections", params={"limit": 1}).json()[0]
    products = {p["id"]: p["name"] for p in browser_emulator.get("/products").json()}
    product = products[existing["productId"]]
    marker = f"Preview {uuid.uuid4().hex[:8]}"
    long_name = f"{marker} with a rather long name for a phone"
    rows = [
        HEADER,
        [long_name, "+1 (415) 555-2671", product, "yes", "", ""],
        [existing["name"], "+14155552672", product, "no", "", ""],
        [f"{marker} bad", "+1 555", "No such product", "maybe", "", ""],
    ]
    context = browser.new_context(viewport={"width": LAPTOP[0], "height": LAPTOP[1]})
    page = open_signed_in(context.new_page(), admin_site.url + IMPORT_URL, "editor")
    page.get_by_label("A file").set_input_files(
        {"name": "lines.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}
    )
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url(re.compile(r".*/phone-connections/import/\d+/$"))
    expect(page.locator("#import-counts")).to_contain_text("1 with problems")
    yield page
    context.close()


def screenshots(page, artifacts, name: str) -> None:
    """The page in the light theme and in the dark one, for a person to look at."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.screenshot(path=str(artifacts / f"{name}-{scheme}.png"), full_page=True)
    page.emulate_media(color_scheme="light")


def test_on_a_phone_each_row_is_a_block_with_what_happens_in_view(preview, artifacts):
    page = preview
    page.set_viewport_size({"width": PHONE[0], "height": PHONE[1]})
    screenshots(page, artifacts, "import-preview-390")
    measured = page.evaluate(MEASURE)

    assert measured["pageWidth"] <= measured["viewport"]  # no sideways scroll of the page
    assert measured["tableOverflow"] <= 0  # nor of the table in its box
    assert measured["cut"] == []  # the number, every value and what happens, all in view
    assert measured["header"] <= 1  # the header row is left to screen readers
    assert [row["number"]["text"] for row in measured["rows"]] == ["2", "3", "4"]
    outcomes = [row["outcome"]["text"] for row in measured["rows"]]
    assert outcomes[0] == "New will be created"
    assert outcomes[1].startswith("Exists will be skipped")
    assert outcomes[2].startswith("Not imported")
    for row in measured["rows"]:  # below its number, on a line of its own
        assert row["outcome"]["top"] >= row["number"]["bottom"] - 1
        assert abs(row["outcome"]["left"] - row["number"]["left"]) < 1
    # Each value named by its column, in a label drawn before it (and not read out again).
    phone = page.locator("table.import-preview tbody tr").first.locator("td").nth(2)
    label = phone.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert label == '"Phone number" / ""'

    # Still a table to a screen reader: its rows, their cells and the column headers.
    tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
    roles = [
        (node.get("role", {}).get("value"), node.get("name", {}).get("value"))
        for node in tree["nodes"]
    ]
    assert sum(role == "row" for role, _ in roles) == 4  # the headers' row and 3
    headers = {name.casefold() for role, name in roles if role == "columnheader"}
    assert {"row", "name", "phone number", "what happens"} <= headers
    # Each row: its number, its values and what happens.
    assert sum(role in ("cell", "gridcell") for role, _ in roles) >= 3 * len(HEADER) + 3 * 2


def test_on_a_laptop_it_is_a_table_with_its_header_row(preview, artifacts):
    page = preview
    screenshots(page, artifacts, "import-preview-1366")
    measured = page.evaluate(MEASURE)

    assert measured["pageWidth"] <= measured["viewport"]
    assert measured["cut"] == []
    header = page.locator("table.import-preview thead th")
    expect(header.last).to_have_text("What happens")
    expect(header.last).to_be_visible()
    assert measured["header"] > 10
    for row in measured["rows"]:  # each row one line of the table: its outcome beside its number
        assert row["outcome"]["top"] == row["number"]["top"]
        assert row["outcome"]["left"] > row["number"]["left"]
    # The outcome under its heading, and no label drawn before a cell.
    heading = header.last.bounding_box()
    assert abs(measured["rows"][0]["outcome"]["left"] - heading["x"]) < 1
    first = page.locator("table.import-preview tbody td").first
    assert first.evaluate("cell => getComputedStyle(cell, '::before').content") == "none"

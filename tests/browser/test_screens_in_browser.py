"""The list on every screen, measured in the browser: on a laptop (1366×900) a page of 25 rows
shows at least 15 of them in the first screen, each with its Edit and Delete in view and
nothing scrolling sideways; at 1024 px the actions are in view too; on a phone (390×844) each
row is a block with its actions in view, still a table to assistive technology, and the
filters are one tap away (closed until then), with or without JavaScript."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from tests.browser.conftest import PASSWORD, open_signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LIST = "/phone-connections/"
LAPTOP, SMALL_LAPTOP, PHONE = (1366, 900), (1024, 768), (390, 844)

# The rows wholly inside the first screen, and where each row's actions are: any link of
# `.cell-actions` outside the viewport or outside the table's own box (cut off, or behind a
# sideways scroll) is named in `cut`.
MEASURE = """() => {
  const viewport = document.documentElement.clientWidth;
  const scroller = document.querySelector(".table-scroll");
  const frame = scroller.getBoundingClientRect();
  const rows = [...document.querySelectorAll("table.list-table tbody tr")];
  const cut = [];
  let actions = 0;
  for (const row of rows) {
    for (const link of row.querySelectorAll(".cell-actions a")) {
      actions += 1;
      const box = link.getBoundingClientRect();
      if (box.width === 0 || box.left < Math.max(0, frame.left)
          || box.right > Math.min(viewport, frame.right)) {
        cut.push(link.getAttribute("aria-label"));
      }
    }
  }
  const inView = rows.filter(row => {
    const box = row.getBoundingClientRect();
    return box.top >= 0 && box.bottom <= window.innerHeight;
  }).length;
  return {
    rows: rows.length, inView, actions, cut,
    pageWidth: document.documentElement.scrollWidth, viewport,
    tableOverflow: scroller.scrollWidth - scroller.clientWidth,
  };
}"""


@pytest.fixture
def manager(admin_site, django_user_model):
    """Someone who sees both Edit and Delete on every row."""
    user = django_user_model.objects.create_user(username="manager", password=PASSWORD)
    user.groups.add(Group.objects.get(name="Manager"))
    return user


def signed_in_page(browser, admin_site, size, *, javascript: bool = True):
    width, height = size
    context = browser.new_context(
        viewport={"width": width, "height": height}, java_script_enabled=javascript
    )
    return open_signed_in(context.new_page(), admin_site.url + LIST, "manager")


def lists(browser_emulator) -> list[str]:
    """The default page of 25, the second page, a filtered page and a page of 100."""
    product = browser_emulator.get("/products").json()[0]["id"]
    return [LIST, f"{LIST}?page=2", f"{LIST}?product={product}", f"{LIST}?per_page=100"]


def assert_actions_in_view(measured: dict, rows: int) -> None:
    assert measured["rows"] == rows
    assert measured["actions"] == 2 * rows  # Edit and Delete on each
    assert measured["cut"] == []
    assert measured["pageWidth"] <= measured["viewport"]  # no sideways scroll of the page
    assert measured["tableOverflow"] <= 0  # nor of the table in its box


def test_on_a_laptop_a_page_of_25_shows_15_rows_and_every_action_in_the_first_screen(
    browser, admin_site, browser_emulator, manager, artifacts
):
    page = signed_in_page(browser, admin_site, LAPTOP)
    try:
        measured = page.evaluate(MEASURE)
        page.screenshot(path=str(artifacts / "list-1366.png"))

        assert measured["inView"] >= 15, measured
        assert_actions_in_view(measured, 25)
        for url in lists(browser_emulator)[1:]:
            page.goto(admin_site.url + url)
            measured = page.evaluate(MEASURE)
            assert_actions_in_view(measured, 100 if "per_page" in url else 25)
    finally:
        page.context.close()


def test_a_name_cut_short_on_its_line_is_there_in_full(browser, admin_site, manager):
    page = signed_in_page(browser, admin_site, LAPTOP)
    try:
        cells = page.locator("table.list-table tbody td.cell-name")
        texts = cells.evaluate_all("cells => cells.map(cell => [cell.textContent, cell.title])")
        heights = cells.evaluate_all("cells => cells.map(cell => cell.offsetHeight)")

        assert all(text == title for text, title in texts)  # the whole name on hover
        assert len(set(heights)) == 1  # one line each
        first = cells.first.locator("a")
        first.focus()
        assert first.evaluate(
            "link => link.closest('td').scrollWidth <= link.closest('td').clientWidth"
        )
    finally:
        page.context.close()


def test_at_1024_px_every_row_shows_its_actions(
    browser, admin_site, browser_emulator, manager, artifacts
):
    page = signed_in_page(browser, admin_site, SMALL_LAPTOP)
    try:
        page.screenshot(path=str(artifacts / "list-1024.png"))
        for url in lists(browser_emulator):
            page.goto(admin_site.url + url)
            assert_actions_in_view(page.evaluate(MEASURE), 100 if "per_page" in url else 25)
    finally:
        page.context.close()


def test_on_a_phone_each_row_is_a_block_with_its_actions_in_view(
    browser, admin_site, manager, artifacts
):
    page = signed_in_page(browser, admin_site, PHONE)
    try:
        page.screenshot(path=str(artifacts / "list-390.png"), full_page=True)
        assert_actions_in_view(page.evaluate(MEASURE), 25)
        for row in page.locator("table.list-table tbody tr").all()[:5]:
            name = row.locator("td.cell-name").bounding_box()
            delete = row.get_by_role("link", name="Delete").bounding_box()
            number = row.locator("td .phone").bounding_box()
            product = row.locator("td[data-label=Product]").bounding_box()
            # The name and its actions on the first line, the number and product below.
            assert abs(delete["y"] - name["y"]) < name["height"]
            assert number["y"] >= name["y"] + name["height"] - 1
            assert product["y"] >= name["y"] + name["height"] - 1
            for box in (name, delete, number, product):
                assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE[0]

        # Still a table to a screen reader: its rows, their cells and the column headers.
        tree = page.context.new_cdp_session(page).send("Accessibility.getFullAXTree")
        roles = [
            (node.get("role", {}).get("value"), node.get("name", {}).get("value"))
            for node in tree["nodes"]
        ]
        assert sum(role == "row" for role, _ in roles) == 26  # the headers' row and 25
        # (Chrome names them as drawn, in capitals.)
        headers = {name.casefold() for role, name in roles if role == "columnheader"}
        assert {"product", "phone number", "created (utc)", "actions"} <= headers
        assert sum(role in ("cell", "gridcell") for role, _ in roles) >= 25 * 8
    finally:
        page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_on_a_phone_the_filters_are_one_tap_away(
    browser, admin_site, manager, javascript, artifacts
):
    page = signed_in_page(browser, admin_site, PHONE, javascript=javascript)
    try:
        toggle = page.locator("#filters summary")
        name_filter = page.get_by_label("Name contains")
        expect(toggle).to_be_visible()
        expect(toggle).to_have_text("Filters")
        expect(name_filter).to_be_hidden()  # closed until asked for
        assert toggle.bounding_box()["y"] < page.locator("table.list-table").bounding_box()["y"]

        toggle.click()

        expect(name_filter).to_be_visible()
        expect(name_filter).to_be_in_viewport()
        page.screenshot(path=str(artifacts / "filters-open-390.png"))
        name_filter.fill("Support")
        page.get_by_role("button", name="Apply").click()
        expect(page.locator(".chip")).to_contain_text("Support")
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE[0]
    finally:
        page.context.close()


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_on_a_laptop_the_filters_are_open_beside_the_rows(browser, admin_site, manager, javascript):
    page = signed_in_page(browser, admin_site, LAPTOP, javascript=javascript)
    try:
        name_filter = page.get_by_label("Name contains")
        expect(name_filter).to_be_visible()
        table = page.locator("table.list-table").bounding_box()
        assert name_filter.bounding_box()["x"] > table["x"] + table["width"]  # beside the rows
    finally:
        page.context.close()


def test_the_activity_pages_filters_apply_with_javascript_on(browser, admin_site, manager):
    page = signed_in_page(browser, admin_site, LAPTOP)
    try:
        page.goto(admin_site.url + "/activity/")
        page.get_by_label("Name or id").fill("QA")
        page.get_by_role("button", name="Apply").click()

        page.wait_for_url(admin_site.url + "/activity/?connection=QA")
        expect(page.locator(".chip")).to_contain_text("QA")
    finally:
        page.context.close()

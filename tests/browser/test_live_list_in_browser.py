"""The list answers as the person types, ticks, sorts and pages: the rows change in place,
the address bar keeps the list's URL, focus stays where it was; without JavaScript the same
controls reload the page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def names(page) -> list[str]:
    return page.locator("tbody td.cell-name").all_inner_texts()


def test_typing_a_filter_changes_the_rows_without_a_reload(browser, admin_site):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        open_signed_in(page, f"{admin_site.url}/phone-connections/")
        page.evaluate("window.sameDocument = true")
        before = names(page)

        page.get_by_label("Name contains").press_sequentially("Support")
        page.wait_for_url("**/phone-connections/?name=Support")

        expect(page.locator(".chip")).to_have_count(1)
        shown = names(page)
        assert shown and shown != before
        assert all("support" in name.lower() for name in shown)
        assert page.evaluate("window.sameDocument") is True  # not reloaded
        assert page.evaluate("document.activeElement.id") == "id_name"
        assert "1 filter applied" in page.locator("#list-announcement").inner_text()
        export = page.locator("#list-actions a", has_text="Export CSV").get_attribute("href")
        assert query(export) == {"name": ["Support"]}

        page.locator("#list-region a.sort-link", has_text="Name").click()
        page.wait_for_url("**sort=name**")
        assert query(page.url) == {"name": ["Support"], "sort": ["name"]}
        assert names(page) == sorted(names(page))  # as the API sorts them
        assert page.evaluate("window.sameDocument") is True
        assert "Name" in page.evaluate("document.activeElement.textContent")

        # The filter form keeps the new sort for its next request.
        page.locator("#id_name").fill("Support line")
        page.wait_for_url("**name=Support+line**")
        assert query(page.url) == {"name": ["Support line"], "sort": ["name"]}
    finally:
        page.close()


def test_without_javascript_the_same_filter_reloads_the_page(browser, admin_site):
    context = browser.new_context(
        java_script_enabled=False, viewport={"width": 1366, "height": 900}
    )
    page = context.new_page()
    try:
        open_signed_in(page, f"{admin_site.url}/phone-connections/")

        page.get_by_label("Name contains").fill("Support")
        page.get_by_role("button", name="Apply").click()

        page.wait_for_url("**/phone-connections/?name=Support")
        shown = names(page)
        assert shown and all("support" in name.lower() for name in shown)
        assert page.locator(".chip").count() == 1
    finally:
        context.close()


def test_moving_a_column_happens_in_place_and_keeps_the_chooser_open(browser, admin_site):
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        open_signed_in(page, f"{admin_site.url}/phone-connections/?sort=name")
        page.evaluate("window.sameDocument = true")
        page.locator("#column-choices summary").click()
        move = page.locator("#column-choices button[value='voice:down']")
        assert move.inner_text() == "→"

        move.focus()
        move.press("Enter")
        headers = page.locator("thead th")
        expect(headers.nth(3)).to_have_text("Language")  # Voice, then Language, before
        expect(headers.nth(4)).to_have_text("Voice")

        assert page.evaluate("window.sameDocument") is True
        assert page.url.endswith("/phone-connections/?sort=name")
        assert page.evaluate("document.querySelector('#column-choices details').open") is True
        assert page.evaluate("document.activeElement.value") == "voice:down"
    finally:
        page.close()


def test_signed_out_meanwhile_the_sign_in_page_shows_as_itself(browser, admin_site):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    try:
        open_signed_in(page, f"{admin_site.url}/phone-connections/")
        context.clear_cookies()
        page.evaluate("window.sameDocument = true")

        page.get_by_label("Name contains").press_sequentially("Support")

        page.wait_for_url("**/accounts/login/**")
        page.wait_for_load_state()
        # A page of its own, not the sign-in form drawn inside the list.
        assert page.evaluate("window.sameDocument") is None
        assert page.locator("#list-region").count() == 0
        assert page.locator("main form input[name=username]").count() == 1
        expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    finally:
        context.close()

"""A form sent back puts the focus on its first field in error, so that a keyboard or a
screen reader starts where the problem is."""

import uuid

import pytest

from tests.browser.conftest import open_signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_a_refused_save_focuses_its_first_field_in_error(browser, admin_site, browser_emulator):
    product = browser_emulator.get("/products").json()[0]
    page = browser.new_page(viewport={"width": 1366, "height": 900})
    try:
        open_signed_in(page, f"{admin_site.url}/phone-connections/new/", "editor")
        page.get_by_label("Product").select_option(label=product["name"])
        page.get_by_label("Name").fill(f"Focus line {uuid.uuid4().hex[:8]}")
        page.get_by_label("Phone number").fill("12")

        page.get_by_role("button", name="Save", exact=True).click()
        page.wait_for_selector(".field-invalid")

        assert page.evaluate("document.activeElement.id") == "id_phone_number"
        described = page.evaluate("document.activeElement.getAttribute('aria-describedby')")
        assert described and all(
            page.locator(f"#{part}").count() == 1 for part in described.split()
        ), "every description the field names exists"
    finally:
        page.close()

"""Two people edit one phone connection in two browsers at once, each a different field: both
saves go through, and the one who saves last is told what the other changed."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_signed_in
from tests.phone_connections.pages import create_row, delete_row, unique_name

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_edits_of_different_fields_merge_and_the_second_hears_of_the_first(
    browser, admin_site, browser_emulator, artifacts
):
    row = create_row(browser_emulator, phoneNumber="+14155552671", voice="theo")
    edit = f"{admin_site.url}/phone-connections/{row['id']}/edit/"
    detail = f"{admin_site.url}/phone-connections/{row['id']}/"
    first = browser.new_context(viewport={"width": 1366, "height": 900})
    second = browser.new_context(viewport={"width": 1366, "height": 900})
    try:
        mine = open_signed_in(first.new_page(), edit, "editor")
        theirs = open_signed_in(second.new_page(), edit, "editor")

        theirs.get_by_label("Voice (optional)").select_option(label="Jack (en-US)")
        theirs.get_by_role("button", name="Save", exact=True).click()
        theirs.wait_for_url(detail)
        expect(theirs.locator(".message-success")).to_have_text(f"Saved “{row['name']}”.")

        new_name = unique_name("Merged line")
        mine.get_by_label("Name").fill(new_name)
        mine.get_by_role("button", name="Save", exact=True).click()
        mine.wait_for_url(detail)

        expect(mine.locator(".message-success")).to_have_text(f"Saved “{new_name}”.")
        expect(mine.locator(".message-info")).to_have_text(
            f"Someone else changed “{new_name}” while you were editing it, and their changes "
            "are kept: Voice: Theo (en-GB) → Jack (en-US)."
        )
        expect(mine.get_by_role("heading", level=1)).to_have_text(new_name)
        mine.screenshot(path=str(artifacts / "merged-save.png"), full_page=True)
        now = browser_emulator.get(f"/phoneConnections/{row['id']}").json()
        assert (now["name"], now["voice"]) == (new_name, "jack")
    finally:
        first.close()
        second.close()
        delete_row(browser_emulator, row["id"], missing_ok=True)

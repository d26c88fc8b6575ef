"""A Manager ticks rows on a filtered list, deletes them after one confirmation page, and
lands back on the same filtered list with the result; then clears the rest with the
"select all on this page" box."""

import re
import uuid
from urllib.parse import urlencode

import pytest
import requests
from django.contrib.auth.models import Group
from playwright.sync_api import expect

from galtea_admin.accounts.roles import MANAGER, ensure_roles
from galtea_admin.audit.models import ChangeRecord
from tests.browser.conftest import PASSWORD, open_signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def manager_user(admin_site, django_user_model):
    """A Manager, the role that may delete several connections at once."""
    ensure_roles()
    user = django_user_model.objects.create_user(username="boss", password=PASSWORD)
    user.groups.add(Group.objects.get(name=MANAGER))
    return user


@pytest.fixture
def rows(browser_emulator) -> list[dict]:
    """Four connections of this test's own, named so that a name filter lists only them."""
    marker = f"Bulk browser {uuid.uuid4().hex[:8]}"
    product = browser_emulator.get("/products").json()[0]
    made = []
    for suffix, number in (
        ("alpha", "+14155552671"),
        ("bravo", "+442079460958"),
        ("charlie", "+34912345678"),
        ("delta", "+33142685300"),
    ):
        response = requests.post(
            browser_emulator.url + "/phoneConnections",
            json={"productId": product["id"], "name": f"{marker} {suffix}", "phoneNumber": number},
            headers=browser_emulator.auth,
            timeout=10,
        )
        assert response.status_code == 201, response.text
        made.append(response.json())
    yield made
    for row in made:
        requests.delete(
            f"{browser_emulator.url}/phoneConnections/{row['id']}",
            headers=browser_emulator.auth,
            timeout=10,
        )


def still_there(browser_emulator, rows) -> list[str]:
    names = [row["name"] for row in rows]
    found = browser_emulator.get("/phoneConnections", params={"names[]": names}).json()
    return sorted(row["name"] for row in found)


def test_manager_deletes_selected_rows_and_returns_to_the_filtered_list(
    browser, admin_site, browser_emulator, manager_user, rows, artifacts
):
    marker = rows[0]["name"].rsplit(" ", 1)[0]
    filtered = f"/phone-connections/?{urlencode({'name': marker, 'sort': 'name'})}"
    alpha, bravo, charlie, delta = (row["name"] for row in rows)

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = open_signed_in(context.new_page(), admin_site.url + filtered, "boss")
    table_rows = page.locator("table.data-table tbody tr")
    expect(table_rows).to_have_count(4)

    page.get_by_role("checkbox", name=f"Select {bravo}").check()
    page.get_by_role("checkbox", name=f"Select {delta}").check()
    expect(page.locator("[data-selection-count]")).to_have_text("2 selected")
    select_all = page.get_by_role("checkbox", name="Select all on this page")
    expect(select_all).not_to_be_checked()
    assert select_all.evaluate("box => box.indeterminate")
    page.screenshot(path=str(artifacts / "two-rows-ticked.png"), full_page=True)

    page.get_by_role("button", name="Delete selected…").click()
    page.wait_for_url(re.compile(r".*/phone-connections/bulk-delete/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete these 2 phone connections?")
    listed = page.locator("table.data-table tbody tr td:first-child")
    expect(listed).to_have_count(2)
    assert sorted(listed.all_inner_texts()) == [bravo, delta]
    page.screenshot(path=str(artifacts / "confirmation.png"), full_page=True)
    assert still_there(browser_emulator, rows) == [alpha, bravo, charlie, delta]

    page.get_by_role("button", name="Yes, delete 2").click()
    page.wait_for_url(admin_site.url + filtered)
    expect(page.locator(".message-success")).to_have_text("Deleted 2 phone connections.")
    expect(table_rows).to_have_count(2)
    expect(table_rows.locator("td:nth-child(2)")).to_have_text([alpha, charlie])
    page.screenshot(path=str(artifacts / "back-on-the-filtered-list.png"), full_page=True)
    assert still_there(browser_emulator, rows) == [alpha, charlie]

    page.get_by_role("checkbox", name="Select all on this page").check()
    expect(page.locator("[data-selection-count]")).to_have_text("2 selected")
    for name in (alpha, charlie):
        expect(page.get_by_role("checkbox", name=f"Select {name}")).to_be_checked()
    page.get_by_role("button", name="Delete selected…").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Delete these 2 phone connections?")
    page.get_by_role("button", name="Yes, delete 2").click()
    page.wait_for_url(admin_site.url + filtered)
    expect(page.locator(".message-success")).to_have_text("Deleted 2 phone connections.")
    expect(
        page.get_by_role("heading", name="No phone connections match these filters")
    ).to_be_visible()
    page.screenshot(path=str(artifacts / "all-deleted.png"), full_page=True)
    context.close()

    assert still_there(browser_emulator, rows) == []
    recorded = ChangeRecord.objects.filter(action="delete", username="boss")
    assert set(recorded.values_list("object_type", flat=True)) == {"phone_connections"}
    assert sorted(recorded.values_list("object_label", flat=True)) == sorted(
        [alpha, bravo, charlie, delta]
    )


def test_delete_selected_waits_for_a_ticked_row_mouse_or_keyboard(
    browser, admin_site, manager_user, rows, artifacts
):
    marker = rows[0]["name"].rsplit(" ", 1)[0]
    filtered = f"/phone-connections/?{urlencode({'name': marker, 'sort': 'name'})}"
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = open_signed_in(context.new_page(), admin_site.url + filtered, "boss")
    delete_selected = page.get_by_role("button", name="Delete selected…")

    expect(delete_selected).to_be_disabled()
    page.screenshot(path=str(artifacts / "nothing-ticked.png"))
    first = page.get_by_role("checkbox", name=f"Select {rows[0]['name']}")
    first.focus()
    page.keyboard.press("Space")
    expect(first).to_be_checked()
    expect(delete_selected).to_be_enabled()
    page.keyboard.press("Space")
    expect(delete_selected).to_be_disabled()
    select_all = page.get_by_role("checkbox", name="Select all on this page")
    select_all.check()
    expect(delete_selected).to_be_enabled()
    select_all.uncheck()
    expect(delete_selected).to_be_disabled()
    context.close()


def test_without_javascript_delete_selected_stays_usable_and_the_server_says_why_not(
    browser, admin_site, manager_user, rows
):
    marker = rows[0]["name"].rsplit(" ", 1)[0]
    filtered = f"/phone-connections/?{urlencode({'name': marker, 'sort': 'name'})}"
    context = browser.new_context(java_script_enabled=False)
    page = open_signed_in(context.new_page(), admin_site.url + filtered, "boss")
    delete_selected = page.get_by_role("button", name="Delete selected…")

    expect(delete_selected).to_be_enabled()
    delete_selected.click()
    page.wait_for_url(admin_site.url + filtered)
    expect(page.locator(".message-error")).to_have_text(
        "Select at least one phone connection first."
    )
    context.close()

"""axe-core finds no WCAG 2.1 A or AA violation on any page, on a laptop and on a phone, in
the light theme and in the dark one (as the system asks, and as the person chose), and no page
scrolls sideways (WCAG 1.4.10: tables scroll inside their own box)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group

from galtea_admin.preferences.models import Appearance
from tests.browser.conftest import PASSWORD, sign_in
from tests.phone_connections.import_pages import HEADER, IMPORT_URL, csv_bytes

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
PAGE_BACKGROUND = {False: "rgb(246, 247, 251)", True: "rgb(15, 19, 32)"}  # light, dark
# Each run: the viewport, the system's colour scheme, and the theme the person chose.
DEVICES = {
    "laptop": ((1366, 900), "light", "system"),
    "phone": ((390, 844), "light", "system"),
    "laptop-dark": ((1366, 900), "dark", "system"),  # the system asks for dark
    "phone-dark": ((390, 844), "light", "dark"),  # the person chose dark on a light system
}


def one(emulator, path: str, **params) -> dict:
    rows = emulator.get(path, params={"limit": 1, **params}).json()
    assert rows, f"the emulator has no {path}"
    return rows[0]


def every_page(emulator) -> list[str]:
    """One page of each kind: lists (with and without results), filters refused, details,
    forms, confirmations, the activity log and a missing page."""
    version = one(emulator, "/versions", **{"excludePhoneConnectionIds[]": ""})
    phone = version["phoneConnectionId"]
    webrtc = one(emulator, "/webRtcConnections")["id"]
    call = one(
        emulator, "/sessions", **{"statuses[]": "COMPLETED", "productIds[]": version["productId"]}
    )
    return [
        "/phone-connections/",
        "/phone-connections/?name=no-such-connection-anywhere",
        "/phone-connections/?count=1&page=2",
        "/phone-connections/?created_from=not-a-date&phones=12",
        f"/phone-connections/{phone}/",
        "/phone-connections/new/",
        "/phone-connections/import/",
        f"/phone-connections/{phone}/edit/",
        f"/phone-connections/{phone}/delete/",
        f"/phone-connections/{phone}/versions/attach/",
        f"/phone-connections/{phone}/versions/{version['id']}/detach/",
        "/webrtc-connections/",
        f"/webrtc-connections/{webrtc}/",
        "/webrtc-connections/new/",
        "/versions/",
        f"/versions/{version['id']}/",
        "/sessions/",
        "/sessions/?status=FAILED",
        f"/sessions/{call['id']}/",
        "/activity/",
        "/jobs/",
        "/phone-connections/phoneConnection_missing/",
    ]


def import_preview(page, admin_url: str, emulator) -> str:
    """The preview of a file with a row to create and one with problems: its path."""
    product = one(emulator, "/products")["name"]
    rows = [HEADER, ["Preview row", "+14155552671", product, "yes"], ["Bad row", "+1 555", "", ""]]
    page.goto(admin_url + IMPORT_URL)
    page.get_by_label("A file").set_input_files(
        {"name": "lines.csv", "mimeType": "text/csv", "buffer": csv_bytes(rows)}
    )
    page.get_by_role("button", name="Preview the import").click()
    page.wait_for_url(re.compile(r".*/phone-connections/import/\d+/$"))
    return urlsplit(page.url).path


@pytest.mark.parametrize("device", list(DEVICES))
def test_no_page_has_an_accessibility_violation(
    browser, admin_site, browser_emulator, django_user_model, device
):
    manager = django_user_model.objects.create_user(username="manager", password=PASSWORD)
    manager.groups.add(Group.objects.get(name="Manager"))
    (width, height), scheme, theme = DEVICES[device]
    Appearance.objects.create(user=manager, theme=theme)
    page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
    axe = Axe()
    found, too_wide = {}, {}
    try:
        page.goto(f"{admin_site.url}/accounts/login/")
        found["/accounts/login/"] = axe.run(page, options=WCAG_21_AA).response["violations"]
        sign_in(page, "manager")
        dark = scheme == "dark" or theme == "dark"
        preview = import_preview(page, admin_site.url, browser_emulator)
        for path in [*every_page(browser_emulator), preview]:
            page.goto(admin_site.url + path)
            background = page.evaluate("getComputedStyle(document.documentElement).background")
            assert background.startswith(PAGE_BACKGROUND[dark]), (path, background)
            found[path] = axe.run(page, options=WCAG_21_AA).response["violations"]
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                too_wide[path] = scroll_width
    finally:
        page.close()
    problems = {
        path: [(v["id"], [node["target"] for node in v["nodes"]][:3]) for v in violations]
        for path, violations in found.items()
        if violations
    }
    assert problems == {}
    assert too_wide == {}

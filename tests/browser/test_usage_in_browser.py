"""An Editor sees what calls a phone connection, plays one of its recorded calls, detaches a
version and finds the change in the activity log; a recording Galtea will not hand out says
so in place."""

import inspect
import re
from collections import Counter

import pytest
import requests
from playwright.sync_api import expect

from tests.browser.conftest import open_signed_in
from tests.emulator_process import start_emulator

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

BUSY = "Galtea is sending too many recordings just now: try again in a minute."
# HTMLMediaElement.HAVE_METADATA: the browser has read the file's header (its duration).
HAVE_METADATA = 1


def most_used_connection(emulator) -> tuple[dict, list[dict]]:
    """The phone connection the most versions call whose latest calls have a recording,
    and those versions by name."""
    params = {"excludePhoneConnectionIds[]": "", "limit": 1000}
    versions = emulator.get("/versions", params=params).json()
    counts = Counter(version["phoneConnectionId"] for version in versions)
    for connection_id, count in counts.most_common():
        calling = [v for v in versions if v["phoneConnectionId"] == connection_id]
        params = {
            "versionIds[]": [v["id"] for v in calling],
            "sort[]": ["createdAt", "desc"],
            "limit": 10,
        }
        calls = emulator.get("/sessions", params=params).json()
        if count >= 2 and any(call["recordingUri"] for call in calls):
            connection = emulator.get(f"/phoneConnections/{connection_id}").json()
            return connection, sorted(calling, key=lambda v: v["name"])
    pytest.fail("no phone connection that several versions call has a recorded call")


def point_at(emulator, version_id: str, connection_id: str | None) -> None:
    response = requests.patch(
        f"{emulator.url}/versions/{version_id}",
        json={"phoneConnectionId": connection_id},
        headers=emulator.auth,
        timeout=10,
    )
    assert response.status_code == 200, response.text


def test_editor_plays_a_call_and_detaches_a_version(
    browser, admin_site, settings, browser_emulator, artifacts
):
    settings.GALTEA_RECORDING_ORIGINS = (browser_emulator.url,)
    connection, calling = most_used_connection(browser_emulator)
    detached = calling[0]
    detail = f"{admin_site.url}/phone-connections/{connection['id']}/"

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Content Security" in m.text else None)
    open_signed_in(page, detail, "editor")
    expect(page.get_by_role("heading", name=connection["name"], level=1)).to_be_visible()

    used_by = page.locator("section[aria-labelledby=used-by-title]")
    expect(used_by.get_by_role("heading", name="Used by")).to_be_visible()
    expect(used_by.locator("td.cell-name")).to_have_text([v["name"] for v in calling])

    recent = page.locator("section[aria-labelledby=recent-calls-title]")
    player = recent.locator("[data-recording]").first
    player.get_by_role("button", name="Play recording").click()
    audio = player.locator("audio")
    expect(audio).to_be_visible()
    expect(audio).to_have_attribute(
        "src", re.compile(rf"^{re.escape(browser_emulator.url)}/recordings/session_\w+\.wav\?")
    )
    audio.evaluate(
        """(el, wanted) => new Promise((resolve, reject) => {
            if (el.readyState >= wanted) return resolve();
            el.addEventListener("loadedmetadata", resolve, {once: true});
            el.addEventListener("error", () => reject(new Error("audio error")), {once: true});
        })""",
        HAVE_METADATA,
    )
    assert audio.evaluate("el => el.duration") > 0
    assert audio.evaluate("el => el.error") is None
    expect(player.locator("[role=status]")).to_have_text("")
    expect(player.get_by_role("button", name="Play recording")).to_be_hidden()
    assert blocked == [], "the page's policy must let the recording play"
    page.screenshot(path=str(artifacts / "recording-playing.png"), full_page=True)

    used_by.get_by_role("link", name=f"Detach {detached['name']}").click()
    expect(
        page.get_by_role(
            "heading", name=f"Stop “{detached['name']}” calling this phone connection?"
        )
    ).to_be_visible()
    page.screenshot(path=str(artifacts / "detach-confirmation.png"), full_page=True)
    page.get_by_role("button", name="Detach", exact=True).click()
    page.wait_for_url(detail)
    expect(page.locator(".message-success")).to_have_text(
        f"Version “{detached['name']}” no longer calls this phone connection."
    )
    expect(used_by.locator("td.cell-name")).to_have_text([v["name"] for v in calling[1:]])
    page.screenshot(path=str(artifacts / "after-detach.png"), full_page=True)
    now = browser_emulator.get(f"/versions/{detached['id']}").json()
    assert now["phoneConnectionId"] is None

    page.goto(f"{admin_site.url}/activity/")
    rows = page.locator("table.data-table tbody tr")
    expect(rows).to_have_count(1)
    cells = rows.first.locator("td")
    expect(cells.nth(1)).to_have_text("editor")
    expect(cells.nth(2)).to_have_text("Edited")
    expect(cells.nth(3)).to_have_text("Version")
    expect(cells.nth(4)).to_have_text(detached["name"])
    change = cells.nth(6)
    expect(change.locator(".change-field")).to_have_text("Phone connection:")
    expect(change.locator("del")).to_have_text(connection["id"])
    expect(change.locator("ins")).to_have_text("—")
    page.screenshot(path=str(artifacts / "activity.png"), full_page=True)
    context.close()
    point_at(browser_emulator, detached["id"], connection["id"])


@pytest.fixture
def busy_recordings(admin_site, tmp_path, settings):
    """The live admin talking to an emulator whose recording transfers are always over the
    API's limit (429)."""
    if "recording_fault" not in inspect.signature(start_emulator).parameters:
        pytest.skip("this emulator launcher cannot make recording transfers fail")
    running = start_emulator(tmp_path, seed=30, recording_fault="429")
    settings.GALTEA_API_URL = running.url
    settings.GALTEA_RECORDING_ORIGINS = (running.url,)
    yield running
    running.stop()


def test_a_recording_galtea_will_not_hand_out_says_so_in_place(
    browser, admin_site, busy_recordings, artifacts
):
    connection, calling = most_used_connection(busy_recordings)
    detail = f"{admin_site.url}/phone-connections/{connection['id']}/"

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = open_signed_in(context.new_page(), detail)
    player = page.locator("section[aria-labelledby=recent-calls-title] [data-recording]").first
    play = player.get_by_role("button", name="Play recording")
    play.click()

    expect(player.get_by_role("status")).to_have_text(BUSY)
    expect(play).to_be_enabled()
    expect(player.locator("audio")).to_be_hidden()
    expect(page.locator("section[aria-labelledby=used-by-title] td.cell-name")).to_have_text(
        [v["name"] for v in calling]
    )
    page.screenshot(path=str(artifacts / "recording-busy.png"), full_page=True)
    context.close()

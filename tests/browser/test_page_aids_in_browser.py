"""What helps on every page: one icon request, skip links, "/" for the quick search, a focus
ring that can be seen, and removing a saved view undone in one click."""

import re

import pytest
from playwright.sync_api import expect

from galtea_admin.preferences.models import SavedView
from tests.browser.conftest import open_signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LIST = "/phone-connections/"


@pytest.fixture
def page(browser, admin_site):
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    opened = open_signed_in(context.new_page(), admin_site.url + LIST)
    yield opened
    context.close()


def relative_luminance(rgb: tuple[float, ...]) -> float:
    def channel(value: float) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (channel(value) for value in rgb[:3])
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast(first: tuple[float, ...], second: tuple[float, ...]) -> float:
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def colour(css: str) -> tuple[float, ...]:
    return tuple(float(part) for part in re.findall(r"[\d.]+", css)[:3])


# The focused element's ring (outline, else box-shadow) and the colour behind it: the first
# ancestor with a background of its own.
RING = """element => {
  const style = getComputedStyle(element);
  let ring = null, width = 0;
  if (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0) {
    ring = style.outlineColor; width = parseFloat(style.outlineWidth);
  } else if (style.boxShadow !== "none") {
    ring = style.boxShadow.match(/rgba?\\([^)]*\\)/)[0];
    width = parseFloat(style.boxShadow.match(/(\\d+(\\.\\d+)?)px(?!.*px)/)[1]);
  }
  let behind = element.parentElement;
  while (behind && getComputedStyle(behind).backgroundColor === "rgba(0, 0, 0, 0)") {
    behind = behind.parentElement;
  }
  const background = behind ? getComputedStyle(behind).backgroundColor : "rgb(255, 255, 255)";
  return {ring, width, background, focused: document.activeElement === element};
}"""


def test_a_page_load_asks_for_its_icon_once(page, admin_site):
    fresh = page.context.new_page()  # signed in, and no earlier page's requests to catch
    asked = []
    fresh.on("request", lambda request: asked.append(request.url))

    fresh.goto(admin_site.url + LIST + "?sort=name")
    fresh.wait_for_load_state("networkidle")
    fresh.wait_for_timeout(1000)

    icons = [url for url in asked if "favicon" in url]
    assert icons == [admin_site.url + "/static/img/favicon.svg"]


def test_skip_links_lead_to_the_content_and_to_the_filters(page, artifacts):
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_text("Skip to content")
    page.keyboard.press("Tab")
    skip = page.locator(":focus")
    expect(skip).to_have_text("Skip to filters")
    expect(skip).to_be_in_viewport()
    page.screenshot(path=str(artifacts / "skip-to-filters.png"))

    page.keyboard.press("Enter")
    expect(page.locator("#filters")).to_be_focused()
    page.keyboard.press("Tab")
    toggle = page.locator(":focus")
    expect(toggle).to_have_text("Filters")  # the panel's heading, its disclosure, is open
    expect(page.locator("#filters details")).to_have_attribute("open", "")
    page.keyboard.press("Tab")
    expect(page.locator(":focus")).to_have_attribute("name", "product")


def test_slash_focuses_the_quick_search_unless_typing_in_a_field(page):
    search = page.locator('.search input[name="q"]')
    expect(search).to_have_attribute("aria-keyshortcuts", "/")
    page.locator("h1").click()

    page.keyboard.press("/")
    expect(search).to_be_focused()
    expect(search).to_have_value("")

    name_filter = page.get_by_label("Name contains")
    name_filter.click()
    page.keyboard.type("a/b")
    expect(name_filter).to_be_focused()
    expect(name_filter).to_have_value("a/b")


@pytest.mark.parametrize(
    "target",
    [
        "button.button-primary[form=filter-form]",  # Search
        ".mainnav a",  # on the dark top bar
        "a.sort-link",
        'input[name="q"]',
        'input[name="created_from"]',  # a date and time picker
        'input[name="product"]',  # a checkbox
        ".skip-link",
        ".theme-choice",  # on the dark top bar, pressed or not
        ".side-toggle",  # a side panel's heading, its disclosure
    ],
)
def test_the_focus_ring_stands_out_at_least_three_to_one(page, target, artifacts):
    element = page.locator(target).first
    element.focus()
    if target.startswith("input") is False and target != ".skip-link":
        # Keyboard focus, as a person tabbing would give it (:focus-visible).
        element.evaluate("element => element.blur()")
        page.keyboard.press("Shift+Tab")
        page.keyboard.press("Tab")
        expect(element).to_be_focused()

    found = element.evaluate(RING)

    assert found["focused"]
    assert found["ring"] is not None, f"{target} shows no focus ring"
    assert found["width"] >= 2
    ratio = contrast(colour(found["ring"]), colour(found["background"]))
    assert ratio >= 3, f"{target}: ring {found['ring']} on {found['background']} is {ratio:.2f}:1"
    if target == 'input[name="created_from"]':
        page.screenshot(path=str(artifacts / "date-input-focused.png"))


def test_removing_a_saved_view_is_undone_with_one_click(page, artifacts, django_user_model):
    owner = django_user_model.objects.get(username="ops")
    SavedView.objects.create(
        owner=owner, list_name="phone_connections", name="EMEA", query="sort=name", shared=True
    )
    page.reload()

    page.get_by_role("button", name="Remove the saved view EMEA").click()
    message = page.locator(".message-success")
    expect(message).to_contain_text("Removed the saved view “EMEA”.")
    page.screenshot(path=str(artifacts / "removed-with-undo.png"))
    assert not SavedView.objects.exists()

    message.get_by_role("button", name="Undo").click()
    expect(page.locator(".message-success")).to_have_text("Restored the saved view “EMEA”.")
    expect(page.get_by_role("link", name="EMEA", exact=True)).to_be_visible()
    restored = SavedView.objects.get()
    assert (restored.owner, restored.query, restored.shared) == (owner, "sort=name", True)
    page.screenshot(path=str(artifacts / "restored.png"))

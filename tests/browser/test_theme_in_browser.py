"""The colour theme in the browser: the system's choice is followed until the person picks one
with the top bar's buttons; with JavaScript the pick applies at once and is kept, without it
the form sends the person back to the same page, drawn in the chosen theme."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from galtea_admin.preferences.models import Appearance
from tests.browser.conftest import open_signed_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

HERE = "/phone-connections/?sort=name"
BACKGROUND = "getComputedStyle(document.documentElement).backgroundColor"
LIGHT, DARK = "rgb(246, 247, 251)", "rgb(15, 19, 32)"


def opened(browser, admin_site, *, scheme: str, javascript: bool = True):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900},
        color_scheme=scheme,
        java_script_enabled=javascript,
    )
    return open_signed_in(context.new_page(), admin_site.url + HERE)


def test_the_system_is_followed_until_the_person_chooses(browser, admin_site):
    for scheme, background in (("light", LIGHT), ("dark", DARK)):
        page = opened(browser, admin_site, scheme=scheme)
        try:
            assert page.evaluate(BACKGROUND) == background
            expect(page.get_by_role("button", name="System")).to_have_attribute(
                "aria-pressed", "true"
            )
        finally:
            page.context.close()


def test_a_choice_applies_at_once_and_is_kept(browser, admin_site, django_user_model):
    page = opened(browser, admin_site, scheme="light")
    try:
        with page.expect_response(lambda response: "/preferences/theme/" in response.url) as sent:
            page.get_by_role("button", name="Dark").click()
        assert sent.value.status == 200

        assert page.url == admin_site.url + HERE  # no page load
        assert page.evaluate(BACKGROUND) == DARK
        expect(page.get_by_role("button", name="Dark")).to_have_attribute("aria-pressed", "true")
        expect(page.get_by_role("button", name="System")).to_have_attribute("aria-pressed", "false")
        assert Appearance.objects.get(user__username="ops").theme == "dark"

        page.reload()
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        assert page.evaluate(BACKGROUND) == DARK

        # Answered before the test ends: a save still on its way would race the clean-up.
        with page.expect_response(lambda response: "/preferences/theme/" in response.url):
            page.get_by_role("button", name="System").click()
        assert page.evaluate(BACKGROUND) == LIGHT
        expect(page.get_by_role("button", name="System")).to_have_attribute("aria-pressed", "true")
    finally:
        page.context.close()


def test_without_javascript_the_form_returns_to_the_same_page(browser, admin_site):
    page = opened(browser, admin_site, scheme="dark", javascript=False)
    try:
        page.get_by_role("button", name="Light").click()

        page.wait_for_url(admin_site.url + HERE)
        assert page.evaluate(BACKGROUND) == LIGHT
        expect(page.get_by_role("button", name="Light")).to_have_attribute("aria-pressed", "true")
    finally:
        page.context.close()

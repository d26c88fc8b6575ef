"""A person filters, sorts and pages the list, shares the URL, and a colleague sees the same."""

import pytest

from tests.browser.conftest import open_signed_in, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def visible_rows(page) -> list[tuple[str, str]]:
    """(name, phone number) of every row the table shows, in order."""
    rows = page.locator("table.data-table tbody tr")
    return [
        (
            row.locator("td").nth(0).inner_text().strip(),
            row.locator("td").nth(2).inner_text().strip(),
        )
        for row in rows.all()
    ]


def test_filter_sort_page_share(browser, admin_site, artifacts):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=admin_site.url)
    page = open_signed_in(context.new_page(), admin_site.url + "/phone-connections/")

    product_name = page.locator("#id_product label").first.inner_text().strip()
    page.get_by_role("group", name="Product").get_by_label(product_name).check()
    page.get_by_label("Name contains").fill("e")
    page.get_by_role("button", name="Apply").click()
    page.wait_for_url("**/phone-connections/?*")
    assert "name=e" in page.url
    assert page.locator(".chip", has_text=product_name).count() == 1

    page.get_by_role("link", name="Phone number").click()
    page.wait_for_url("**sort=phone**")
    sorted_header = page.locator("th[aria-sort=ascending]").text_content()
    assert sorted_header.strip().startswith("Phone number")

    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**page=2**")
    assert page.locator(".pagination .range").inner_text() == "Showing 26–50"
    rows = visible_rows(page)
    assert len(rows) == 25
    numbers = [phone for _, phone in rows]
    digits = ["".join(c for c in number.split("\n")[0] if c.isdigit()) for number in numbers]
    assert digits == sorted(digits)

    page.get_by_role("button", name="Copy link").click()
    page.get_by_text("Link copied").wait_for()
    shared_url = page.evaluate("navigator.clipboard.readText()")
    assert shared_url == page.url
    page.screenshot(path=str(artifacts / "page-2-sorted-by-phone.png"), full_page=True)
    context.close()

    colleague = browser.new_context(viewport={"width": 1400, "height": 1000})
    other = colleague.new_page()
    other.goto(shared_url)
    assert "/accounts/login/" in other.url
    sign_in(other)
    other.wait_for_url(shared_url)
    assert visible_rows(other) == rows
    assert other.locator(".pagination .range").inner_text() == "Showing 26–50"
    other.screenshot(path=str(artifacts / "shared-link-reopened.png"), full_page=True)
    colleague.close()

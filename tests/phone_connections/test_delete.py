"""Deleting a phone connection: a confirmation page, POST only, and back to the list as it was.

A Manager deletes connections of the test's own on the session emulator.
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest

from galtea_admin.audit.models import ChangeRecord
from tests.galtea.fake_upstream import HANG, error_reply
from tests.pages import (
    LIST_URL,
    DetailPage,
    Page,
    delete_row,
    delete_url,
    detail_url,
    fetch,
    writes,
)

pytestmark = pytest.mark.django_db

FILTERED_LIST = f"{LIST_URL}?product=prod_x&name=line&sort=phone&per_page=50&page=2"


def confirm_page(client, connection_id: str, next_url: str | None = FILTERED_LIST) -> Page:
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return Page(client.get(delete_url(connection_id) + query))


def confirm(client, connection_id: str, next_url: str | None = FILTERED_LIST, **kwargs):
    data = {"next": next_url} if next_url else {}
    return client.post(delete_url(connection_id), data, **kwargs)


class TestConfirmationPage:
    def test_names_the_connection_its_number_and_product(self, manager_client, row, product_names):
        page = confirm_page(manager_client, row["id"])

        assert page.status == 200
        assert page.h1 == "Delete this phone connection?"
        details = page.doc.one("dl", class_="details")
        shown = dict(
            zip(
                [dt.text for dt in details.find_all("dt")],
                [dd.text for dd in details.find_all("dd")],
                strict=True,
            )
        )
        assert shown["Name"] == row["name"]
        assert shown["Phone number"] == "+1 415-555-2671 United States"
        assert shown["Product"] == product_names[row["productId"]]

    def test_asks_for_a_post_and_offers_a_way_back(self, manager_client, row):
        page = confirm_page(manager_client, row["id"])

        form = page.doc.one("form", method="post", data_submit_once=True, action=None)
        assert form.attrs.get("action", "") == ""
        assert form.one("button", type="submit").text == "Yes, delete it"
        next_field = form.one("input", name="next")
        assert next_field.attrs["value"] == FILTERED_LIST
        assert page.link("Cancel") == FILTERED_LIST

    def test_cancel_without_next_goes_back_to_the_connection(self, manager_client, row):
        page = confirm_page(manager_client, row["id"], next_url=None)

        assert page.link("Cancel") == detail_url(row["id"])

    def test_opening_it_deletes_nothing(self, manager_client, api, row):
        confirm_page(manager_client, row["id"])

        assert fetch(api, row["id"]) is not None
        assert writes(api) == []
        assert not ChangeRecord.objects.exists()

    def test_of_a_missing_connection_is_not_found(self, manager_client, api):
        page = confirm_page(manager_client, "phoneConnection_doesnotexist")

        assert page.status == 404


class TestDeleting:
    def test_deletes_and_returns_to_the_list_as_it_was(self, manager_client, api, row):
        response = confirm(manager_client, row["id"])

        assert response.status_code == 302
        assert response.url == FILTERED_LIST
        assert fetch(api, row["id"]) is None
        assert [(w["method"], w["path"]) for w in writes(api)] == [
            ("DELETE", f"/phoneConnections/{row['id']}")
        ]
        shown = Page(manager_client.get(response.url))
        assert shown.messages == [f"Deleted “{row['name']}” (+14155552671)."]

    def test_without_next_returns_to_the_list(self, manager_client, api, row):
        response = confirm(manager_client, row["id"], next_url=None)

        assert response.url == LIST_URL

    def test_never_returns_to_the_deleted_connections_own_page(self, manager_client, api, row):
        response = confirm(manager_client, row["id"], next_url=detail_url(row["id"]))

        assert response.status_code == 302
        assert response.url == LIST_URL

    def test_from_the_detail_page_returns_to_the_list_the_detail_came_from(
        self, manager_client, api, row
    ):
        """List (filtered) → detail → Delete → confirm: back on the filtered list."""
        here = f"{LIST_URL}?{urlencode({'name': row['name'], 'sort': 'name'})}"
        listing = Page(manager_client.get(here))
        detail_link = next(
            a.attrs["href"] for a in listing.doc.find_all("a") if a.text == row["name"]
        )
        detail = Page(manager_client.get(detail_link))
        delete_link = next(
            a.attrs["href"]
            for a in detail.doc.one("div", class_="page-header").find_all("a")
            if a.text == "Delete"
        )
        confirmation = Page(manager_client.get(delete_link))
        form = confirmation.doc.one("form", data_submit_once=True)
        next_value = form.one("input", name="next").attrs["value"]

        response = manager_client.post(delete_link, {"next": next_value})

        assert response.status_code == 302
        assert fetch(api, row["id"]) is None
        assert response.url == here

    @pytest.mark.parametrize(
        "next_url",
        ["https://evil.example/", "//evil.example/", "/\\evil.example/", "/\t/evil.example/"],
    )
    def test_next_never_leads_off_site(self, manager_client, api, row, next_url):
        response = confirm(manager_client, row["id"], next_url=next_url)

        assert response.status_code == 302
        assert response.url == LIST_URL
        assert fetch(api, row["id"]) is None

    @pytest.mark.parametrize("method", ["put", "patch", "delete"])
    def test_only_post_deletes(self, manager_client, api, row, method):
        response = getattr(manager_client, method)(delete_url(row["id"]))

        assert response.status_code == 405
        assert fetch(api, row["id"]) is not None


class TestAlreadyDeleted:
    def test_confirming_twice_says_it_was_already_deleted(self, manager_client, api, row):
        confirm(manager_client, row["id"], follow=True)

        response = confirm(manager_client, row["id"], follow=True)

        assert response.redirect_chain == [(FILTERED_LIST, 302)]
        assert Page(response).messages == ["That phone connection had already been deleted."]
        assert [w["method"] for w in writes(api)] == ["DELETE"]
        assert ChangeRecord.objects.filter(action="delete").count() == 1

    def test_deleted_elsewhere_after_the_confirmation_page_opened(self, manager_client, api, row):
        confirm_page(manager_client, row["id"])
        delete_row(api, row["id"])

        response = confirm(manager_client, row["id"], follow=True)

        assert response.redirect_chain == [(FILTERED_LIST, 302)]
        assert "already been deleted" in " ".join(Page(response).messages)
        assert not ChangeRecord.objects.exists()

    def test_deleted_elsewhere_just_before_the_delete(self, manager_client, gateway, row):
        message = f"PhoneConnection not found: {row['id']}"
        gateway.fail("DELETE", "/phoneConnections/.+", error_reply(404, message))

        response = confirm(manager_client, row["id"], follow=True)

        assert response.redirect_chain == [(FILTERED_LIST, 302)]
        assert Page(response).messages == [f"“{row['name']}” had already been deleted."]
        assert not ChangeRecord.objects.exists()


class TestUpstreamFailures:
    @pytest.mark.parametrize(
        ("reply", "status"), [(HANG, 504), (error_reply(500, "boom"), 502)], ids=["timeout", "500"]
    )
    def test_a_failed_delete_says_nothing_changed(
        self, manager_client, gateway, row, reply, status
    ):
        gateway.fail("DELETE", "/phoneConnections/.+", reply)

        page = Page(confirm(manager_client, row["id"]))

        assert page.status == status
        assert "Nothing was changed" in page.main_text
        assert len(gateway.paths("DELETE")) == 1, "a delete must never be sent twice"
        assert fetch(gateway.target, row["id"]) is not None
        assert not ChangeRecord.objects.exists()


def test_the_list_after_a_delete_no_longer_shows_it(manager_client, api, row):
    came_from = f"{LIST_URL}?name={row['name'].replace(' ', '+')}"
    before = Page(manager_client.get(came_from))
    assert row["name"] in before.main_text

    response = confirm(manager_client, row["id"], next_url=came_from, follow=True)

    assert response.redirect_chain == [(came_from, 302)]
    page = Page(response)
    assert page.messages == [f"Deleted “{row['name']}” (+14155552671)."]
    assert "No phone connections match these filters" in page.main_text
    detail = DetailPage(manager_client.get(detail_url(row["id"])))
    assert detail.status == 404

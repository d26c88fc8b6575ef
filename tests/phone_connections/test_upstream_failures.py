"""When Galtea fails, the pages say so in the admin's own look, with the right status.

Real failures only: a loopback port nothing listens on, an emulator that was stopped, a
key the emulator refuses, ids the emulator does not have.
"""

from __future__ import annotations

import pytest

from tests.phone_connections.pages import LIST_URL, Page, create_row, delete_row, unique_name

WRONG_KEY = "gsk_wrong_key_for_this_test_0000000000"


def assert_in_the_admins_look(page: Page) -> None:
    """The failure page is a page of the admin: its header, styles and a way back."""
    assert page.doc.one("a", class_="brand").text == "Galtea Admin"
    assert page.doc.find("link", rel="stylesheet") is not None
    assert page.doc.find("nav", class_="mainnav") is not None
    links = {
        a.attrs.get("href"): a.text.strip()
        for a in page.doc.one("section", class_="problem").find_all("a")
    }
    assert links.get(LIST_URL) == "Back to phone connections"


class TestUnreachable:
    @pytest.mark.parametrize(
        "path", [f"{LIST_URL}?sort=name&q=billing", "/phone-connections/phoneConnection_1/"]
    )
    def test_a_closed_port_is_a_503_page(self, signed_in, settings, closed_port_url, path):
        settings.GALTEA_API_URL = closed_port_url

        page = Page(signed_in.get(path))

        assert page.status == 503
        assert page.h1 == "Galtea cannot be reached"
        assert "Galtea cannot be reached" in page.title
        assert_in_the_admins_look(page)
        try_again = [
            a.attrs["href"] for a in page.doc.find_all("a") if a.text.strip() == "Try again"
        ]
        assert try_again == [path]

    def test_the_api_going_away_after_the_lookups_were_cached(self, signed_in, private):
        assert signed_in.get(LIST_URL).status_code == 200
        private.stop()

        page = Page(signed_in.get(f"{LIST_URL}?page=2"))

        assert page.status == 503
        assert page.h1 == "Galtea cannot be reached"
        assert_in_the_admins_look(page)


class TestRefusedKey:
    @pytest.mark.parametrize("path", [LIST_URL, "/phone-connections/phoneConnection_1/"])
    def test_a_wrong_key_is_a_502_page_that_says_so(self, signed_in, settings, log, path):
        settings.GALTEA_API_KEY = WRONG_KEY

        page = Page(signed_in.get(path))

        assert page.status == 502
        text = page.doc.one("section", class_="problem").text
        assert "refused" in text
        assert "API key" in text
        assert "GALTEA_API_KEY" in text
        assert_in_the_admins_look(page)
        assert WRONG_KEY not in page.html
        assert log.api_key not in page.html
        received = log.requests_received()
        assert received and {r["status"] for r in received} == {401}


class TestMissingConnection:
    def test_an_unknown_id_is_a_404_page(self, signed_in, log):
        connection_id = "phoneConnection_doesnotexist0000"

        page = Page(signed_in.get(f"/phone-connections/{connection_id}/"))

        assert page.status == 404
        assert page.h1 == "Not found"
        assert connection_id in page.doc.one("section", class_="problem").text
        assert_in_the_admins_look(page)
        received = log.requests_received()
        assert received[-1]["path"] == f"/phoneConnections/{connection_id}"
        assert received[-1]["status"] == 404

    @pytest.mark.parametrize(
        "connection_id", ["no%20such%20connection", "%E2%82%AC", "%2E", "%2E%2E"]
    )
    def test_an_id_no_connection_can_have_is_a_404_page(self, signed_in, log, connection_id):
        """Odd ids ("." and ".." included) are missing connections, not a broken API address."""
        page = Page(signed_in.get(f"/phone-connections/{connection_id}/"))

        assert page.status == 404
        assert_in_the_admins_look(page)

    def test_a_deleted_connection_is_a_404_page(self, signed_in, emulator):
        row = create_row(emulator, name=unique_name("Deleted"))
        delete_row(emulator, row["id"])

        page = Page(signed_in.get(f"/phone-connections/{row['id']}/"))

        assert page.status == 404
        assert page.h1 == "Not found"
        assert row["id"] in page.doc.one("section", class_="problem").text

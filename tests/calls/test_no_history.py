"""A read-only resource's page has no "History in this admin": nothing changes it here."""

from __future__ import annotations

import pytest

from tests.html_tree import parse

pytestmark = pytest.mark.django_db


def test_a_call_has_no_history_and_a_version_has_one(viewer_client, api):
    version = api.get("/versions", params={"limit": 1}).json()[0]
    call = api.get("/sessions", params={"productIds[]": version["productId"], "limit": 1}).json()[0]

    call_page = parse(viewer_client.get(f"/sessions/{call['id']}/").content.decode())
    version_page = parse(viewer_client.get(f"/versions/{version['id']}/").content.decode())

    assert call_page.find("section", class_="history") is None
    assert version_page.one("section", class_="history").one("h2").text == "History in this admin"

"""The suite-wide API-key leak check sees pages, redirects, streams and log lines."""

import logging

import pytest

from tests.key_leaks import collecting

pytestmark = pytest.mark.django_db


def test_the_collector_sees_pages_redirects_and_logs(client):
    marker = "marker-7f3c9e"
    with collecting(marker) as collected:
        client.get(f"/accounts/login/?next=/phone-connections/%3Fq%3D{marker}")
        client.get(f"/phone-connections/?q={marker}")  # a redirect to sign in
        logging.getLogger("galtea_admin.test").warning("upstream said %s", marker)
    places = collected.containing(marker)
    assert any(place.startswith("GET /accounts/login/") for place in places)
    assert any("(headers)" in place and "→ 302" in place for place in places)
    assert any(place.startswith("log galtea_admin.test") for place in places)


def test_the_collector_sees_streamed_bodies(signed_in):
    with collecting("phone_number,voice") as collected:
        response = signed_in.get("/phone-connections/export.csv?name=Support")
        b"".join(response.streaming_content)
    assert collected.containing("phone_number,voice")

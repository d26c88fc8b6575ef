"""What the client takes from the environment: HTTP_PROXY and NO_PROXY are honoured; a
~/.netrc entry for the API's host never replaces the key."""

from __future__ import annotations

import pytest

from galtea_admin.galtea.client import GalteaClient
from galtea_admin.galtea.errors import GalteaUnavailable
from tests.galtea.fake_upstream import json_reply

KEY = "gsk_environment_test_key_51c0"


def test_a_netrc_entry_for_the_host_does_not_replace_the_key(upstream, tmp_path, monkeypatch):
    netrc = tmp_path / "netrc"
    netrc.write_text("machine 127.0.0.1 login someone password not-the-key\n")
    netrc.chmod(0o600)
    monkeypatch.setenv("NETRC", str(netrc))
    upstream.handler = lambda request: json_reply([])

    GalteaClient(upstream.url, KEY).get("/products")

    (sent,) = upstream.received("GET")
    assert sent.headers["Authorization"] == f"Bearer {KEY}"


def test_an_http_proxy_from_the_environment_is_used(upstream, closed_port_url, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", upstream.url)
    monkeypatch.delenv("NO_PROXY", raising=False)
    monkeypatch.delenv("no_proxy", raising=False)
    upstream.handler = lambda request: json_reply([])

    assert GalteaClient(closed_port_url, KEY).get("/products") == []

    (sent,) = upstream.received("GET")
    assert sent.path == "/products"
    assert sent.headers["Authorization"] == f"Bearer {KEY}"


def test_no_proxy_sends_the_api_straight(upstream, closed_port_url, monkeypatch):
    monkeypatch.setenv("HTTP_PROXY", upstream.url)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")

    with pytest.raises(GalteaUnavailable):
        GalteaClient(closed_port_url, KEY, connect_retries=0).get("/products")

    assert upstream.received() == []

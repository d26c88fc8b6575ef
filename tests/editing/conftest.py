"""Fixtures of the editing tests: signed-in people of each role, the API they change.

Tests that change data point the admin at the session emulator and only touch rows of
their own (unique names).
`gateway` puts a small recording proxy between the admin and the emulator: it keeps every
request body the admin sent and can answer chosen requests with a failure instead.
"""

from __future__ import annotations

import re
import socket

import pytest
import requests

from tests.editing.pages import create_row
from tests.galtea.fake_upstream import FakeUpstream, ReceivedRequest, Reply

FORWARDED_HEADERS = ("Authorization", "Content-Type", "Accept")


@pytest.fixture(autouse=True)
def quick_password_hashing(settings):
    """Creating users need not cost a production-strength password hash."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(galtea_settings, emulator):
    """The session emulator, which the admin talks to, its request log emptied."""
    emulator.clear_request_log()
    return emulator


def signed_in_as(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def viewer_client(client, operator, api):
    return signed_in_as(client, operator)


@pytest.fixture
def editor_client(client, editor, api):
    return signed_in_as(client, editor)


@pytest.fixture
def manager_client(client, manager, api):
    return signed_in_as(client, manager)


@pytest.fixture
def row(api) -> dict:
    """A phone connection of this test's own on the session emulator."""
    created = create_row(api, phoneNumber="+14155552671", voice="theo", languageCode="en-GB")
    api.clear_request_log()
    return created


@pytest.fixture
def product_names(api) -> dict[str, str]:
    response = api.get("/products")
    return {product["id"]: product["name"] for product in response.json()}


class Gateway:
    """A recording proxy in front of an emulator; `fail()` makes chosen requests fail."""

    def __init__(self, target):
        self.target = target
        self.faults: list[tuple[str, re.Pattern, Reply]] = []
        self.server = FakeUpstream(self.handle)

    @property
    def url(self) -> str:
        return self.server.url

    def fail(self, method: str, path_pattern: str, reply: Reply) -> None:
        """Answer `method` requests whose path matches `path_pattern` with `reply`."""
        self.faults.append((method, re.compile(path_pattern), reply))

    def handle(self, request: ReceivedRequest) -> Reply:
        for method, pattern, reply in self.faults:
            if request.method == method and pattern.fullmatch(request.path):
                return reply
        url = self.target.url + request.path + (f"?{request.query}" if request.query else "")
        headers = {k: v for k, v in request.headers.items() if k in FORWARDED_HEADERS}
        answer = requests.request(
            request.method, url, data=request.body or None, headers=headers, timeout=10
        )
        content_type = answer.headers.get("Content-Type", "application/json")
        return Reply(answer.status_code, answer.content, content_type=content_type)

    def bodies(self, method: str) -> list[object]:
        """The JSON bodies of the `method` requests the admin sent, oldest first."""
        return [request.json() for request in self.server.received(method)]

    def paths(self, method: str) -> list[str]:
        return [request.path for request in self.server.received(method)]


@pytest.fixture
def gateway(settings, api):
    """The admin talks to the session emulator through a recording proxy."""
    proxy = Gateway(api)
    proxy.server.start()
    settings.GALTEA_API_URL = proxy.url
    settings.GALTEA_API_KEY = api.api_key
    settings.GALTEA_READ_TIMEOUT = 1.0
    yield proxy
    proxy.server.stop()


@pytest.fixture
def closed_port_url() -> str:
    """The URL of a loopback port nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"

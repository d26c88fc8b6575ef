"""An answer nested far beyond any real one is a bad answer, not a crash."""

from __future__ import annotations

import pytest

from galtea_admin.galtea.client import GalteaClient
from galtea_admin.galtea.errors import GalteaBadAnswer, GalteaRejected
from tests.galtea.fake_upstream import Reply

DEPTH = 200_000


def nested(depth: int) -> bytes:
    return b"[" * depth + b"]" * depth


def test_a_deeply_nested_answer_is_a_bad_answer(upstream):
    upstream.handler = lambda request: Reply(200, nested(DEPTH), "application/json")

    with pytest.raises(GalteaBadAnswer):
        GalteaClient(upstream.url, "gsk_test").get("/phoneConnections")


def test_a_deeply_nested_error_body_still_gives_a_clear_rejection(upstream):
    upstream.handler = lambda request: Reply(400, nested(DEPTH), "application/json")

    with pytest.raises(GalteaRejected) as raised:
        GalteaClient(upstream.url, "gsk_test").get("/phoneConnections")
    assert raised.value.message == "Galtea rejected the request."

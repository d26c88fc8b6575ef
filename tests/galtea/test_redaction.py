"""The API key is kept out of messages and logs in every form it could come back in."""

from __future__ import annotations

import pytest

from galtea_admin.galtea.client import GalteaClient
from galtea_admin.galtea.errors import GalteaRejected
from galtea_admin.galtea.redaction import redact_api_key
from tests.galtea.fake_upstream import error_reply

KEY = "gsk_live_0123456789abcdefABCDEF"


@pytest.mark.parametrize(
    "shown",
    [
        KEY,
        KEY.upper(),
        KEY.lower(),
        KEY[4:],  # without its prefix
        KEY[:16] + "…",  # cut short
        KEY[8:24],  # a piece from the middle
        "gsk-0ther-key-of-someone",  # another key's shape
    ],
)
def test_no_form_of_the_key_survives(shown):
    text = redact_api_key(f"Invalid key {shown} for this organization.", KEY)

    assert "[redacted]" in text
    assert shown.rstrip("…") not in text
    assert KEY.lower()[8:20] not in text.lower()


def test_other_text_is_left_alone():
    text = "A PhoneConnection with the same name already exists for this product."

    assert redact_api_key(text, KEY) == text


def test_an_upstream_message_echoing_the_key_upper_cased_is_redacted(upstream):
    upstream.handler = lambda request: error_reply(400, f"bad key {KEY.upper()} given")
    client = GalteaClient(upstream.url, KEY)

    with pytest.raises(GalteaRejected) as raised:
        client.get("/phoneConnections")

    assert KEY.lower() not in raised.value.message.lower()
    assert raised.value.message == "bad key [redacted] given"

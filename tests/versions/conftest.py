"""Fixtures of the version page tests.

Tests that only read use the session emulator (`api`); tests that change what a version
calls get an emulator of their own (`own`), so that no other test sees their changes.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pytest

from tests.emulator_process import RunningEmulator
from tests.phone_connections.pages import create_row
from tests.versions.api import versions


@pytest.fixture
def own(fresh_emulator, settings, galtea_settings) -> RunningEmulator:
    """The admin pointed at an emulator of the test's own (30 seeded connections and their
    versions and sessions), its request log emptied."""
    settings.GALTEA_API_URL = fresh_emulator.url
    settings.GALTEA_API_KEY = fresh_emulator.api_key
    settings.GALTEA_RECORDING_ORIGINS = (fresh_emulator.url,)
    fresh_emulator.clear_request_log()
    return fresh_emulator


@dataclass(frozen=True)
class Product:
    """A product of the test's emulator with a new phone connection no version calls, and
    a version of each kind: calling another number, a WebRTC agent, nothing."""

    api: RunningEmulator
    id: str
    connection: dict
    calling_phone: dict
    calling_webrtc: dict
    calling_nothing: dict
    other_product_version: dict

    def new_connection(self, **fields) -> dict:
        return create_row(self.api, productId=self.id, **fields)


def kind(version: dict) -> str:
    if version["phoneConnectionId"]:
        return "phone"
    if version["webRtcConnectionId"]:
        return "webrtc"
    return "nothing"


@pytest.fixture
def product(own) -> Product:
    every = versions(own)
    kinds = Counter((v["productId"], kind(v)) for v in every)
    product_id = next(
        p
        for p, _ in Counter(v["productId"] for v in every).most_common()
        if all(kinds[(p, k)] for k in ("phone", "webrtc", "nothing"))
    )
    mine = [v for v in every if v["productId"] == product_id]
    connection = create_row(own, productId=product_id, name="Attach test line")
    own.clear_request_log()
    return Product(
        api=own,
        id=product_id,
        connection=connection,
        calling_phone=next(v for v in mine if kind(v) == "phone"),
        calling_webrtc=next(v for v in mine if kind(v) == "webrtc"),
        calling_nothing=next(v for v in mine if kind(v) == "nothing"),
        other_product_version=next(v for v in every if v["productId"] != product_id),
    )

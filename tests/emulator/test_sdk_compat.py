"""The official `galtea` SDK works unchanged against the emulator, in either generation.

The SDK (5.12.0) has known nothing of `voice`, `languageCode` or the voices route since
4.33.0: it never sends them and reads only the fields it models, so the same round trip
passes against both.
"""

from __future__ import annotations

import inspect
from urllib.parse import parse_qsl

import pytest
from galtea import Galtea
from galtea.application.services.phone_connection_service import PhoneConnectionService
from galtea.infrastructure.exceptions.entity_not_found_http_error import EntityNotFoundHTTPError

from tests.emulator.calls import list_rows
from tests.emulator_process import start_emulator


@pytest.fixture(params=["documented", "current"])
def fresh_emulator(request, tmp_path):
    """An emulator of the test's own, seeded with 30 rows, playing one generation."""
    running = start_emulator(tmp_path, seed=30, api_generation=request.param)
    yield running
    running.stop()


@pytest.fixture
def sdk(fresh_emulator, monkeypatch, capsys) -> Galtea:
    for variable in ("GALTEA_API_URL", "GALTEA_EXTRA_HEADERS"):
        monkeypatch.delenv(variable, raising=False)
    client = Galtea(api_key=fresh_emulator.api_key, base_url=fresh_emulator.url)
    assert capsys.readouterr().out == "", "the SDK should start quietly"
    return client


def test_the_sdk_has_no_voice_language_code_or_voices_call():
    """Why one round trip fits both generations."""
    assert not hasattr(PhoneConnectionService, "list_voices")
    for method in (PhoneConnectionService.create, PhoneConnectionService.update):
        parameters = inspect.signature(method).parameters
        assert not {"voice", "language_code"} & set(parameters)


def test_products_list_and_get(sdk, fresh_emulator):
    products = sdk.products.list()
    assert len(products) == 8
    assert sdk.products.get(products[0].id).name == products[0].name
    assert sdk.products.get_by_name(products[1].name).id == products[1].id
    assert [p.id for p in sdk.products.list(id=[products[2].id])] == [products[2].id]


def test_phone_connections_list_sends_the_documented_query(sdk, fresh_emulator):
    rows = list_rows(fresh_emulator)
    product = rows[0]["productId"]
    fresh_emulator.clear_request_log()
    listed = sdk.phone_connections.list(
        product_ids=[product], name="e", sort_by_created_at="asc", limit=5, offset=0
    )
    expected = sorted(
        (r for r in rows if r["productId"] == product and "e" in r["name"].lower()),
        key=lambda r: r["createdAt"],
    )[:5]
    assert [connection.id for connection in listed] == [r["id"] for r in expected]
    (received,) = fresh_emulator.requests_received()
    assert parse_qsl(received["query"]) == [
        ("productIds[]", product),
        ("name", "e"),
        ("offset", "0"),
        ("limit", "5"),
        ("sort[]", "createdAt"),
        ("sort[]", "asc"),
    ]


def test_a_phone_number_filter_keeps_its_plus(sdk, fresh_emulator):
    rows = list_rows(fresh_emulator)
    prefix = rows[0]["phoneNumber"][:3]
    listed = sdk.phone_connections.list(phone_number=prefix)
    assert {c.id for c in listed} == {r["id"] for r in rows if prefix in r["phoneNumber"]}


def test_create_get_update_delete(sdk, fresh_emulator):
    product = sdk.products.list()[0].id
    created = sdk.phone_connections.create(
        product_id=product, name="SDK line", phone_number="+14155552671", agent_speaks_first=True
    )
    assert created is not None
    assert (created.name, created.product_id, created.agent_speaks_first) == (
        "SDK line",
        product,
        True,
    )
    assert sdk.phone_connections.get(created.id) == created
    assert sdk.phone_connections.get_by_name("SDK line", product) == created

    updated = sdk.phone_connections.update(created.id, name="SDK line 2", agent_speaks_first=False)
    assert (updated.name, updated.agent_speaks_first, updated.phone_number) == (
        "SDK line 2",
        False,
        "+14155552671",
    )

    fresh_emulator.clear_request_log()
    assert sdk.phone_connections.delete(created.id) is None
    assert [(r["method"], r["status"]) for r in fresh_emulator.requests_received()] == [
        ("DELETE", 204)
    ]
    with pytest.raises(EntityNotFoundHTTPError, match="PhoneConnection not found"):
        sdk.phone_connections.get(created.id)


def test_webrtc_create_and_delete(sdk, fresh_emulator):
    product = sdk.products.list()[0].id
    created = sdk.web_rtc_connections.create(
        product_id=product, name="SDK web", api_key="pk_" + "a" * 32, agent_name="sdk-agent"
    )
    assert created is not None
    assert sdk.web_rtc_connections.get(created.id).agent_name == "sdk-agent"
    fresh_emulator.clear_request_log()
    assert sdk.web_rtc_connections.delete(created.id) is None
    assert [(r["method"], r["status"]) for r in fresh_emulator.requests_received()] == [
        ("DELETE", 204)
    ]
    with pytest.raises(EntityNotFoundHTTPError, match="WebRtcConnection not found"):
        sdk.web_rtc_connections.get(created.id)


def test_rejections_reach_the_sdk_as_http_errors(sdk, fresh_emulator, capsys):
    product = sdk.products.list()[0].id
    assert sdk.phone_connections.create(product_id=product, name="Bad", phone_number="555") is None
    assert "phoneNumber" in capsys.readouterr().out
    with pytest.raises(EntityNotFoundHTTPError, match="Products not found: prod_missing"):
        sdk.products.list(id=["prod_missing"])

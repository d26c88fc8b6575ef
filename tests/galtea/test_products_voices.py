"""Products and voices through the service layer: listing, caching and the voice fallback."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import parse_qsl

import pytest
from django.core.cache import cache

from galtea_admin.galtea import products as product_service
from galtea_admin.galtea import voices as voice_service
from galtea_admin.galtea.client import GalteaClient, get_client
from galtea_admin.galtea.errors import GalteaNotFound, GalteaUnauthorized
from galtea_admin.galtea.products import Product
from galtea_admin.galtea.voices import DOCUMENTED_VOICES, Voice
from tests.galtea.fake_upstream import error_reply, html_reply, json_reply

EXPRESS_404 = (
    "<!DOCTYPE html><html><body><pre>Cannot GET /phoneConnections/voices</pre></body></html>"
)

DOCUMENTED_IDS = ["sarah", "theo", "megan", "jack"]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def log(emulator):
    emulator.clear_request_log()
    return emulator


def pairs(logged: dict) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for key, value in parse_qsl(logged["query"], keep_blank_values=True):
        grouped.setdefault(key, []).append(value)
    return grouped


class TestProducts:
    def test_list_is_typed_and_oldest_first(self, client, log):
        products = product_service.list_products(client=client)

        assert len(products) >= 2
        assert all(isinstance(product, Product) for product in products)
        for product in products:
            assert product.id and product.name
            assert isinstance(product.created_at, datetime)
            assert product.created_at.utcoffset() == timedelta(0)
        created = [product.created_at for product in products]
        assert created == sorted(created)
        [sent] = log.requests_received()
        assert (sent["method"], sent["path"], sent["status"]) == ("GET", "/products", 200)
        assert pairs(sent) == {
            "sort[]": ["createdAt", "asc"],
            "offset": ["0"],
            "limit": ["1000"],
        }

    def test_a_page(self, client):
        whole = product_service.list_products(client=client)
        page = product_service.list_products(offset=2, limit=3, client=client)
        assert page == whole[2:5]

    def test_the_limit_is_capped(self, client, log):
        product_service.list_products(limit=50_000, client=client)
        [sent] = log.requests_received()
        assert pairs(sent)["limit"] == ["1000"]

    def test_all_products_in_one_request_when_they_fit(self, client, log):
        everything = product_service.list_all_products(client=client)
        assert everything == product_service.list_products(client=client)
        assert len([r for r in log.requests_received() if r["path"] == "/products"]) == 2

    def test_all_products_page_by_page(self, upstream):
        total = 2005

        def pages(request):
            query = dict(parse_qsl(request.query))
            offset, limit = int(query["offset"]), int(query["limit"])
            rows = [
                {"id": f"prod_{n}", "name": f"Product {n}", "createdAt": "2025-01-01T00:00:00Z"}
                for n in range(offset, min(offset + limit, total))
            ]
            return json_reply(rows)

        upstream.handler = pages
        client = GalteaClient(upstream.url, "gsk_fake")

        products = product_service.list_all_products(client=client)

        assert [p.id for p in products] == [f"prod_{n}" for n in range(total)]
        offsets = [dict(parse_qsl(r.query))["offset"] for r in upstream.received()]
        assert offsets == ["0", "1000", "2000"]
        assert products[0].description is None

    def test_get(self, client, log):
        listed = product_service.list_products(client=client)[1]
        log.clear_request_log()

        assert product_service.get_product(listed.id, client=client) == listed
        [sent] = log.requests_received()
        assert sent["path"] == f"/products/{listed.id}"

    def test_get_missing_is_not_found(self, client):
        with pytest.raises(GalteaNotFound):
            product_service.get_product("prod_doesnotexist", client=client)

    def test_the_settings_choose_the_api(self, galtea_settings, log):
        assert get_client().base_url == galtea_settings.GALTEA_API_URL
        assert product_service.list_products() == product_service.list_products(
            client=GalteaClient(log.url, log.api_key)
        )
        assert [r["status"] for r in log.requests_received()] == [200, 200]


class TestCachedProducts:
    def test_sorted_by_name(self, client):
        products = product_service.cached_products(client=client)
        assert products == sorted(
            product_service.list_all_products(client=client),
            key=lambda p: (p.name.casefold(), p.id),
        )

    def test_second_call_makes_no_request(self, client, log):
        first = product_service.cached_products(client=client)
        assert len(log.requests_received()) == 1
        log.clear_request_log()

        second = product_service.cached_products(client=client)

        assert second == first
        assert log.requests_received() == []

    def test_each_api_has_its_own_cache(self, client, fresh_emulator):
        other = GalteaClient(fresh_emulator.url, fresh_emulator.api_key)
        product_service.cached_products(client=client)

        product_service.cached_products(client=other)

        assert [r["path"] for r in fresh_emulator.requests_received()] == ["/products"]

    def test_a_key_never_sees_what_another_key_cached(self, client, emulator):
        # Lists are scoped to the key's organization: a cached list must not outlive the
        # key it was fetched with, nor be shown to another key.
        product_service.cached_products(client=client)
        stranger = GalteaClient(emulator.url, "gsk_another_organization_key")

        with pytest.raises(GalteaUnauthorized):
            product_service.cached_products(client=stranger)

    def test_a_failure_is_not_cached(self, upstream):
        upstream.handler = lambda request: error_reply(500, "boom")
        client = GalteaClient(upstream.url, "gsk_fake")
        with pytest.raises(Exception, match="500"):
            product_service.cached_products(client=client)

        upstream.handler = lambda request: json_reply([])
        assert product_service.cached_products(client=client) == []
        assert product_service.cached_products(client=client) == []
        assert len(upstream.received()) == 2


class TestVoices:
    def test_list(self, client, log):
        voices = voice_service.list_voices(client=client)

        assert all(isinstance(voice, Voice) for voice in voices)
        assert [v.id for v in voices] == DOCUMENTED_IDS
        assert voices[3] == Voice("jack", "Jack", "en-US", "male")
        [sent] = log.requests_received()
        assert (sent["method"], sent["path"], sent["status"]) == (
            "GET",
            "/phoneConnections/voices",
            200,
        )

    def test_labels(self):
        assert Voice("jack", "Jack", "en-US", "male").label == "Jack (en-US)"
        assert Voice("x", "Robot", None, None).label == "Robot"

    def test_available_voices_come_from_the_api_and_are_cached(self, client, log):
        first = voice_service.available_voices(client=client)
        second = voice_service.available_voices(client=client)

        assert first == second == voice_service.list_voices(client=client)
        assert len(log.requests_received()) == 2  # one cached lookup, one direct list

    def test_available_voices_follow_what_the_api_offers(self, upstream):
        upstream.handler = lambda request: json_reply(
            [{"id": "nova", "name": "Nova", "languageCode": "es-ES", "gender": None}]
        )
        voices = voice_service.available_voices(client=GalteaClient(upstream.url, "gsk_fake"))
        assert voices == [Voice("nova", "Nova", "es-ES", None)]

    def test_unreachable_api_falls_back_to_the_documented_four(self, closed_port_url):
        client = GalteaClient(closed_port_url, "gsk_fake", connect_retries=0)
        voices = voice_service.available_voices(client=client)
        assert [v.id for v in voices] == DOCUMENTED_IDS
        assert voices == list(DOCUMENTED_VOICES)
        assert voices[0] == Voice("sarah", "Sarah", "en-GB", "female")

    @pytest.mark.parametrize(
        "reply",
        [
            error_reply(500, "boom"),
            error_reply(401, "no key"),
            json_reply({"data": []}),
            json_reply([{"name": "No id"}]),
            html_reply("<h1>Bad gateway</h1>", 502),
        ],
        ids=["server-error", "unauthorized", "other-envelope", "row-without-id", "html-502"],
    )
    def test_any_failure_falls_back(self, upstream, reply):
        upstream.handler = lambda request: reply
        voices = voice_service.available_voices(client=GalteaClient(upstream.url, "gsk_fake"))
        assert [v.id for v in voices] == DOCUMENTED_IDS

    @pytest.mark.parametrize(
        "body",
        [
            {"voices": [{"id": "nova", "name": "Nova", "languageCode": "es-ES"}]},
            [{"id": "nova", "name": "Nova", "languageCode": "es-ES"}],
        ],
        ids=["envelope", "bare-array"],
    )
    def test_the_envelope_and_a_bare_array_both_read(self, upstream, body):
        upstream.handler = lambda request: json_reply(body)
        client = GalteaClient(upstream.url, "gsk_fake")
        assert voice_service.available_voices(client=client) == [
            Voice("nova", "Nova", "es-ES", None)
        ]
        assert voice_service.api_has_voices(client=client) is True

    def test_an_empty_envelope_is_an_api_with_no_voices_on_offer(self, upstream):
        upstream.handler = lambda request: json_reply({"voices": []})
        client = GalteaClient(upstream.url, "gsk_fake")
        assert voice_service.available_voices(client=client) == []
        assert voice_service.api_has_voices(client=client) is True

    def test_no_voices_route_means_the_api_has_no_voices_and_it_is_cached(self, upstream):
        upstream.handler = lambda request: html_reply(EXPRESS_404, 404)
        client = GalteaClient(upstream.url, "gsk_fake")
        assert voice_service.api_has_voices(client=client) is False
        assert voice_service.available_voices(client=client) == []
        assert len(upstream.received()) == 1  # asked once, then cached

    @pytest.mark.parametrize(
        "reply",
        [error_reply(404, "Not found"), html_reply("<h1>502</h1>", 502), error_reply(500, "x")],
        ids=["json-404", "html-502", "500"],
    )
    def test_any_other_failure_keeps_the_voices_and_the_documented_four(self, upstream, reply):
        upstream.handler = lambda request: reply
        client = GalteaClient(upstream.url, "gsk_fake")
        assert voice_service.api_has_voices(client=client) is True
        assert [v.id for v in voice_service.available_voices(client=client)] == DOCUMENTED_IDS

    def test_the_fallback_is_not_cached(self, upstream):
        upstream.handler = lambda request: error_reply(503, "down")
        client = GalteaClient(upstream.url, "gsk_fake")
        assert [v.id for v in voice_service.available_voices(client=client)] == DOCUMENTED_IDS

        upstream.handler = lambda request: json_reply([{"id": "nova", "name": "Nova"}])
        assert [v.id for v in voice_service.available_voices(client=client)] == ["nova"]

    def test_default_voice_is_sarah(self, client):
        voices = voice_service.list_voices(client=client)
        assert voice_service.default_voice(voices) == voices[0]
        assert voice_service.default_voice(voices).id == "sarah"
        assert voice_service.default_voice(list(DOCUMENTED_VOICES)).name == "Sarah"

    def test_no_default_when_sarah_is_not_offered(self):
        assert voice_service.default_voice([]) is None
        assert voice_service.default_voice([Voice("jack", "Jack", "en-US", "male")]) is None

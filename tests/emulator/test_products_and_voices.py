"""`GET /products`, `GET /phoneConnections/voices` and `GET /minimum-sdk-version`."""

from __future__ import annotations

from urllib.parse import quote

import pytest


@pytest.fixture(scope="module")
def products(emulator) -> list[dict]:
    response = emulator.get("/products")
    assert response.status_code == 200
    return response.json()


def listed(emulator, query: str) -> list[str]:
    response = emulator.get(f"/products?{query}")
    assert response.status_code == 200, response.text
    return [product["id"] for product in response.json()]


def test_products_default_to_newest_first(products):
    assert len(products) == 8
    assert [p["createdAt"] for p in products] == sorted(
        (p["createdAt"] for p in products), reverse=True
    )
    assert len({p["name"] for p in products}) == 8


def test_products_filter_by_exact_and_partial_name(emulator, products):
    name = products[3]["name"]
    assert listed(emulator, f"names[]={quote(name)}") == [products[3]["id"]]
    assert listed(emulator, f"names[]={quote(name.lower())}") == []
    word = name.split()[0].upper()
    assert listed(emulator, f"name={word}") == [
        p["id"] for p in products if word.lower() in p["name"].lower()
    ]


def test_products_filter_by_ids_and_dates(emulator, products):
    assert set(listed(emulator, f"ids[]={products[0]['id']}&ids={products[1]['id']}")) == {
        products[0]["id"],
        products[1]["id"],
    }
    query = f"fromCreatedAt={products[5]['createdAt']}&toCreatedAt={products[2]['createdAt']}"
    assert listed(emulator, query) == [p["id"] for p in products[2:6]]


def test_products_sort_and_page(emulator, products):
    by_name = [p["id"] for p in sorted(products, key=lambda p: p["name"])]
    assert listed(emulator, "sort[]=name&sort[]=asc") == by_name
    assert listed(emulator, "sort[]=name&sort[]=asc&limit=3&offset=2") == by_name[2:5]
    assert listed(emulator, "sort[]=createdAt&sort[]=asc") == [p["id"] for p in reversed(products)]
    assert emulator.get("/products?limit=10001").status_code == 400


def test_voices_list_the_four_documented_voices_in_an_envelope(emulator):
    response = emulator.get("/phoneConnections/voices")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {
        "voices": [
            {"id": "sarah", "name": "Sarah", "languageCode": "en-GB", "gender": "female"},
            {"id": "theo", "name": "Theo", "languageCode": "en-GB", "gender": "male"},
            {"id": "megan", "name": "Megan", "languageCode": "en-US", "gender": "female"},
            {"id": "jack", "name": "Jack", "languageCode": "en-US", "gender": "male"},
        ]
    }


def test_voices_keep_their_envelope_with_a_trailing_slash(emulator):
    response = emulator.get("/phoneConnections/voices/")
    assert list(response.json()) == ["voices"]


def test_the_sdk_version_check_is_answered(emulator):
    assert emulator.get("/minimum-sdk-version").json() == {
        "minimumSdkVersionSupported": "5.0.0",
        "latestSdkVersionPublished": "5.12.0",
    }

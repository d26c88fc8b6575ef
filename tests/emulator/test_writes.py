"""Create, partial update and soft delete of phone connections, each on a store of its own."""

from __future__ import annotations

import re
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.emulator.calls import (
    VALID_NUMBER,
    create,
    first_product_id,
    list_rows,
    send,
    unique_name,
)

DUPLICATE_MESSAGE = "A PhoneConnection with the same name already exists for this product."
TIMESTAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.fixture
def api(fresh_emulator):
    return fresh_emulator


def products(api) -> list[str]:
    return [product["id"] for product in api.get("/products").json()]


def get(api, row_id: str):
    return api.get(f"/phoneConnections/{row_id}")


def patch(api, row_id: str, body: dict):
    return send(api, "PATCH", f"/phoneConnections/{row_id}", json=body)


def delete(api, row_id: str):
    return send(api, "DELETE", f"/phoneConnections/{row_id}")


def test_create_answers_201_with_the_object_and_its_defaults(api):
    product = first_product_id(api)
    body = {"productId": product, "name": "Support line — test", "phoneNumber": VALID_NUMBER}
    response = send(api, "POST", "/phoneConnections", json=body)
    assert response.status_code == 201
    assert response.headers["Content-Type"] == "application/json; charset=utf-8"
    created = response.json()
    assert created["id"].startswith("phoneConnection_")
    assert {key: created[key] for key in body} == body
    assert created["userId"] == "user_api"
    assert created["agentSpeaksFirst"] is False
    assert created["voice"] is None
    assert created["languageCode"] is None
    assert created["deletedAt"] is None
    assert TIMESTAMP.fullmatch(created["createdAt"])
    assert get(api, created["id"]).json() == created
    assert list_rows(api)[0] == created


def test_create_stores_the_optional_fields(api):
    created = create(api, agentSpeaksFirst=True, voice="megan", languageCode="es-ES")
    assert (created["agentSpeaksFirst"], created["voice"], created["languageCode"]) == (
        True,
        "megan",
        "es-ES",
    )


def test_create_accepts_null_optional_fields(api):
    created = create(api, agentSpeaksFirst=None, voice=None, languageCode=None)
    assert (created["agentSpeaksFirst"], created["voice"], created["languageCode"]) == (
        False,
        None,
        None,
    )


def test_names_are_unique_within_a_product_only(api):
    first, second = products(api)[:2]
    name = unique_name()
    create(api, productId=first, name=name)
    duplicate = send(
        api,
        "POST",
        "/phoneConnections",
        json={"productId": first, "name": name, "phoneNumber": VALID_NUMBER},
    )
    assert duplicate.status_code == 400
    assert duplicate.json() == {"error": "Bad Request", "message": DUPLICATE_MESSAGE}
    assert create(api, productId=second, name=name)["productId"] == second


def test_a_deleted_name_can_be_reused(api):
    original = create(api)
    assert delete(api, original["id"]).status_code == 204
    reused = create(api, productId=original["productId"], name=original["name"])
    assert reused["id"] != original["id"]


def test_patch_changes_only_the_keys_sent(api):
    original = create(api, voice="jack", languageCode="en-US")
    response = patch(api, original["id"], {"name": "Renamed line", "agentSpeaksFirst": True})
    assert response.status_code == 200
    updated = response.json()
    assert updated == {**original, "name": "Renamed line", "agentSpeaksFirst": True}
    assert get(api, original["id"]).json() == updated


def test_patch_changes_the_phone_number(api):
    original = create(api)
    updated = patch(api, original["id"], {"phoneNumber": "+34612345678"}).json()
    assert updated["phoneNumber"] == "+34612345678"


def test_patch_null_clears_voice_and_language_code(api):
    original = create(api, voice="theo", languageCode="en-GB")
    updated = patch(api, original["id"], {"voice": None, "languageCode": None}).json()
    assert (updated["voice"], updated["languageCode"]) == (None, None)


def test_an_empty_patch_changes_nothing(api):
    original = create(api)
    response = patch(api, original["id"], {})
    assert response.status_code == 200
    assert response.json() == original


def test_renaming_onto_a_taken_name_is_400(api):
    product = first_product_id(api)
    taken = create(api, productId=product)
    moving = create(api, productId=product)
    response = patch(api, moving["id"], {"name": taken["name"]})
    assert response.status_code == 400
    assert response.json()["message"] == DUPLICATE_MESSAGE
    assert patch(api, taken["id"], {"name": taken["name"]}).status_code == 200


def test_renaming_updates_the_name_filters(api):
    original = create(api)
    new_name = unique_name("Fresh NAME")
    patch(api, original["id"], {"name": new_name})
    assert [r["id"] for r in list_rows(api, f"name={new_name.split()[-1].upper()}")] == [
        original["id"]
    ]
    assert list_rows(api, f"names[]={original['name']}") == []


def test_delete_answers_204_without_a_body(api):
    original = create(api)
    response = delete(api, original["id"])
    assert response.status_code == 204
    assert response.content == b""
    assert "Content-Type" not in response.headers
    assert get(api, original["id"]).status_code == 404


def test_a_deleted_row_is_gone_everywhere(api):
    original = create(api)
    delete(api, original["id"])
    assert get(api, original["id"]).status_code == 404
    assert original["id"] not in {r["id"] for r in list_rows(api)}
    assert delete(api, original["id"]).status_code == 404
    assert patch(api, original["id"], {"name": "Back"}).status_code == 404
    strict = api.get(f"/phoneConnections?ids[]={original['id']}")
    assert strict.status_code == 404
    assert strict.json()["message"] == f"PhoneConnections not found: {original['id']}"


def test_concurrent_creates_of_one_name_let_exactly_one_through(api):
    body = {"productId": first_product_id(api), "name": unique_name(), "phoneNumber": VALID_NUMBER}
    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(
            pool.map(
                lambda _: send(api, "POST", "/phoneConnections", json=body).status_code, range(16)
            )
        )
    assert sorted(statuses) == [201] + [400] * 15


def test_concurrent_reads_and_writes_all_succeed(api):
    def work(index: int) -> int:
        if index % 2:
            return len(list_rows(api, "limit=5"))
        return create(api, name=unique_name(f"Parallel {index}"))["id"] != ""

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(40)))
    assert all(results)
    assert len(list_rows(api)) == 30 + 20

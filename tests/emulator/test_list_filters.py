"""`GET /phoneConnections` filters: AND across filters, OR within an array, lenient or strict."""

from __future__ import annotations

import http.client
import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest

from tests.conftest import SEEDED_ROWS
from tests.emulator.calls import create, first_product_id, list_rows, send, unique_name


@pytest.fixture(scope="module")
def rows(emulator) -> list[dict]:
    """Every live phone connection of the session emulator, in the default order."""
    return list_rows(emulator)


def ids(items: list[dict]) -> set[str]:
    return {item["id"] for item in items}


def q(value: str) -> str:
    return quote(value, safe="")


def test_without_filters_every_seeded_row_is_listed(rows):
    assert len(rows) == SEEDED_ROWS
    assert len(ids(rows)) == SEEDED_ROWS


def test_rows_have_the_reference_fields(rows):
    assert set(rows[0]) == {
        "id",
        "productId",
        "name",
        "phoneNumber",
        "userId",
        "voice",
        "languageCode",
        "agentSpeaksFirst",
        "createdAt",
        "deletedAt",
    }
    assert all(row["deletedAt"] is None for row in rows)


def test_ids_is_or_within_the_array(emulator, rows):
    wanted = [rows[3]["id"], rows[7]["id"]]
    listed = list_rows(emulator, f"ids[]={wanted[0]}&ids[]={wanted[1]}")
    assert ids(listed) == set(wanted)


def test_product_ids_is_or_within_the_array(emulator, rows):
    products = [product for product, _count in Counter(r["productId"] for r in rows).most_common(2)]
    listed = list_rows(emulator, f"productIds[]={products[0]}&productIds[]={products[1]}")
    assert ids(listed) == ids([r for r in rows if r["productId"] in products])


def test_filters_combine_with_and(emulator, rows):
    product = rows[0]["productId"]
    other = next(r for r in rows if r["productId"] != product)
    listed = list_rows(emulator, f"productIds[]={product}&names[]={q(other['name'])}")
    expected = [r for r in rows if r["productId"] == product and r["name"] == other["name"]]
    assert ids(listed) == ids(expected)


def test_names_is_exact_and_case_sensitive(emulator, rows):
    name = rows[5]["name"]
    assert ids(list_rows(emulator, f"names[]={q(name)}")) == ids(
        [r for r in rows if r["name"] == name]
    )
    assert list_rows(emulator, f"names[]={q(name.upper())}") == []
    assert list_rows(emulator, f"names[]={q(name[:-1])}") == []


def test_name_is_a_case_insensitive_substring(emulator, rows):
    listed = list_rows(emulator, "name=SUPPORT")
    expected = [r for r in rows if "support" in r["name"].lower()]
    assert expected
    assert ids(listed) == ids(expected)


def test_name_matches_non_ascii_text(emulator, rows):
    listed = list_rows(emulator, f"name={q('— ')}")
    assert ids(listed) == ids([r for r in rows if "— " in r["name"]])


def test_phone_numbers_is_exact_with_the_plus_encoded(emulator, rows):
    numbers = [rows[0]["phoneNumber"], rows[1]["phoneNumber"]]
    listed = list_rows(emulator, f"phoneNumbers[]={q(numbers[0])}&phoneNumbers[]={q(numbers[1])}")
    assert ids(listed) == ids([r for r in rows if r["phoneNumber"] in numbers])
    assert list_rows(emulator, f"phoneNumbers[]={q(numbers[0][:-1])}") == []


def test_phone_number_is_a_substring(emulator, rows):
    listed = list_rows(emulator, "phoneNumber=%2B44")
    expected = [r for r in rows if "+44" in r["phoneNumber"]]
    assert expected
    assert ids(listed) == ids(expected)


def test_an_unencoded_plus_decodes_to_a_space(emulator):
    assert list_rows(emulator, "phoneNumber=+44") == []


def test_created_at_bounds_are_inclusive(emulator, rows):
    newer, older = rows[10], rows[20]
    listed = list_rows(
        emulator, f"fromCreatedAt={older['createdAt']}&toCreatedAt={newer['createdAt']}"
    )
    assert [r["id"] for r in listed] == [r["id"] for r in rows[10:21]]


def test_created_at_bounds_exclude_the_next_millisecond(emulator, rows):
    row = rows[30]
    moment = datetime.fromisoformat(row["createdAt"])
    after = (moment + timedelta(milliseconds=1)).isoformat(timespec="milliseconds")
    before = (moment - timedelta(milliseconds=1)).isoformat(timespec="milliseconds")
    assert row["id"] not in ids(list_rows(emulator, f"fromCreatedAt={q(after)}"))
    assert row["id"] not in ids(list_rows(emulator, f"toCreatedAt={q(before)}"))


@pytest.mark.parametrize(
    "text",
    [
        "2025-06-01",
        "2025-06-01T12:30:00Z",
        "2025-06-01T12:30:00.250Z",
        "2025-06-01T14:30:00+02:00",
        "2025-06-01T12:30:00",
    ],
)
def test_created_at_accepts_iso_8601_forms(emulator, rows, text):
    moment = datetime.fromisoformat(text)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    listed = list_rows(emulator, f"fromCreatedAt={q(text)}")
    assert ids(listed) == ids([r for r in rows if datetime.fromisoformat(r["createdAt"]) >= moment])


def test_a_date_alone_means_midnight_utc(emulator, rows):
    listed = list_rows(emulator, "toCreatedAt=2025-06-01")
    midnight = datetime(2025, 6, 1, tzinfo=UTC)
    assert ids(listed) == ids(
        [r for r in rows if datetime.fromisoformat(r["createdAt"]) <= midnight]
    )


def test_unmatched_lenient_filters_give_an_empty_list(emulator):
    assert list_rows(emulator, "productIds[]=prod_missing") == []
    assert list_rows(emulator, "names[]=Nobody") == []
    assert list_rows(emulator, "name=zzzz-no-such-name") == []


def test_percent_encoded_brackets_and_plain_keys_make_arrays(emulator, rows):
    first, second = rows[0]["id"], rows[1]["id"]
    for query in (
        f"ids%5B%5D={first}&ids%5B%5D={second}",
        f"ids={first}&ids={second}",
        f"ids[]={first}&ids={second}",
    ):
        assert ids(list_rows(emulator, query)) == {first, second}


def test_raw_brackets_make_arrays(emulator, rows):
    first, second = rows[0]["id"], rows[1]["id"]
    connection = http.client.HTTPConnection("127.0.0.1", emulator.port, timeout=10)
    try:
        connection.request(
            "GET", f"/phoneConnections?ids[]={first}&ids[]={second}", headers=emulator.auth
        )
        response = connection.getresponse()
        assert response.status == 200
        assert ids(json.loads(response.read())) == {first, second}
    finally:
        connection.close()
    assert emulator.requests_received()[-1]["query"] == f"ids[]={first}&ids[]={second}"


def test_name_filter_takes_percent_and_underscore_literally(fresh_emulator):
    product = first_product_id(fresh_emulator)
    tag = unique_name("tag").split()[-1]
    percent = create(fresh_emulator, productId=product, name=f"Promo 50% {tag}")
    underscore = create(fresh_emulator, productId=product, name=f"ops_line {tag}")
    plain = create(fresh_emulator, productId=product, name=f"Promo 50 x {tag} opsXline")

    def names(query: str) -> set[str]:
        return {r["name"] for r in list_rows(fresh_emulator, query)}

    assert names(f"name={q('50%')}") == {percent["name"]}
    assert names(f"name={q('ops_')}") == {underscore["name"]}
    assert names("name=_") == {underscore["name"]}
    assert plain["name"] in names(f"name={tag}")


def test_soft_deleted_rows_are_not_listed(fresh_emulator):
    created = create(fresh_emulator)
    assert send(fresh_emulator, "DELETE", f"/phoneConnections/{created['id']}").status_code == 204
    assert created["id"] not in ids(list_rows(fresh_emulator))
    assert list_rows(fresh_emulator, f"names[]={q(created['name'])}") == []

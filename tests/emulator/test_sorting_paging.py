"""`GET /phoneConnections` order and pages: `sort[]` pairs, the `id` tie-breaker, limit, offset."""

from __future__ import annotations

import pytest

from tests.conftest import SEEDED_ROWS
from tests.emulator.calls import list_rows

SORT_FIELDS = ("createdAt", "name", "phoneNumber")


@pytest.fixture(scope="module")
def rows(emulator) -> list[dict]:
    return list_rows(emulator)


def expected_order(rows: list[dict], *pairs: tuple[str, str]) -> list[str]:
    """Ids sorted by the pairs, then by id in the last pair's direction (stable sorts)."""
    ordered = sorted(rows, key=lambda row: row["id"], reverse=pairs[-1][1] == "desc")
    for field, direction in reversed(pairs):
        ordered = sorted(
            ordered, key=lambda row, field=field: row[field], reverse=direction == "desc"
        )
    return [row["id"] for row in ordered]


def sort_query(*pairs: tuple[str, str]) -> str:
    return "&".join(f"sort[]={field}&sort[]={direction}" for field, direction in pairs)


def test_default_order_is_created_at_descending(rows):
    assert [row["id"] for row in rows] == expected_order(rows, ("createdAt", "desc"))


@pytest.mark.parametrize("direction", ["asc", "desc"])
@pytest.mark.parametrize("field", SORT_FIELDS)
def test_each_field_sorts_both_ways(emulator, rows, field, direction):
    listed = list_rows(emulator, sort_query((field, direction)))
    assert [row["id"] for row in listed] == expected_order(rows, (field, direction))


@pytest.mark.parametrize(
    "pairs",
    [
        (("name", "asc"), ("createdAt", "desc")),
        (("phoneNumber", "desc"), ("name", "asc")),
        (("name", "desc"), ("phoneNumber", "asc"), ("createdAt", "asc")),
    ],
)
def test_several_pairs_sort_in_turn(emulator, rows, pairs):
    listed = list_rows(emulator, sort_query(*pairs))
    assert [row["id"] for row in listed] == expected_order(rows, *pairs)


def test_plain_repeated_sort_keys_work(emulator, rows):
    listed = list_rows(emulator, "sort=name&sort=asc")
    assert [row["id"] for row in listed] == expected_order(rows, ("name", "asc"))


def test_equal_names_across_products_are_ordered_by_id(emulator, rows):
    listed = list_rows(emulator, sort_query(("name", "asc")))
    assert [row["id"] for row in listed] == expected_order(rows, ("name", "asc"))
    names = [row["name"] for row in rows]
    assert len(set(names)) < len(names), "the seed should repeat names across products"


def test_pages_concatenate_to_the_whole_list(emulator, rows):
    order = sort_query(("name", "asc"))
    pages = [
        list_rows(emulator, f"{order}&limit=25&offset={offset}") for offset in range(0, 150, 25)
    ]
    assert [row["id"] for page in pages for row in page] == expected_order(rows, ("name", "asc"))


def test_default_limit_returns_every_row(rows):
    assert len(rows) == SEEDED_ROWS


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("limit=0", 0),
        ("limit=1", 1),
        ("limit=10000", SEEDED_ROWS),
        ("offset=0", SEEDED_ROWS),
        (f"offset={SEEDED_ROWS - 1}", 1),
        (f"offset={SEEDED_ROWS}", 0),
        ("offset=100000", 0),
        ("offset=99999999999999999999999", 0),
        ("limit=007&offset=003", 7),
    ],
)
def test_limit_and_offset_edges(emulator, query, count):
    assert len(list_rows(emulator, query)) == count


def test_offset_skips_rows_in_order(emulator, rows):
    listed = list_rows(emulator, "limit=5&offset=10")
    assert [row["id"] for row in listed] == [row["id"] for row in rows[10:15]]

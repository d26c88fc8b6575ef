"""Seeding is deterministic and realistic; the store survives restarts without re-seeding."""

from __future__ import annotations

import sqlite3
from collections import Counter
from datetime import UTC, datetime, timedelta

import phonenumbers
import pytest

from emulator.seed import seed_store
from emulator.store import Store
from tests.emulator.calls import create, list_rows, send
from tests.emulator_process import start_emulator

SEEDED = 2_000
REFERENCE_DATE = datetime(2026, 11, 1, tzinfo=UTC)


def seeded_rows(path, count: int) -> list[dict]:
    store = Store.open(path)
    seed_store(store, count)
    store.close()
    with sqlite3.connect(path) as connection:
        connection.row_factory = sqlite3.Row
        return [
            dict(row) for row in connection.execute("SELECT * FROM phone_connections ORDER BY id")
        ]


@pytest.fixture(scope="module")
def rows(tmp_path_factory) -> list[dict]:
    return seeded_rows(tmp_path_factory.mktemp("seed") / "store.sqlite3", SEEDED)


def test_the_same_count_seeds_identical_rows(tmp_path):
    assert seeded_rows(tmp_path / "a.sqlite3", 300) == seeded_rows(tmp_path / "b.sqlite3", 300)


def test_a_different_count_seeds_different_rows(tmp_path):
    first = seeded_rows(tmp_path / "a.sqlite3", 300)
    second = seeded_rows(tmp_path / "b.sqlite3", 301)
    assert {row["id"] for row in first}.isdisjoint({row["id"] for row in second})


def test_the_requested_count_is_seeded_with_unique_ids_and_times(rows):
    assert len(rows) == SEEDED
    assert len({row["id"] for row in rows}) == SEEDED
    assert len({row["created_at"] for row in rows}) == SEEDED
    assert all(row["id"].startswith("phoneConnection_") for row in rows)
    assert all(row["deleted_at"] is None for row in rows)


def test_times_spread_over_the_two_years_before_the_reference_date(rows):
    times = [datetime.fromtimestamp(row["created_at"] / 1000, UTC) for row in rows]
    assert min(times) >= REFERENCE_DATE - timedelta(days=731)
    assert max(times) < REFERENCE_DATE
    assert max(times) - min(times) > timedelta(days=700)


def test_names_are_unique_within_each_product(rows):
    pairs = Counter((row["product_id"], row["name"]) for row in rows)
    assert max(pairs.values()) == 1
    assert len({row["product_id"] for row in rows}) == 8


def test_every_number_is_valid_e164_from_several_countries(rows):
    regions = Counter()
    for row in rows:
        number = phonenumbers.parse(row["phone_number"])
        assert phonenumbers.is_valid_number(number), row["phone_number"]
        assert (
            phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            == (row["phone_number"])
        )
        regions[phonenumbers.region_code_for_number(number)] += 1
    assert len(regions) >= 10
    assert len({row["phone_number"] for row in rows}) > SEEDED // 2


def test_values_cover_every_voice_language_and_flag(rows):
    assert {row["voice"] for row in rows} == {"sarah", "theo", "megan", "jack", None}
    languages = {row["language_code"] for row in rows}
    assert None in languages
    assert {"en-US", "en-GB", "es-ES", "de-DE", "fr-FR"} <= languages
    assert {row["agent_speaks_first"] for row in rows} == {0, 1}
    assert 2 <= len({row["user_id"] for row in rows}) <= 8


def test_seed_zero_creates_products_only(tmp_path):
    running = start_emulator(tmp_path, seed=0)
    try:
        assert len(running.get("/products").json()) == 8
        assert list_rows(running) == []
    finally:
        running.stop()


def test_products_fit_the_sdk_model(emulator):
    product = emulator.get("/products").json()[0]
    assert set(product) == {"id", "name", "description", "organizationId", "createdAt", "deletedAt"}
    assert product["id"].startswith("prod_")
    assert emulator.get(f"/products/{product['id']}").json() == product


def test_rows_persist_across_a_restart_without_reseeding(tmp_path):
    data_path = tmp_path / "nested" / "dir" / "store.sqlite3"
    first = start_emulator(tmp_path, seed=5, data_path=data_path)
    try:
        created = create(first)
        before = list_rows(first)
    finally:
        first.stop()
    assert first.process.returncode == 0
    second = start_emulator(tmp_path, seed=50, data_path=data_path)
    try:
        assert list_rows(second) == before
        assert len(before) == 6
        assert second.get(f"/phoneConnections/{created['id']}").json() == created
    finally:
        second.stop()


def test_a_store_whose_rows_are_all_deleted_is_not_reseeded(tmp_path):
    data_path = tmp_path / "store.sqlite3"
    first = start_emulator(tmp_path, seed=1, data_path=data_path)
    try:
        only = list_rows(first)[0]
        assert send(first, "DELETE", f"/phoneConnections/{only['id']}").status_code == 204
    finally:
        first.stop()
    second = start_emulator(tmp_path, seed=10, data_path=data_path)
    try:
        assert list_rows(second) == []
    finally:
        second.stop()

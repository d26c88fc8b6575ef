"""Phone connections through the service layer, against the emulator over real HTTP.

Reads run on the session emulator and compare a filtered or sorted answer with what the
whole (small) seeded set says it must be; writes run on an emulator of this module's own,
each test on rows it created. Bodies the emulator does not log are checked on a fake
upstream that records them.
"""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta, timezone
from urllib.parse import parse_qsl

import pytest

from galtea_admin.galtea import phone_connections as pcs
from galtea_admin.galtea.client import GalteaClient
from galtea_admin.galtea.errors import GalteaIdsNotFound, GalteaNotFound, GalteaRejected
from galtea_admin.galtea.phone_connections import PhoneConnection, phone_connection_query
from galtea_admin.galtea.products import list_products
from galtea_admin.galtea.resources import RemoteQuery
from tests.galtea.fake_upstream import json_reply

RESOURCE = "/phoneConnections"


def everything(client, query: RemoteQuery | None = None) -> list[PhoneConnection]:
    """Every live row (the seeded sets are far below the admin's page maximum)."""
    return pcs.phone_connection_list(
        query=query or phone_connection_query(), limit=1000, client=client
    )


def list_requests(emulator) -> list[dict]:
    return [r for r in emulator.requests_received() if r["path"] == RESOURCE]


def raw_query(logged: dict) -> str:
    """The query string as sent, with the brackets the HTTP library percent-encodes restored."""
    return logged["query"].replace("%5B", "[").replace("%5D", "]")


def query_pairs(logged: dict) -> list[tuple[str, str]]:
    return parse_qsl(logged["query"], keep_blank_values=True)


def unique_name(prefix: str = "Test line") -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def seeded(client) -> list[PhoneConnection]:
    """The session emulator's rows, newest first."""
    return everything(client)


@pytest.fixture
def log(emulator):
    """The session emulator, with its request log emptied for this test."""
    emulator.clear_request_log()
    return emulator


# --- Listing --------------------------------------------------------------------------------


class TestListDefaults:
    def test_one_page_of_typed_records_newest_first(self, client, log):
        rows = pcs.phone_connection_list(client=client)

        assert len(rows) == 25
        assert all(isinstance(row, PhoneConnection) for row in rows)
        for row in rows:
            assert row.id and row.product_id and row.name
            assert row.phone_number.startswith("+")
            assert isinstance(row.agent_speaks_first, bool)
            assert isinstance(row.created_at, datetime)
            assert row.created_at.utcoffset() == timedelta(0)
            assert row.deleted_at is None
        created = [row.created_at for row in rows]
        assert created == sorted(created, reverse=True)

        [sent] = list_requests(log)
        assert sent["method"] == "GET"
        assert sent["status"] == 200
        assert raw_query(sent) == "sort[]=createdAt&sort[]=desc&offset=0&limit=25"

    def test_the_seeded_set_is_there(self, seeded):
        assert len(seeded) >= 60
        assert len({row.id for row in seeded}) == len(seeded)
        assert len({row.product_id for row in seeded}) >= 2

    @pytest.mark.parametrize(("offset", "limit"), [(-1, 10), (0, 0), (0, 1001), (0, -5)])
    def test_bad_paging_is_refused_before_any_request(self, client, log, offset, limit):
        with pytest.raises(ValueError):
            pcs.phone_connection_list(offset=offset, limit=limit, client=client)
        assert list_requests(log) == []

    def test_too_many_ids_are_refused_before_any_request(self, client, log):
        query = phone_connection_query().filter(ids=[f"pc_{n}" for n in range(201)])
        with pytest.raises(ValueError, match="200"):
            pcs.phone_connection_list(query=query, client=client)
        assert list_requests(log) == []


class TestFilters:
    def test_ids(self, client, seeded, log):
        wanted = [seeded[3].id, seeded[0].id, seeded[17].id]
        rows = everything(client, phone_connection_query().filter(ids=wanted))

        assert sorted(row.id for row in rows) == sorted(wanted)
        [sent] = list_requests(log)
        assert [v for k, v in query_pairs(sent) if k == "ids[]"] == wanted

    def test_product_ids(self, client, seeded, log):
        products = sorted({row.product_id for row in seeded})[:2]
        rows = everything(client, phone_connection_query().filter(product_ids=products))

        expected = {row.id for row in seeded if row.product_id in products}
        assert {row.id for row in rows} == expected
        assert len(rows) == len(expected) > 0
        [sent] = list_requests(log)
        assert [v for k, v in query_pairs(sent) if k == "productIds[]"] == products

    def test_names_are_exact(self, client, seeded, log):
        names = [seeded[0].name, seeded[5].name]
        rows = everything(client, phone_connection_query().filter(names=names))

        assert {row.id for row in rows} == {row.id for row in seeded if row.name in names}
        # An exact filter does not match a part of a name.
        assert everything(client, phone_connection_query().filter(names=[names[0][:-1]])) == [
            row for row in seeded if row.name == names[0][:-1]
        ]
        sent = list_requests(log)[0]
        assert [v for k, v in query_pairs(sent) if k == "names[]"] == names

    def test_name_is_a_case_insensitive_part(self, client, seeded, log):
        needle = seeded[0].name.split()[0][1:4].upper()
        rows = everything(client, phone_connection_query().filter(name=needle))

        expected = {row.id for row in seeded if needle.casefold() in row.name.casefold()}
        assert {row.id for row in rows} == expected
        assert seeded[0].id in expected
        [sent] = list_requests(log)
        assert ("name", needle) in query_pairs(sent)

    def test_phone_numbers_are_exact_and_keep_their_plus(self, client, seeded, log):
        numbers = [seeded[1].phone_number, seeded[9].phone_number]
        rows = everything(client, phone_connection_query().filter(phone_numbers=numbers))

        assert {row.id for row in rows} == {r.id for r in seeded if r.phone_number in numbers}
        [sent] = list_requests(log)
        assert f"phoneNumbers[]=%2B{numbers[0][1:]}" in raw_query(sent)

    def test_phone_number_is_a_part(self, client, seeded, log):
        needle = seeded[0].phone_number[:4]  # "+44…": the plus must arrive as a plus
        assert needle.startswith("+")
        rows = everything(client, phone_connection_query().filter(phone_number=needle))

        expected = {row.id for row in seeded if needle in row.phone_number}
        assert {row.id for row in rows} == expected
        assert len(expected) < len(seeded)
        [sent] = list_requests(log)
        assert f"phoneNumber=%2B{needle[1:]}" in raw_query(sent)

    def test_created_between_is_inclusive(self, client, seeded, log):
        newest_first = seeded
        start, end = newest_first[40].created_at, newest_first[10].created_at
        query = phone_connection_query().filter(from_created_at=start, to_created_at=end)
        rows = everything(client, query)

        expected = [row.id for row in seeded if start <= row.created_at <= end]
        assert [row.id for row in rows] == expected
        assert newest_first[40].id in expected
        assert newest_first[10].id in expected
        [sent] = list_requests(log)
        pairs = dict(query_pairs(sent))
        assert pairs["fromCreatedAt"] == start.strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
        assert pairs["toCreatedAt"].endswith("Z")

    def test_created_from_alone_and_to_alone(self, client, seeded):
        moment = seeded[50].created_at
        after = everything(client, phone_connection_query().filter(from_created_at=moment))
        before = everything(client, phone_connection_query().filter(to_created_at=moment))

        assert {row.id for row in after} == {r.id for r in seeded if r.created_at >= moment}
        assert {row.id for row in before} == {r.id for r in seeded if r.created_at <= moment}

    def test_created_bounds_in_another_time_zone_mean_the_same_instant(self, client, seeded):
        moment = seeded[20].created_at
        shifted = moment.astimezone(timezone(timedelta(hours=5)))
        in_utc = everything(client, phone_connection_query().filter(from_created_at=moment))
        in_plus_five = everything(client, phone_connection_query().filter(from_created_at=shifted))
        assert in_plus_five == in_utc
        assert in_utc[-1].id == seeded[20].id

    def test_filters_combine_with_and(self, client, seeded):
        product = seeded[0].product_id
        needle = seeded[0].name[:3]
        query = phone_connection_query().filter(product_ids=[product], name=needle)
        rows = everything(client, query)

        expected = {
            row.id
            for row in seeded
            if row.product_id == product and needle.casefold() in row.name.casefold()
        }
        assert {row.id for row in rows} == expected
        assert seeded[0].id in expected

    def test_no_match_is_an_empty_list(self, client):
        query = phone_connection_query().filter(name="no such connection anywhere")
        assert everything(client, query) == []

    def test_filter_returns_a_changed_copy(self):
        base = phone_connection_query()
        changed = base.filter(product_ids=["p1"], name="x")
        assert base == phone_connection_query()
        assert changed.condition("product_ids") == ("p1",)
        assert changed.condition("name") == "x"

    def test_empty_filters_are_not_sent(self, client, log):
        query = phone_connection_query().filter(ids=[], product_ids=[], name="", phone_number="")
        pcs.phone_connection_list(query=query, client=client)
        [sent] = list_requests(log)
        assert {key for key, _ in query_pairs(sent)} == {"sort[]", "offset", "limit"}


class TestStrictIds:
    def test_unknown_ids_raise_with_the_missing_ones(self, client, seeded, log):
        known = seeded[0].id
        unknown = ["phoneConnection_doesnotexist1", "phoneConnection_doesnotexist2"]
        query = phone_connection_query().filter(ids=[known, *unknown])

        with pytest.raises(GalteaIdsNotFound) as raised:
            pcs.phone_connection_list(query=query, client=client)

        assert isinstance(raised.value, GalteaNotFound)
        assert raised.value.missing_ids == unknown
        assert raised.value.upstream_status == 404
        assert "not found" in raised.value.message
        [sent] = list_requests(log)
        assert sent["status"] == 404

    def test_an_id_the_other_filters_exclude_counts_as_missing(self, client, seeded):
        row = seeded[0]
        other_product = next(r.product_id for r in seeded if r.product_id != row.product_id)
        query = phone_connection_query().filter(ids=[row.id], product_ids=[other_product])

        with pytest.raises(GalteaIdsNotFound) as raised:
            pcs.phone_connection_list(query=query, client=client)
        assert raised.value.missing_ids == [row.id]

    def test_other_filters_are_lenient(self, client):
        query = phone_connection_query().filter(product_ids=["prod_doesnotexist"])
        assert everything(client, query) == []


# --- Sorting and paging ---------------------------------------------------------------------

SORT_KEYS = {
    "createdAt": lambda row: row.created_at,
    "name": lambda row: row.name,
    "phoneNumber": lambda row: row.phone_number,
}


class TestOrder:
    @pytest.mark.parametrize("direction", ["asc", "desc"])
    @pytest.mark.parametrize("field", sorted(SORT_KEYS))
    def test_each_sortable_field_both_ways(self, client, log, field, direction):
        query = phone_connection_query().order_by((field, direction))
        rows = everything(client, query)

        key = SORT_KEYS[field]
        assert [key(row) for row in rows] == sorted(
            (key(row) for row in rows), reverse=direction == "desc"
        )
        if field != "createdAt":
            # Ties are broken newest first, so pages are stable.
            for earlier, later in itertools.pairwise(rows):
                if key(earlier) == key(later):
                    assert earlier.created_at >= later.created_at
        [sent] = list_requests(log)
        expected_sort = [field, direction]
        if field != "createdAt":
            expected_sort += ["createdAt", "desc"]
        assert [v for k, v in query_pairs(sent) if k == "sort[]"] == expected_sort
        assert "sort[]=" + "&sort[]=".join(expected_sort) in raw_query(sent)

    def test_several_pairs(self, client, log):
        query = phone_connection_query().order_by(("name", "desc"), ("createdAt", "asc"))
        rows = everything(client, query)

        assert rows == sorted(
            sorted(rows, key=lambda row: row.created_at), key=lambda row: row.name, reverse=True
        )
        [sent] = list_requests(log)
        assert "sort[]=name&sort[]=desc&sort[]=createdAt&sort[]=asc&" in raw_query(sent)

    @pytest.mark.parametrize(
        "pair", [("id", "asc"), ("productId", "desc"), ("name", "up"), ("name", "ASC")]
    )
    def test_unsortable_fields_and_directions_are_refused(self, pair):
        with pytest.raises(ValueError):
            phone_connection_query().order_by(pair)

    def test_no_pairs_keeps_the_order(self):
        query = phone_connection_query().order_by(("name", "asc"))
        assert query.order_by().order == (("name", "asc"),)


class TestPaging:
    @pytest.mark.parametrize("order", [("createdAt", "desc"), ("name", "asc")])
    def test_pages_do_not_overlap_and_cover_everything(self, client, seeded, log, order):
        query = phone_connection_query().order_by(order)
        whole = everything(client, query)
        log.clear_request_log()

        pages, offset = [], 0
        while True:
            page = pcs.phone_connection_list(query=query, offset=offset, limit=25, client=client)
            pages.append(page)
            if len(page) < 25:
                break
            offset += 25

        ids = [row.id for page in pages for row in page]
        assert len(ids) == len(set(ids))
        assert ids == [row.id for row in whole]
        sent = list_requests(log)
        assert len(sent) == len(pages)
        assert [dict(query_pairs(s))["offset"] for s in sent] == [
            str(25 * n) for n in range(len(pages))
        ]
        assert {dict(query_pairs(s))["limit"] for s in sent} == {"25"}

    def test_one_more_than_the_page_tells_whether_a_next_page_exists(self, client, seeded):
        total = len(seeded)
        middle = pcs.phone_connection_list(offset=25, limit=26, client=client)
        assert len(middle) == 26
        assert [row.id for row in middle] == [row.id for row in seeded[25:51]]

        last = pcs.phone_connection_list(offset=total - 5, limit=26, client=client)
        assert [row.id for row in last] == [row.id for row in seeded[-5:]]

    def test_past_the_end_is_empty(self, client, seeded):
        assert pcs.phone_connection_list(offset=len(seeded) + 10, client=client) == []


# --- One row --------------------------------------------------------------------------------


class TestGet:
    def test_get_is_the_listed_row(self, client, seeded, log):
        row = pcs.phone_connection_get(connection_id=seeded[7].id, client=client)
        assert row == seeded[7]
        [sent] = log.requests_received()
        assert (sent["method"], sent["path"], sent["status"]) == (
            "GET",
            f"{RESOURCE}/{seeded[7].id}",
            200,
        )

    def test_missing_is_not_found(self, client, log):
        with pytest.raises(GalteaNotFound) as raised:
            pcs.phone_connection_get(connection_id="phoneConnection_doesnotexist", client=client)
        assert type(raised.value) is GalteaNotFound
        assert raised.value.status == 404
        assert "not found" in raised.value.message.lower()

    def test_an_id_with_a_slash_stays_one_segment(self, client, log):
        with pytest.raises(GalteaNotFound):
            pcs.phone_connection_get(connection_id="a/b", client=client)
        [sent] = log.requests_received()
        assert sent["path"] == f"{RESOURCE}/a%2Fb"


# --- Writes ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def products(writable_emulator):
    client = GalteaClient(writable_emulator.url, writable_emulator.api_key)
    return list_products(client=client)


def create(writer, product, **fields) -> PhoneConnection:
    values = {"name": unique_name(), "phone_number": "+14155550123", **fields}
    return pcs.phone_connection_create(product_id=product.id, client=writer, **values)


class TestOnAPristineStore:
    def test_create_adds_one_row_and_delete_takes_it_away(self, fresh_client, fresh_emulator):
        before = everything(fresh_client)
        assert len(before) == 30
        product = before[0].product_id

        row = pcs.phone_connection_create(
            product_id=product,
            name=unique_name(),
            phone_number="+14155550199",
            client=fresh_client,
        )
        after = everything(fresh_client)
        assert after == [row, *before]  # the newest comes first

        pcs.phone_connection_delete(connection_id=row.id, client=fresh_client)
        assert everything(fresh_client) == before
        methods = [(r["method"], r["status"]) for r in fresh_emulator.requests_received()]
        assert methods[:3] == [("GET", 200), ("POST", 201), ("GET", 200)]
        assert methods[3][0] == "DELETE" and methods[3][1] in (200, 204)
        assert methods[4:] == [("GET", 200)]


class TestCreate:
    def test_returns_the_stored_record(self, writer, writable_emulator, products):
        name = unique_name("Support line")
        before = datetime.now(UTC) - timedelta(seconds=5)

        row = pcs.phone_connection_create(
            product_id=products[0].id,
            name=name,
            phone_number="+14155550123",
            agent_speaks_first=True,
            client=writer,
        )

        assert isinstance(row, PhoneConnection)
        assert row.id
        assert (row.product_id, row.name, row.phone_number) == (
            products[0].id,
            name,
            "+14155550123",
        )
        assert row.agent_speaks_first is True
        assert row.created_at.tzinfo is not None
        assert before <= row.created_at <= datetime.now(UTC) + timedelta(seconds=5)
        assert row.deleted_at is None
        # Voice and language were not set: the API stored none.
        assert row.voice is None
        assert row.language_code is None
        assert pcs.phone_connection_get(connection_id=row.id, client=writer) == row
        sent = [r for r in writable_emulator.requests_received() if r["method"] == "POST"]
        assert [(r["path"], r["query"], r["status"]) for r in sent] == [(RESOURCE, "", 201)]

    def test_voice_language_and_flag_are_stored(self, writer, products):
        row = create(
            writer, products[1], voice="jack", language_code="en-US", agent_speaks_first=False
        )
        assert (row.voice, row.language_code, row.agent_speaks_first) == ("jack", "en-US", False)
        assert pcs.phone_connection_get(connection_id=row.id, client=writer) == row

    def test_appears_in_lists(self, writer, products):
        row = create(writer, products[0])
        query = phone_connection_query().filter(names=[row.name])
        assert pcs.phone_connection_list(query=query, client=writer) == [row]

    def test_same_name_in_another_product_is_allowed(self, writer, products):
        name = unique_name()
        first = create(writer, products[0], name=name)
        second = create(writer, products[1], name=name)
        assert first.id != second.id

    @pytest.mark.parametrize(
        "fields",
        [
            {"phone_number": "4155550123"},
            {"phone_number": "+1 (415) not a number"},
            {"phone_number": ""},
            {"voice": "bob"},
            {"name": ""},
        ],
        ids=["no-plus", "letters", "empty-number", "unknown-voice", "empty-name"],
    )
    def test_bad_values_are_rejected_with_the_api_message(
        self, writer, writable_emulator, products, fields
    ):
        with pytest.raises(GalteaRejected) as raised:
            create(writer, products[0], **fields)

        assert raised.value.upstream_status == 400
        assert raised.value.status == 400
        assert raised.value.message
        assert raised.value.message != "Galtea rejected the request."
        assert not raised.value.is_duplicate_name
        sent = [r for r in writable_emulator.requests_received() if r["method"] == "POST"]
        assert [r["status"] for r in sent] == [400]

    def test_unknown_product_is_rejected(self, writer):
        with pytest.raises(GalteaRejected) as raised:
            pcs.phone_connection_create(
                product_id="prod_doesnotexist",
                name=unique_name(),
                phone_number="+14155550123",
                client=writer,
            )
        assert raised.value.message
        assert not raised.value.is_duplicate_name

    def test_duplicate_name_in_the_product(self, writer, writable_emulator, products):
        existing = create(writer, products[0])
        writable_emulator.clear_request_log()

        with pytest.raises(GalteaRejected) as raised:
            create(writer, products[0], name=existing.name, phone_number="+442071838750")

        assert raised.value.is_duplicate_name
        assert raised.value.message == (
            "A PhoneConnection with the same name already exists for this product."
        )
        # Exactly one attempt: a rejected write is not retried.
        assert [r["method"] for r in writable_emulator.requests_received()] == ["POST"]

    def test_unset_voice_and_language_are_not_sent(self, upstream):
        upstream.handler = echo_created
        client = fake_client(upstream)

        pcs.phone_connection_create(
            product_id="prod_1", name="Line", phone_number="+14155550123", client=client
        )
        pcs.phone_connection_create(
            product_id="prod_1",
            name="Line 2",
            phone_number="+14155550124",
            voice="theo",
            language_code="en-GB",
            agent_speaks_first=True,
            client=client,
        )

        first, second = (request.json() for request in upstream.received("POST"))
        assert first == {
            "productId": "prod_1",
            "name": "Line",
            "phoneNumber": "+14155550123",
            "agentSpeaksFirst": False,
        }
        assert second == {
            "productId": "prod_1",
            "name": "Line 2",
            "phoneNumber": "+14155550124",
            "agentSpeaksFirst": True,
            "voice": "theo",
            "languageCode": "en-GB",
        }


class TestUpdate:
    def test_only_the_given_fields_change(self, writer, writable_emulator, products):
        row = create(writer, products[0], voice="megan", language_code="en-US")
        writable_emulator.clear_request_log()
        new_name = unique_name("Renamed")

        updated = pcs.phone_connection_update(
            connection_id=row.id, changes={"name": new_name}, client=writer
        )

        assert updated == PhoneConnection(**{**row.__dict__, "name": new_name})
        assert pcs.phone_connection_get(connection_id=row.id, client=writer) == updated
        [sent] = [r for r in writable_emulator.requests_received() if r["method"] == "PATCH"]
        assert (sent["path"], sent["status"]) == (f"{RESOURCE}/{row.id}", 200)

    def test_several_fields(self, writer, products):
        row = create(writer, products[0], agent_speaks_first=False)
        updated = pcs.phone_connection_update(
            connection_id=row.id,
            changes={"phone_number": "+34910000000", "agent_speaks_first": True, "voice": "theo"},
            client=writer,
        )
        assert (updated.phone_number, updated.agent_speaks_first, updated.voice) == (
            "+34910000000",
            True,
            "theo",
        )
        assert (updated.name, updated.language_code, updated.created_at) == (
            row.name,
            row.language_code,
            row.created_at,
        )

    def test_none_clears_the_voice_only(self, writer, products):
        row = create(writer, products[0], voice="jack", language_code="en-US")
        updated = pcs.phone_connection_update(
            connection_id=row.id, changes={"voice": None}, client=writer
        )

        assert updated.voice is None
        assert updated.language_code == "en-US"
        assert updated == PhoneConnection(**{**row.__dict__, "voice": None})

    def test_none_clears_the_language(self, writer, products):
        row = create(writer, products[0], voice="jack", language_code="en-US")
        updated = pcs.phone_connection_update(
            connection_id=row.id, changes={"language_code": None}, client=writer
        )
        assert (updated.voice, updated.language_code) == ("jack", None)

    @pytest.mark.parametrize("field", ["product_id", "productId", "id", "created_at", "nme"])
    def test_unknown_fields_are_refused_before_any_request(self, writer, writable_emulator, field):
        with pytest.raises(ValueError, match=field):
            pcs.phone_connection_update(
                connection_id="phoneConnection_x", changes={field: "x"}, client=writer
            )
        assert writable_emulator.requests_received() == []

    def test_rename_onto_an_existing_name_is_a_duplicate(self, writer, products):
        taken = create(writer, products[0])
        row = create(writer, products[0])
        with pytest.raises(GalteaRejected) as raised:
            pcs.phone_connection_update(
                connection_id=row.id, changes={"name": taken.name}, client=writer
            )
        assert raised.value.is_duplicate_name
        assert pcs.phone_connection_get(connection_id=row.id, client=writer) == row

    @pytest.mark.parametrize("changes", [{"phone_number": "12"}, {"voice": "bob"}])
    def test_bad_values_are_rejected(self, writer, products, changes):
        row = create(writer, products[0])
        with pytest.raises(GalteaRejected) as raised:
            pcs.phone_connection_update(connection_id=row.id, changes=changes, client=writer)
        assert raised.value.message
        assert pcs.phone_connection_get(connection_id=row.id, client=writer) == row

    def test_missing_is_not_found(self, writer):
        with pytest.raises(GalteaNotFound):
            pcs.phone_connection_update(
                connection_id="phoneConnection_nope", changes={"name": "x"}, client=writer
            )

    def test_sends_only_the_given_keys(self, upstream):
        upstream.handler = echo_updated
        client = fake_client(upstream)

        pcs.phone_connection_update(connection_id="pc_1", changes={"voice": None}, client=client)
        pcs.phone_connection_update(
            connection_id="pc_1",
            changes={"name": "New", "agent_speaks_first": False},
            client=client,
        )

        first, second = upstream.received("PATCH")
        assert first.path == "/phoneConnections/pc_1"
        assert first.json() == {"voice": None}
        assert second.json() == {"name": "New", "agentSpeaksFirst": False}


class TestDelete:
    def test_deleted_rows_are_gone(self, writer, writable_emulator, products):
        row = create(writer, products[0])
        writable_emulator.clear_request_log()

        assert pcs.phone_connection_delete(connection_id=row.id, client=writer) is None

        with pytest.raises(GalteaNotFound):
            pcs.phone_connection_get(connection_id=row.id, client=writer)
        by_name = phone_connection_query().filter(names=[row.name])
        assert pcs.phone_connection_list(query=by_name, client=writer) == []
        with pytest.raises(GalteaIdsNotFound) as raised:
            pcs.phone_connection_list(
                query=phone_connection_query().filter(ids=[row.id]), client=writer
            )
        assert raised.value.missing_ids == [row.id]
        deletes = [r for r in writable_emulator.requests_received() if r["method"] == "DELETE"]
        assert [r["path"] for r in deletes] == [f"{RESOURCE}/{row.id}"]
        assert deletes[0]["status"] in (200, 204)

    def test_twice_is_not_found(self, writer, products):
        row = create(writer, products[0])
        pcs.phone_connection_delete(connection_id=row.id, client=writer)
        with pytest.raises(GalteaNotFound):
            pcs.phone_connection_delete(connection_id=row.id, client=writer)

    def test_update_after_delete_is_not_found(self, writer, products):
        row = create(writer, products[0])
        pcs.phone_connection_delete(connection_id=row.id, client=writer)
        with pytest.raises(GalteaNotFound):
            pcs.phone_connection_update(
                connection_id=row.id, changes={"name": unique_name()}, client=writer
            )

    def test_the_name_is_free_again(self, writer, products):
        row = create(writer, products[0])
        pcs.phone_connection_delete(connection_id=row.id, client=writer)
        again = create(writer, products[0], name=row.name)
        assert again.id != row.id

    def test_missing_is_not_found(self, writer):
        with pytest.raises(GalteaNotFound):
            pcs.phone_connection_delete(connection_id="phoneConnection_nope", client=writer)


# --- A recording upstream, for what the emulator does not log ---------------------------------


def fake_client(upstream):
    return GalteaClient(upstream.url, "gsk_fake_key", read_timeout=2.0)


def record_from(body: dict, row_id: str = "pc_1") -> dict:
    return {
        "id": row_id,
        "productId": body.get("productId", "prod_1"),
        "name": body.get("name", "Line"),
        "phoneNumber": body.get("phoneNumber", "+14155550123"),
        "userId": None,
        "voice": body.get("voice"),
        "languageCode": body.get("languageCode"),
        "agentSpeaksFirst": body.get("agentSpeaksFirst", False),
        "createdAt": "2025-01-02T03:04:05.678Z",
        "deletedAt": None,
    }


def echo_created(request):
    return json_reply(record_from(request.json()), status=201)


def echo_updated(request):
    return json_reply(record_from(request.json()))

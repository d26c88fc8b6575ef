"""The generic resource layer, through a small spec of the tests' own.

`LINES` reads the emulator's phone connections as a record with a few fields only, lists
by a few conditions and sorts by two fields: whatever holds for it holds because of
`resources.py`, not because of the phone-connection spec. Calls that reach the API run
against the emulator over real HTTP; bodies the emulator does not log are checked on a fake
upstream that records them.
"""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import parse_qsl

import pytest

from galtea_admin.galtea.client import GalteaClient
from galtea_admin.galtea.decoding import moment, optional_text, text
from galtea_admin.galtea.errors import GalteaIdsNotFound, GalteaNotFound
from galtea_admin.galtea.products import list_products
from galtea_admin.galtea.resources import (
    RemoteQuery,
    ResourceSpec,
    resource_create,
    resource_delete,
    resource_get,
    resource_iterate,
    resource_list,
    resource_update,
)
from tests.galtea.fake_upstream import json_reply

PATH = "/phoneConnections"


@dataclass(frozen=True)
class Line:
    id: str
    name: str
    voice: str | None
    created_at: datetime


LINES = ResourceSpec(
    name="line",
    api_name="PhoneConnection",
    path=PATH,
    record=Line,
    fields={
        "id": text("id"),
        "name": text("name"),
        "voice": optional_text("voice"),
        "created_at": moment("createdAt"),
    },
    filters={"ids": "ids", "names": "names", "name": "name", "since": "fromCreatedAt"},
    sortable=frozenset({"name", "createdAt"}),
    creatable={
        "product_id": "productId",
        "name": "name",
        "phone_number": "phoneNumber",
        "voice": "voice",
    },
    updatable={"name": "name", "voice": "voice"},
)


def list_requests(emulator) -> list[dict]:
    return [r for r in emulator.requests_received() if r["path"] == PATH]


def raw_query(logged: dict) -> str:
    """The query string as sent, with the brackets the HTTP library percent-encodes restored."""
    return logged["query"].replace("%5B", "[").replace("%5D", "]")


def query_pairs(logged: dict) -> list[tuple[str, str]]:
    return parse_qsl(logged["query"], keep_blank_values=True)


def sort_sent(logged: dict) -> list[str]:
    return [value for key, value in query_pairs(logged) if key == "sort[]"]


def unique_name() -> str:
    return f"Resource test {uuid.uuid4().hex[:10]}"


@pytest.fixture(scope="module")
def seeded(client) -> list[Line]:
    """The session emulator's rows as `Line`s, newest first."""
    return resource_list(LINES, limit=1000, client=client)


@pytest.fixture
def log(emulator):
    """The session emulator, with its request log emptied for this test."""
    emulator.clear_request_log()
    return emulator


# --- The query --------------------------------------------------------------------------------


class TestRemoteQuery:
    def test_is_immutable(self):
        query = LINES.query(name="desk")

        with pytest.raises(dataclasses.FrozenInstanceError):
            query.conditions = ()
        with pytest.raises(dataclasses.FrozenInstanceError):
            query.order = (("name", "asc"),)

    def test_filter_and_order_by_return_changed_copies(self):
        base = LINES.query()
        narrowed = base.filter(names=["A", "B"])
        sorted_ = narrowed.order_by(("name", "asc"))

        assert base == RemoteQuery(LINES)
        assert base.condition("names") is None
        assert narrowed.condition("names") == ("A", "B")
        assert narrowed.order == ()
        assert sorted_.order == (("name", "asc"),)
        assert sorted_.condition("names") == ("A", "B")

    def test_a_list_given_is_copied_so_changing_it_later_changes_nothing(self):
        names = ["A"]
        query = LINES.query(names=names)
        names.append("B")

        assert query.condition("names") == ("A",)

    def test_a_condition_given_again_replaces_the_first(self):
        query = LINES.query(name="one").filter(name="two")

        assert query.condition("name") == "two"
        assert query.conditions == (("name", "two"),)

    def test_condition_falls_back_to_its_default(self):
        assert LINES.query().condition("ids", ()) == ()
        assert LINES.query(ids=["x"]).condition("ids", ()) == ("x",)

    def test_all_is_the_same_query_and_there_is_no_model(self):
        # django-filter calls .all() and reads .model, as it would of a QuerySet.
        query = LINES.query(name="x")
        assert query.all() is query
        assert RemoteQuery.model is None

    @pytest.mark.parametrize("condition", ["phone_number", "product_ids", "nme", "sort"])
    def test_filter_refuses_conditions_the_spec_has_not(self, condition):
        with pytest.raises(ValueError, match=condition):
            LINES.query().filter(**{condition: "x"})
        with pytest.raises(ValueError, match=condition):
            LINES.query(**{condition: "x"})

    @pytest.mark.parametrize(
        "pair",
        [("phoneNumber", "asc"), ("id", "desc"), ("name", "up"), ("name", "ASC"), ("name", "")],
    )
    def test_order_by_refuses_unsortable_fields_and_directions(self, pair):
        with pytest.raises(ValueError):
            LINES.query().order_by(pair)

    def test_order_by_with_no_pairs_keeps_the_order(self):
        query = LINES.query().order_by(("name", "desc"))
        assert query.order_by().order == (("name", "desc"),)


class TestParams:
    def test_empty_conditions_are_left_out(self):
        query = LINES.query(ids=[], names=(), name="", since=None)

        assert query.params() == {"sort": ["createdAt", "desc"]}

    def test_conditions_use_the_api_names(self):
        since = datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)
        query = LINES.query(ids=["a", "b"], name="desk", since=since)

        assert query.params() == {
            "ids": ["a", "b"],
            "name": "desk",
            "fromCreatedAt": since,
            "sort": ["createdAt", "desc"],
        }

    def test_the_default_order_is_sent_when_none_is_chosen(self):
        assert LINES.query().params()["sort"] == ["createdAt", "desc"]

    def test_the_tie_breaker_is_always_appended_to_another_sort(self):
        params = LINES.query().order_by(("name", "asc")).params()

        assert params["sort"] == ["name", "asc", "createdAt", "desc"]

    def test_a_sort_that_has_the_tie_breaker_field_is_sent_as_is(self):
        params = LINES.query().order_by(("name", "desc"), ("createdAt", "asc")).params()

        assert params["sort"] == ["name", "desc", "createdAt", "asc"]

    def test_a_spec_default_order_is_its_own(self):
        by_name = dataclasses.replace(LINES, default_order=(("name", "asc"),))

        assert by_name.query().params()["sort"] == ["name", "asc", "createdAt", "desc"]

    def test_up_to_200_ids_are_accepted_and_more_refused(self):
        ids = [f"line_{n}" for n in range(201)]

        assert len(LINES.query(ids=ids[:200]).params()["ids"]) == 200
        with pytest.raises(ValueError, match="200"):
            LINES.query(ids=ids).params()

    def test_what_is_sent_to_the_emulator(self, client, seeded, log):
        names = [seeded[0].name, seeded[1].name]
        query = LINES.query(names=names, name="", ids=[])
        rows = resource_list(LINES, query=query.order_by(("name", "asc")), client=client)

        assert {row.id for row in rows} == {row.id for row in seeded if row.name in names}
        assert [row.name for row in rows] == sorted(row.name for row in rows)
        [sent] = list_requests(log)
        assert [key for key, _ in query_pairs(sent)] == [
            "names[]",
            "names[]",
            "sort[]",
            "sort[]",
            "sort[]",
            "sort[]",
            "offset",
            "limit",
        ]
        assert sort_sent(sent) == ["name", "asc", "createdAt", "desc"]
        assert raw_query(sent).endswith("&offset=0&limit=25")


# --- Listing ----------------------------------------------------------------------------------


class TestResourceList:
    def test_one_page_of_the_spec_records(self, client, log):
        rows = resource_list(LINES, client=client)

        assert len(rows) == 25
        assert all(type(row) is Line for row in rows)
        created = [row.created_at for row in rows]
        assert created == sorted(created, reverse=True)
        [sent] = list_requests(log)
        assert raw_query(sent) == "sort[]=createdAt&sort[]=desc&offset=0&limit=25"

    @pytest.mark.parametrize(("offset", "limit"), [(-1, 10), (0, 0), (0, 1001), (0, -5)])
    def test_bad_paging_is_refused_before_any_request(self, client, log, offset, limit):
        with pytest.raises(ValueError):
            resource_list(LINES, offset=offset, limit=limit, client=client)
        assert list_requests(log) == []

    def test_more_than_200_ids_are_refused_before_any_request(self, client, log):
        query = LINES.query(ids=[f"line_{n}" for n in range(201)])
        with pytest.raises(ValueError, match="200"):
            resource_list(LINES, query=query, client=client)
        assert list_requests(log) == []

    def test_paging_is_sent_as_offset_and_limit(self, client, seeded, log):
        rows = resource_list(LINES, offset=10, limit=7, client=client)

        assert [row.id for row in rows] == [row.id for row in seeded[10:17]]
        [sent] = list_requests(log)
        assert dict(query_pairs(sent))["offset"] == "10"
        assert dict(query_pairs(sent))["limit"] == "7"

    def test_unknown_ids_are_named(self, client, seeded, log):
        unknown = ["phoneConnection_nosuchline1", "phoneConnection_nosuchline2"]
        query = LINES.query(ids=[seeded[0].id, *unknown])

        with pytest.raises(GalteaIdsNotFound) as raised:
            resource_list(LINES, query=query, client=client)

        assert isinstance(raised.value, GalteaNotFound)
        assert raised.value.missing_ids == unknown
        assert raised.value.status == 404
        [sent] = list_requests(log)
        assert sent["status"] == 404

    def test_iterate_reads_everything_a_chunk_at_a_time(self, client, seeded, log):
        rows = list(resource_iterate(LINES, query=LINES.query(), chunk_size=50, client=client))

        assert rows == seeded
        offsets = sorted(int(dict(query_pairs(s))["offset"]) for s in list_requests(log))
        assert offsets == [50 * n for n in range(len(offsets))]
        assert len(offsets) > len(seeded) // 50  # the last, short chunk was read too
        assert {dict(query_pairs(s))["limit"] for s in list_requests(log)} == {"50"}


# --- One entity -------------------------------------------------------------------------------


class TestEntityPath:
    @pytest.mark.parametrize("entity_id", [".", "..", "...", ""])
    def test_ids_of_dots_only_name_no_entity(self, entity_id):
        with pytest.raises(GalteaNotFound) as raised:
            LINES.entity_path(entity_id)
        assert raised.value.message == f"PhoneConnection not found: {entity_id}"

    @pytest.mark.parametrize(
        ("entity_id", "path"),
        [
            ("line_1", "/phoneConnections/line_1"),
            ("a.b", "/phoneConnections/a.b"),
            ("..x", "/phoneConnections/..x"),
            ("a/b", "/phoneConnections/a%2Fb"),
        ],
    )
    def test_other_ids_are_one_path_segment(self, entity_id, path):
        assert LINES.entity_path(entity_id) == path

    def test_a_dots_only_id_is_never_sent(self, client, log):
        for call in (
            lambda: resource_get(LINES, entity_id="..", client=client),
            lambda: resource_update(LINES, entity_id="..", changes={"name": "x"}, client=client),
            lambda: resource_delete(LINES, entity_id=".", client=client),
        ):
            with pytest.raises(GalteaNotFound):
                call()
        assert log.requests_received() == []

    def test_get_is_the_listed_record(self, client, seeded, log):
        assert resource_get(LINES, entity_id=seeded[3].id, client=client) == seeded[3]
        [sent] = log.requests_received()
        assert (sent["method"], sent["path"]) == ("GET", f"{PATH}/{seeded[3].id}")


# --- Writes -----------------------------------------------------------------------------------


def fake_client(upstream) -> GalteaClient:
    return GalteaClient(upstream.url, "gsk_fake_key", read_timeout=2.0)


def echo(request, status: int = 200):
    body = request.json()
    return json_reply(
        {
            "id": "line_1",
            "name": body.get("name", "Line"),
            "voice": body.get("voice"),
            "createdAt": "2025-01-02T03:04:05.678Z",
        },
        status=status,
    )


class TestCreate:
    def test_unset_values_are_left_out(self, upstream):
        upstream.handler = lambda request: echo(request, 201)
        client = fake_client(upstream)

        created = resource_create(
            LINES,
            values={"product_id": "prod_1", "name": "Desk", "phone_number": "", "voice": None},
            client=client,
        )

        [sent] = upstream.received("POST")
        assert sent.path == PATH
        assert sent.json() == {"productId": "prod_1", "name": "Desk"}
        assert created == Line("line_1", "Desk", None, datetime(2025, 1, 2, 3, 4, 5, 678000, UTC))

    def test_false_and_zero_are_values_and_sent(self, upstream):
        upstream.handler = lambda request: echo(request, 201)
        flagged = dataclasses.replace(
            LINES, creatable={**LINES.creatable, "first": "agentSpeaksFirst", "rank": "rank"}
        )

        resource_create(
            flagged,
            values={"name": "Desk", "first": False, "rank": 0},
            client=fake_client(upstream),
        )

        [sent] = upstream.received("POST")
        assert sent.json() == {"name": "Desk", "agentSpeaksFirst": False, "rank": 0}

    @pytest.mark.parametrize("field", ["id", "created_at", "productId", "language_code"])
    def test_unknown_fields_are_refused_before_any_request(self, upstream, field):
        with pytest.raises(ValueError, match=field):
            resource_create(
                LINES, values={"name": "Desk", field: "x"}, client=fake_client(upstream)
            )
        assert upstream.received() == []

    def test_on_the_emulator(self, writer, writable_emulator):
        [product, *_] = list_products(client=writer)
        name = unique_name()

        line = resource_create(
            LINES,
            values={"product_id": product.id, "name": name, "phone_number": "+14155550123"},
            client=writer,
        )

        assert type(line) is Line
        assert (line.name, line.voice) == (name, None)
        assert resource_get(LINES, entity_id=line.id, client=writer) == line
        posts = [r for r in writable_emulator.requests_received() if r["method"] == "POST"]
        assert [(r["path"], r["status"]) for r in posts] == [(PATH, 201)]


class TestUpdate:
    @pytest.mark.parametrize("field", ["product_id", "phone_number", "id", "created_at", "nme"])
    def test_fields_that_are_not_updatable_are_refused_before_any_request(self, upstream, field):
        with pytest.raises(ValueError, match=field):
            resource_update(
                LINES, entity_id="line_1", changes={field: "x"}, client=fake_client(upstream)
            )
        assert upstream.received() == []

    def test_only_the_given_fields_are_sent_and_none_clears(self, upstream):
        upstream.handler = echo
        client = fake_client(upstream)

        resource_update(LINES, entity_id="line_1", changes={"voice": None}, client=client)
        resource_update(LINES, entity_id="line 1", changes={"name": "New"}, client=client)

        first, second = upstream.received("PATCH")
        assert (first.path, first.json()) == ("/phoneConnections/line_1", {"voice": None})
        assert (second.path, second.json()) == ("/phoneConnections/line%201", {"name": "New"})

    def test_on_the_emulator_then_delete(self, writer, writable_emulator):
        [product, *_] = list_products(client=writer)
        line = resource_create(
            LINES,
            values={
                "product_id": product.id,
                "name": unique_name(),
                "phone_number": "+14155550124",
                "voice": "jack",
            },
            client=writer,
        )
        renamed = unique_name()

        updated = resource_update(
            LINES, entity_id=line.id, changes={"name": renamed}, client=writer
        )
        assert updated == dataclasses.replace(line, name=renamed)

        assert resource_delete(LINES, entity_id=line.id, client=writer) is None
        with pytest.raises(GalteaNotFound):
            resource_get(LINES, entity_id=line.id, client=writer)
        with pytest.raises(GalteaIdsNotFound) as raised:
            resource_list(LINES, query=LINES.query(ids=[line.id]), client=writer)
        assert raised.value.missing_ids == [line.id]
        methods = [(r["method"], r["status"]) for r in writable_emulator.requests_received()]
        assert ("PATCH", 200) in methods
        assert ("DELETE", 200) in methods or ("DELETE", 204) in methods

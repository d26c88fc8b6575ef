"""Exporting the list as it is filtered and sorted, every page of it, as CSV and as JSON.

The files are streamed while the admin pages through the API a thousand rows at a time;
a failure halfway ends the file with an explicit error. Exports are read the way a
spreadsheet or a script reads them, and compared with what the list shows page by page.
"""

from __future__ import annotations

import csv
import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.utils import timezone

from galtea_admin.galtea.contract import EXPORT_REQUESTS_AHEAD
from galtea_admin.lists.export import PIECE_ROWS
from tests.emulator_process import start_emulator
from tests.faults.proxy import FaultProxy
from tests.galtea.fake_upstream import HANG, Reply, error_reply
from tests.pages import (
    CSV_HEADER,
    EXPORT_CSV_URL,
    ListView,
    every_page_of,
    export_url,
    filename_of,
    list_url,
    open_list,
    read_csv,
    read_json,
)
from tests.phone_connections.pages import LIST_URL, api_rows, list_calls, products

pytestmark = pytest.mark.django_db

CHUNK = 1000
PAGING_ROWS = 2_500
LARGE_ROWS = 100_000
ERROR_LINE = re.compile(r"^ERROR: the export stopped after (\d+) rows")


# --- Fixtures and readers --------------------------------------------------------------------


@pytest.fixture(scope="module")
def paging_emulator(tmp_path_factory):
    """An emulator with more rows than one chunk holds (2,500: three chunks)."""
    running = start_emulator(tmp_path_factory.mktemp("paging-emulator"), seed=PAGING_ROWS)
    yield running
    running.stop()


@pytest.fixture
def paging_api(settings, paging_emulator):
    settings.GALTEA_API_URL = paging_emulator.url
    settings.GALTEA_API_KEY = paging_emulator.api_key
    paging_emulator.clear_request_log()
    return paging_emulator


class ChunkGateway(FaultProxy):
    """The recording proxy, able to fail the list request of one chunk (by its offset)."""

    def __init__(self, target):
        super().__init__(target)
        self.chunk_faults: dict[int, Reply] = {}

    def fail_chunk(self, offset: int, reply: Reply) -> None:
        self.chunk_faults[offset] = reply

    def handle(self, request):
        if request.method == "GET" and request.path == "/phoneConnections":
            offset = int(dict(parse_qsl(request.query)).get("offset", "0"))
            if offset in self.chunk_faults:
                return self.chunk_faults[offset]
        return super().handle(request)


@pytest.fixture
def chunk_gateway(settings, paging_emulator):
    """The admin talks to the paging emulator through a proxy that can fail one chunk."""
    proxy = ChunkGateway(paging_emulator).start()
    settings.GALTEA_API_URL = proxy.url
    settings.GALTEA_API_KEY = paging_emulator.api_key
    settings.GALTEA_READ_TIMEOUT = 1.0
    settings.GALTEA_EXPORT_READ_TIMEOUT = 1.0  # each chunk's: exports have no page deadline
    yield proxy
    proxy.stop()


def streamed_lines(response):
    """The lines of a streamed CSV as they arrive (for files read row by row)."""
    pending = ""
    for chunk in response.streaming_content:
        pending += chunk.decode("utf-8")
        *complete, pending = pending.split("\r\n")
        yield from complete
    if pending:
        yield pending


def csv_ids(lines: list[list[str]]) -> list[str]:
    assert lines[0] == CSV_HEADER
    return [line[0] for line in lines[1:]]


def assert_paged(emulator, rows: int) -> None:
    """Each chunk of `rows` was asked for once, a thousand rows at a time (the chunk that
    comes back short or empty says where the rows end); past it, only the requests already
    on their way by then."""
    asked = sorted(offsets_asked(emulator), key=lambda pair: int(pair[0]))
    needed = [(str(offset), "1000") for offset in range(0, rows + 1, CHUNK)]
    assert asked[: len(needed)] == needed
    past_the_end = asked[len(needed) :]
    assert len(past_the_end) <= EXPORT_REQUESTS_AHEAD
    last = int(needed[-1][0])
    assert past_the_end == [
        (str(last + CHUNK * step), "1000") for step in range(1, len(past_the_end) + 1)
    ]


def chunks_being_sent(rows_read: int) -> int:
    """The chunks the export has started sending once `rows_read` rows were read: it takes
    at most one piece more than was read, and the chunk holding that piece's last row."""
    return (rows_read + PIECE_ROWS - 1) // CHUNK + 1


def offsets_asked(emulator) -> list[tuple[str, str]]:
    """(offset, limit) of each list request the emulator answered, in order."""
    asked = []
    for call in list_calls(emulator):
        params = dict(parse_qsl(call["query"]))
        asked.append((params["offset"], params["limit"]))
    return asked


def product_names(emulator) -> dict[str, str]:
    return {product["id"]: product["name"] for product in products(emulator)}


def busiest_product(emulator) -> dict:
    """The product with the most phone connections (several list pages of them)."""
    counts: dict[str, int] = {}
    for row in api_rows(emulator):
        counts[row["productId"]] = counts.get(row["productId"], 0) + 1
    busiest = max(counts, key=counts.get)
    return next(product for product in products(emulator) if product["id"] == busiest)


def expected_csv_line(row: dict, names: dict[str, str]) -> list[str]:
    """What the API's row must read as in the CSV (seeded values start with no formula)."""
    return [
        row["id"],
        row["name"],
        row["productId"],
        names[row["productId"]],
        row["phoneNumber"],
        row.get("voice") or "",
        row.get("languageCode") or "",
        "true" if row["agentSpeaksFirst"] else "false",
        row["createdAt"],
        row.get("userId") or "",
    ]


def expected_json_row(row: dict, names: dict[str, str]) -> dict:
    return {
        "id": row["id"],
        "name": row["name"],
        "product_id": row["productId"],
        "product_name": names[row["productId"]],
        "phone_number": row["phoneNumber"],
        "voice": row.get("voice"),
        "language_code": row.get("languageCode"),
        "agent_speaks_first": row["agentSpeaksFirst"],
        "created_at": row["createdAt"],
        "user_id": row.get("userId"),
    }


def today() -> str:
    return timezone.localdate().isoformat()


# --- What is exported ------------------------------------------------------------------------


def list_views(emulator) -> dict[str, list[tuple[str, str]]]:
    product = busiest_product(emulator)
    return {
        "product-by-name": [("product", product["id"]), ("sort", "name")],
        "name-contains-by-phone-desc": [("name", "ER"), ("sort", "-phone")],
        "created-range-oldest-first": [
            ("created_from", "2025-03-01T00:00"),
            ("created_to", "2026-02-01T00:00"),
            ("sort", "created"),
        ],
        "everything-by-name-desc": [("sort", "-name")],
        "search-by-phone": [("q", "e"), ("sort", "phone")],
    }


VIEW_NAMES = [
    "product-by-name",
    "name-contains-by-phone-desc",
    "created-range-oldest-first",
    "everything-by-name-desc",
    "search-by-phone",
]


class TestWhatIsExported:
    @pytest.mark.parametrize("view", VIEW_NAMES)
    def test_csv_holds_what_the_list_shows_on_all_its_pages_in_order(
        self, viewer_client, api, view
    ):
        params = list_views(api)[view]
        shown = every_page_of(viewer_client, list_url(params))
        assert len(shown) > 25, "the view must span several list pages"

        lines = read_csv(viewer_client.get(export_url("csv", params)))

        assert csv_ids(lines) == shown

    @pytest.mark.parametrize("view", VIEW_NAMES)
    def test_json_holds_what_the_list_shows_on_all_its_pages_in_order(
        self, viewer_client, api, view
    ):
        params = list_views(api)[view]
        shown = every_page_of(viewer_client, list_url(params))

        exported = read_json(viewer_client.get(export_url("json", params)))

        assert [row["id"] for row in exported["phoneConnections"]] == shown
        assert exported["complete"] is True
        assert exported["count"] == len(shown)

    def test_csv_cells_hold_what_the_api_holds(self, viewer_client, api):
        product = busiest_product(api)
        names = product_names(api)
        rows = api_rows(api, [("productIds[]", product["id"])], sort="phone")

        lines = read_csv(
            viewer_client.get(export_url("csv", {"product": product["id"], "sort": "phone"}))
        )

        assert lines[0] == CSV_HEADER
        assert lines[1:] == [expected_csv_line(row, names) for row in rows]

    def test_json_rows_hold_what_the_api_holds(self, viewer_client, api):
        product = busiest_product(api)
        names = product_names(api)
        rows = api_rows(api, [("productIds[]", product["id"])], sort="-created")

        exported = read_json(viewer_client.get(export_url("json", {"product": product["id"]})))

        assert exported == {
            "phoneConnections": [expected_json_row(row, names) for row in rows],
            "complete": True,
            "count": len(rows),
        }

    def test_the_page_and_page_size_of_the_list_do_not_limit_the_export(self, viewer_client, api):
        product = busiest_product(api)
        whole = [("product", product["id"]), ("sort", "name")]
        everything = csv_ids(read_csv(viewer_client.get(export_url("csv", whole))))

        paged = [*whole, ("page", "2"), ("per_page", "25")]
        exported = csv_ids(read_csv(viewer_client.get(export_url("csv", paged))))

        assert exported == everything
        assert len(everything) > 25

    def test_an_empty_view_exports_just_the_header_or_an_empty_list(self, viewer_client, api):
        params = {"name": "no connection is called like this"}

        assert read_csv(viewer_client.get(export_url("csv", params))) == [CSV_HEADER]
        assert read_json(viewer_client.get(export_url("json", params))) == {
            "phoneConnections": [],
            "complete": True,
            "count": 0,
        }

    def test_the_lists_export_links_carry_its_filters_and_sort_but_not_its_page(
        self, viewer_client, api
    ):
        product = busiest_product(api)
        params = [("product", product["id"]), ("sort", "-name"), ("per_page", "50"), ("page", "2")]
        page = open_list(viewer_client, list_url(params))

        for text, path in (
            ("Export CSV", EXPORT_CSV_URL),
            ("Export JSON", "/phone-connections/export.json"),
        ):
            href = page.export_link(text)
            assert urlsplit(href).path == path
            assert parse_qsl(urlsplit(href).query) == [
                ("product", product["id"]),
                ("sort", "-name"),
            ]

    @pytest.mark.parametrize("client_fixture", ["viewer_client", "editor_client", "manager_client"])
    def test_every_role_may_export(self, request, client_fixture):
        client = request.getfixturevalue(client_fixture)

        response = client.get(export_url("csv", {"name": "support"}))

        assert response.status_code == 200
        assert read_csv(response)[0] == CSV_HEADER

    def test_signed_out_people_may_not(self, client, api):
        response = client.get(EXPORT_CSV_URL)

        assert response.status_code == 302
        assert response.url.startswith("/accounts/login/")
        assert list_calls(api) == []


# --- Streaming and paging --------------------------------------------------------------------


class TestStreamingAndPaging:
    def test_pages_through_the_api_a_thousand_rows_at_a_time(self, client, operator, paging_api):
        client.force_login(operator)

        lines = read_csv(client.get(export_url("csv", {"sort": "name"})))

        ids = csv_ids(lines)
        assert len(ids) == PAGING_ROWS
        assert len(set(ids)) == PAGING_ROWS
        assert_paged(paging_api, PAGING_ROWS)
        for call in list_calls(paging_api):
            assert "sort[]=name&sort[]=asc&sort[]=createdAt&sort[]=desc" in call["query"]

    def test_rows_are_fetched_while_the_file_is_sent(self, client, operator, paging_api):
        """Never more than EXPORT_REQUESTS_AHEAD chunks ahead of the chunk being sent:
        memory stays flat."""
        client.force_login(operator)

        response = client.get(export_url("csv", {"sort": "-created"}))

        assert response.status_code == 200
        assert response.streaming
        assert not response.has_header("Content-Length")
        assert len(offsets_asked(paging_api)) <= 1 + EXPORT_REQUESTS_AHEAD, "the first chunk"
        rows_read = 0
        for line_number, _line in enumerate(streamed_lines(response)):
            rows_read = line_number  # the header is line 0
            if rows_read % 250 == 0:
                # At most the chunks ahead of those being sent are asked.
                asked = len(offsets_asked(paging_api))
                assert asked <= chunks_being_sent(rows_read) + EXPORT_REQUESTS_AHEAD
        assert rows_read == PAGING_ROWS
        assert_paged(paging_api, PAGING_ROWS)

    def test_the_json_export_pages_the_same_way(self, client, operator, paging_api):
        client.force_login(operator)

        exported = read_json(client.get(export_url("json", {"sort": "phone"})))

        assert exported["count"] == PAGING_ROWS
        assert exported["complete"] is True
        assert len({row["id"] for row in exported["phoneConnections"]}) == PAGING_ROWS
        assert_paged(paging_api, PAGING_ROWS)

    def test_responses_are_downloads_of_the_right_type(self, client, operator, paging_api):
        client.force_login(operator)

        as_csv = client.get(EXPORT_CSV_URL + "?name=support")
        as_json = client.get(export_url("json", {"name": "support"}))

        assert as_csv["Content-Type"] == "text/csv; charset=utf-8"
        assert as_json["Content-Type"] == "application/json; charset=utf-8"
        for response in (as_csv, as_json):
            assert response["Content-Disposition"].startswith("attachment; ")
            assert response["X-Content-Type-Options"] == "nosniff"
            response.close()


@pytest.mark.large
def test_a_hundred_thousand_rows_export_completely(client, operator, settings, tmp_path):
    """The largest export the requirement names: every row, fetched a chunk at a time."""
    large = start_emulator(tmp_path, seed=LARGE_ROWS)
    try:
        settings.GALTEA_API_URL = large.url
        settings.GALTEA_API_KEY = large.api_key
        client.force_login(operator)

        response = client.get(EXPORT_CSV_URL)

        reader = csv.reader(streamed_lines(response))
        assert next(reader) == CSV_HEADER
        ids = set()
        last: list[str] = []
        for count, line in enumerate(reader, start=1):
            ids.add(line[0])
            last = line
            if count % 20_000 == 0:  # memory stays flat
                asked = len(offsets_asked(large))
                assert asked <= chunks_being_sent(count) + EXPORT_REQUESTS_AHEAD
        assert len(ids) == LARGE_ROWS
        assert count == LARGE_ROWS
        assert not last[0].startswith("ERROR")
        assert_paged(large, LARGE_ROWS)
    finally:
        large.stop()


# --- Failures --------------------------------------------------------------------------------


class TestFailureHalfway:
    @pytest.mark.parametrize(
        ("reply", "why"),
        [
            (error_reply(500, "boom"), "Galtea answered with error 500."),
            (HANG, "Galtea did not answer in time."),
        ],
        ids=["server-error", "timeout"],
    )
    def test_csv_ends_with_an_error_line_after_the_rows_it_has(
        self, client, operator, chunk_gateway, reply, why
    ):
        chunk_gateway.fail_chunk(1000, reply)
        client.force_login(operator)

        lines = read_csv(client.get(EXPORT_CSV_URL))

        assert lines[0] == CSV_HEADER
        assert len(lines) == 1 + 1000 + 1
        assert all(len(line) == len(CSV_HEADER) for line in lines[1:-1])
        assert lines[-1] == [f"ERROR: the export stopped after 1000 rows: {why}"]

    def test_the_error_line_starts_the_last_line_of_the_file(self, client, operator, chunk_gateway):
        """Checked by scripts with `line.startswith("ERROR")`, whatever Galtea's reason says
        (here: the API key is revoked halfway)."""
        chunk_gateway.fail_chunk(2000, Reply(401, b'{"error": "Unauthorized"}'))
        client.force_login(operator)

        response = client.get(EXPORT_CSV_URL)

        text = b"".join(response.streaming_content).decode()
        last_line = text.rstrip("\r\n").split("\r\n")[-1]
        match = ERROR_LINE.match(last_line)
        assert match, last_line
        assert match.group(1) == "2000"

    def test_an_upstream_message_cannot_put_a_formula_in_the_error_line(
        self, client, operator, chunk_gateway
    ):
        hostile = 'Bad "x",=HYPERLINK("https://evil.example");@SUM(1)\r\n=1+1\t-2\u202e\x07 end'
        chunk_gateway.fail_chunk(1000, error_reply(400, hostile))
        client.force_login(operator)

        lines = read_csv(client.get(EXPORT_CSV_URL))

        assert len(lines) == 1 + 1000 + 1
        assert lines[-1] == [
            "ERROR: the export stopped after 1000 rows: "
            "Bad x =HYPERLINK(https://evil.example) @SUM(1) =1+1 -2 end"
        ]

    def test_json_says_it_is_incomplete_and_why(self, client, operator, chunk_gateway):
        chunk_gateway.fail_chunk(1000, error_reply(502, "bad gateway"))
        client.force_login(operator)

        exported = read_json(client.get(export_url("json", {"sort": "name"})))

        assert exported["complete"] is False
        assert exported["count"] == 1000
        assert len(exported["phoneConnections"]) == 1000
        assert exported["error"] == (
            "the export stopped after 1000 rows: Galtea answered with error 502."
        )

    @pytest.mark.parametrize("extension", ["csv", "json"])
    def test_a_failure_before_any_row_is_an_error_page_not_a_file(
        self, client, operator, chunk_gateway, extension
    ):
        chunk_gateway.fail_chunk(0, error_reply(500, "boom"))
        client.force_login(operator)

        response = client.get(export_url(extension))

        assert response.status_code == 502
        assert not response.streaming
        assert not response.has_header("Content-Disposition")
        assert "Galtea had an internal error" in response.content.decode()


# --- File names ------------------------------------------------------------------------------


class TestFilename:
    def test_names_the_date_when_nothing_is_filtered(self, viewer_client, api):
        response = viewer_client.get(EXPORT_CSV_URL + "?sort=name&per_page=50&page=2")

        assert filename_of(response) == f"phone-connections_{today()}.csv"
        response.close()

    def test_names_each_filter_and_the_date(self, viewer_client, api):
        product = busiest_product(api)
        slug = product["name"].lower().replace(" ", "-")
        params = [("product", product["id"]), ("name", "Support"), ("sort", "name")]

        response = viewer_client.get(export_url("json", params))

        assert filename_of(response) == (
            f"phone-connections_product-{slug}_name-contains-support_{today()}.json"
        )
        response.close()

    def test_stays_short_and_plain_whatever_the_filters_hold(self, viewer_client, api):
        hostile = 'x"; filename="evil.exe" ' + "very long words " * 10
        params = [("name", hostile), ("phone", "+34 91"), ("created_from", "2025-01-01T10:00")]

        response = viewer_client.get(export_url("csv", params))

        filename = filename_of(response)
        assert re.fullmatch(r"[a-z0-9._-]+", filename), filename
        assert filename.startswith("phone-connections_name-contains-x-filenameevilexe")
        assert filename.endswith(f"_{today()}.csv")
        described = filename.removeprefix("phone-connections_").removesuffix(f"_{today()}.csv")
        assert len(described) <= 80
        response.close()


# --- Spreadsheet safety ----------------------------------------------------------------------


class TestSpreadsheetSafety:
    def test_cells_that_would_run_as_formulas_are_escaped(self, viewer_client, make_row, marker):
        names = {
            "formula": f'=HYPERLINK("https://evil.example","{marker}")',
            "plus": f"+SUM(1,2) {marker}",
            "minus": f"-2+3 {marker}",
            "at": f"@SUM(A1:A2) {marker}",
            "tab": f"\t=1+1 {marker}",
            "spaced-number": f"+1 415 555 2671 {marker}",
            "plain": f"Reception = front desk {marker}",
            "html": f"<script>alert('{marker}')</script>",
        }
        made = {key: make_row(name=name, phoneNumber="+14155552671") for key, name in names.items()}
        ids = " ".join(row["id"] for row in made.values())

        lines = read_csv(viewer_client.get(export_url("csv", {"ids": ids})))

        by_id = {line[0]: dict(zip(CSV_HEADER, line, strict=True)) for line in lines[1:]}
        exported = {key: by_id[row["id"]]["name"] for key, row in made.items()}
        assert exported == {
            "formula": "'" + names["formula"],
            "plus": "'" + names["plus"],
            "minus": "'" + names["minus"],
            "at": "'" + names["at"],
            "tab": "'" + names["tab"],
            "spaced-number": "'" + names["spaced-number"],
            "plain": names["plain"],
            "html": names["html"],
        }
        assert {line["phone_number"] for line in by_id.values()} == {"+14155552671"}

    @pytest.mark.parametrize(
        "start",
        ["\n", " ", "\u200b", "\ufeff", "\uff1d", "\uff0b", "\uff0d", "\uff20"],
        ids=[
            "line-feed",
            "space",
            "zero-width-space",
            "byte-order-mark",
            "full-width-equals",
            "full-width-plus",
            "full-width-minus",
            "full-width-at",
        ],
    )
    def test_cells_starting_with_what_a_spreadsheet_skips_or_reads_as_a_formula_are_escaped(
        self, viewer_client, make_row, marker, start
    ):
        name = f'{start}=HYPERLINK("https://evil.example","{marker}")'
        row = make_row(name=name)

        lines = read_csv(viewer_client.get(export_url("csv", {"ids": row["id"]})))

        exported = dict(zip(CSV_HEADER, lines[1], strict=True))
        assert exported["name"] == "'" + name

    def test_a_bare_international_number_is_exported_as_it_is(
        self, viewer_client, make_row, marker
    ):
        number_name = "+1415555" + str(int(marker[-6:], 16) % 10_000).zfill(4)
        row = make_row(name=number_name, phoneNumber="+442079460958")

        lines = read_csv(viewer_client.get(export_url("csv", {"ids": row["id"]})))

        exported = dict(zip(CSV_HEADER, lines[1], strict=True))
        assert exported["name"] == number_name
        assert exported["phone_number"] == "+442079460958"

    def test_json_keeps_every_name_exactly(self, viewer_client, make_row, marker):
        names = [f"=1+1 {marker}", f"@cmd {marker}", f"<b>{marker}</b>"]
        rows = [make_row(name=name) for name in names]
        ids = " ".join(row["id"] for row in rows)

        exported = read_json(viewer_client.get(export_url("json", {"ids": ids, "sort": "name"})))

        assert sorted(row["name"] for row in exported["phoneConnections"]) == sorted(names)

    def test_names_holding_html_show_as_text_on_the_list(self, viewer_client, make_row, marker):
        name = f"<script>alert('{marker}')</script><img src=x onerror=alert(1)>"
        row = make_row(name=name)

        page = open_list(viewer_client, list_url({"ids": row["id"]}))

        assert page.column("Name") == [name]
        table = page.table
        assert table.find_all("script") == []
        assert table.find_all("img") == []


# --- Filters the export cannot use -----------------------------------------------------------


class TestInvalidFilters:
    @pytest.mark.parametrize(
        "params",
        [
            [("created_from", "2025-02-30"), ("sort", "name")],
            [("product", "prod_doesnotexist")],
            [("ids", "phoneConnection_1 not/an/id")],
            [("created_from", "2026-02-01T00:00"), ("created_to", "2026-01-01T00:00")],
            [("q", "support"), ("name", "line")],
        ],
        ids=["impossible-date", "unknown-product", "malformed-id", "reversed-range", "q-and-name"],
    )
    @pytest.mark.parametrize("extension", ["csv", "json"])
    def test_send_back_to_the_list_with_the_filters_as_they_were(
        self, viewer_client, api, params, extension
    ):
        response = viewer_client.get(export_url(extension, params))

        assert response.status_code == 302
        assert urlsplit(response.url).path == LIST_URL
        assert parse_qsl(urlsplit(response.url).query) == params
        assert list_calls(api) == [], "nothing is exported"
        page = ListView(viewer_client.get(response.url))
        assert "Fix the filters before exporting." in page.messages

    def test_ids_that_do_not_exist_send_back_to_the_list_that_names_them(self, viewer_client, api):
        params = [("ids", "phoneConnection_doesnotexist")]

        response = viewer_client.get(export_url("csv", params))

        assert response.status_code == 302
        assert urlsplit(response.url).path == LIST_URL
        page = ListView(viewer_client.get(response.url))
        assert page.field_errors("ids") == ["Not found: phoneConnection_doesnotexist."]

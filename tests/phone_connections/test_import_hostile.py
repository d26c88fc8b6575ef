"""Hostile import input gets a clear sentence at the top of the form (never a 500), the
pasted rows still in it, and nothing stored or sent: formulas (kept as text, shown escaped),
a file over the size limit (the import's own, and the admin's cap on a request), another
encoding, more rows than the limit (100,000, answered at once), binary junk, an empty file,
JSON that is not a list of objects, and damaged or inflated spreadsheets."""

from __future__ import annotations

import io
import random
import time
import zipfile

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from galtea_admin.jobs.models import JobDraft
from galtea_admin.lists.import_files import ImportFileError, read_pasted, read_upload
from tests.pages import Page, writes
from tests.phone_connections.import_pages import (
    HEADER,
    IMPORT_URL,
    ImportFormPage,
    csv_bytes,
    json_bytes,
    paste,
    preview_of,
    product_named,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db

ENCODINGS = "UTF-8 (with or without a byte order mark) or UTF-16 with a byte order mark"


@pytest.fixture
def product(api) -> dict:
    return product_named(api, 0)


def refused(response) -> ImportFormPage:
    page = ImportFormPage(response)
    assert page.status == 400, page.html[:3000]
    assert page.problem.startswith("Nothing was imported. "), page.html[:3000]
    assert JobDraft.objects.count() == 0
    return page


def big_csv(product: dict, rows: int) -> bytes:
    lines = ["Name,Phone,Product"] + [
        f"Hostile {n},+14155552671,{product['name']}" for n in range(rows)
    ]
    return ("\n".join(lines) + "\n").encode()


class TestFormulas:
    def test_formulas_are_kept_as_text_and_shown_escaped(self, editor_client, api, product, marker):
        cells = ["=cmd|' /C calc'!A0", "@SUM(1+1)", '+HYPERLINK("http://x")', "-2+3"]
        rows = [HEADER] + [
            [f"{cell} {marker}", "+14155552671", product["name"], "", "", ""] for cell in cells
        ]
        preview = preview_of(editor_client, upload(editor_client, "f.csv", csv_bytes(rows)))

        assert [row["Name"] for row in preview.rows] == [f"{cell} {marker}" for cell in cells]
        assert (
            "=cmd|&#x27; /C calc&#x27;!A0" in preview.html
            or "=cmd|&#39; /C calc&#39;!A0" in preview.html
        )
        assert "<script" not in preview.html.split("<main", 1)[1].split("</main>")[0]
        assert "4 cells start with =, +, - or @, as a spreadsheet formula does" in preview.notes
        assert preview.counts["to create"] == 4
        assert writes(api) == []

    def test_markup_in_a_cell_is_shown_as_text(self, editor_client, product, marker):
        name = f"<img src=x onerror=alert(1)> {marker}"
        rows = [HEADER, [name, "+14155552671", product["name"], "", "", ""]]
        preview = preview_of(editor_client, upload(editor_client, "x.csv", csv_bytes(rows)))
        assert preview.rows[0]["Name"] == name
        assert "<img src=x" not in preview.html
        assert "&lt;img src=x onerror=alert(1)&gt;" in preview.html


class TestSize:
    def test_a_file_over_the_import_limit(self, editor_client, settings, product):
        settings.IMPORT_MAX_BYTES = 2048
        page = refused(upload(editor_client, "big.csv", big_csv(product, 100)))
        assert "The file is 4 KB; an import takes at most 2 KB." in page.problem
        assert "Choose the file again once it is fixed" in page.problem

    def test_pasted_text_over_the_limit_stays_in_the_form(self, editor_client, settings, product):
        settings.IMPORT_MAX_BYTES = 2048
        text = big_csv(product, 100).decode()
        page = refused(paste(editor_client, text))
        assert "The pasted text is 4 KB; an import takes at most 2 KB." in page.problem
        assert page.pasted.strip() == text.strip()

    def test_a_request_over_the_admins_cap_says_what_an_import_takes(
        self, editor_client, settings, product
    ):
        settings.MAX_REQUEST_BODY_BYTES = 4096
        answer = upload(editor_client, "big.csv", big_csv(product, 300))
        page = Page(answer)
        assert answer.status_code == 413
        assert (
            "The file is larger than the 4.0 KB one import takes. Nothing was read or saved"
            in page.main_text
        )
        assert page.link("Back to the import") == IMPORT_URL

    def test_the_413_names_the_imports_own_limit_when_it_is_the_lower(
        self, editor_client, settings, product
    ):
        settings.MAX_REQUEST_BODY_BYTES = 4096
        settings.IMPORT_MAX_BYTES = 2048
        form = ImportFormPage(editor_client.get(IMPORT_URL))
        answer = upload(editor_client, "big.csv", big_csv(product, 300))
        assert answer.status_code == 413
        assert "larger than the 2.0 KB one import takes" in Page(answer).main_text
        assert "at most 2 KB and" in form.main_text  # the form names the same limit

    def test_the_form_states_the_limits(self, editor_client, settings):
        settings.IMPORT_MAX_ROWS = 500
        page = ImportFormPage(editor_client.get(IMPORT_URL))
        assert "CSV, TSV, XLSX or JSON, at most 10 MB and 500 rows" in page.main_text


class TestRows:
    def test_a_hundred_thousand_rows_are_refused_at_once(self, editor_client, product):
        content = big_csv(product, 100_000)
        started = time.monotonic()
        page = refused(upload(editor_client, "huge.csv", content))
        assert time.monotonic() - started < 10
        assert page.problem == (
            "Nothing was imported. This has more than 10,000 rows; an import takes at most "
            "10,000. Split it into files of 10,000 rows or fewer and import them one after the "
            "other. Choose the file again once it is fixed (a browser never keeps it)."
        )

    @pytest.mark.parametrize("kind", ["xlsx", "json", "pasted"])
    def test_too_many_rows_in_every_format(self, editor_client, settings, product, kind):
        settings.IMPORT_MAX_ROWS = 50
        rows = [["Name", "Phone", "Product"]] + [
            [f"r{n}", "+14155552671", product["name"]] for n in range(51)
        ]
        if kind == "xlsx":
            answer = upload(editor_client, "r.xlsx", xlsx_bytes(rows))
        elif kind == "json":
            objects = [dict(zip(rows[0], row, strict=True)) for row in rows[1:]]
            answer = upload(editor_client, "r.json", json_bytes(objects))
        else:
            answer = paste(editor_client, csv_bytes(rows).decode())
        assert "This has more than 50 rows" in refused(answer).problem

    def test_exactly_the_limit_is_taken(self, editor_client, settings, product):
        settings.IMPORT_MAX_ROWS = 50
        preview = preview_of(editor_client, upload(editor_client, "ok.csv", big_csv(product, 50)))
        assert sum(preview.counts.values()) == 50


class TestEncodings:
    def test_another_encoding_says_which_are_read(self, editor_client, product):
        content = f"Name,Phone,Product\nCafé Zürich,+14155552671,{product['name']}\n".encode(
            "latin-1"
        )
        page = refused(upload(editor_client, "latin1.csv", content))
        assert "This file is not UTF-8 text (line 2 holds the byte 0xE9" in page.problem
        assert ENCODINGS in page.problem
        assert "“CSV UTF-8”" in page.problem

    def test_utf16_with_a_bom_is_read(self, editor_client, product, marker):
        text = f"Name\tPhone\tProduct\r\nCafé {marker}\t+14155552671\t{product['name']}\r\n"
        preview = preview_of(editor_client, upload(editor_client, "u16.txt", text.encode("utf-16")))
        assert preview.rows[0]["Name"] == f"Café {marker}"

    def test_utf8_with_a_bom_is_read(self, editor_client, product, marker):
        text = f"Name,Phone,Product\nCafé {marker},+14155552671,{product['name']}\n"
        preview = preview_of(
            editor_client, upload(editor_client, "bom.csv", b"\xef\xbb\xbf" + text.encode())
        )
        assert preview.headings[1] == "Name"
        assert preview.rows[0]["Name"] == f"Café {marker}"


class TestJunk:
    @pytest.mark.parametrize(
        ("name", "content", "expected"),
        [
            ("junk.csv", random.Random(17).randbytes(20_000), "it holds binary data"),
            ("nul.csv", b"Name,Phone,Product\nA\x00B,+1,C\n", "it holds binary data"),
            ("empty.csv", b"", "The file is empty: there is nothing to import."),
            ("blank.csv", b" \n\n\t\n", "The file is empty: there is nothing to import."),
            ("header.csv", b"Name,Phone,Product\n", "There is only one row"),
            (
                "old.xls",
                b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
                "an old Excel file (XLS)",
            ),
            ("fake.xlsx", b"Name,Phone\nA,B\n", "named like a spreadsheet (XLSX) but is not one"),
            ("zip.xlsx", None, "could not be opened as a spreadsheet (XLSX)"),
            ("cut.xlsx", "truncated", "could not be opened as a spreadsheet (XLSX)"),
            (
                "huge-cell.csv",
                b'Name,Phone,Product\n"' + b"x" * 200_000 + b'",1,2\n',
                "Row 2 could not be read as CSV",
            ),
        ],
    )
    def test_junk_is_refused_with_a_sentence(self, editor_client, name, content, expected):
        if content is None:
            out = io.BytesIO()
            with zipfile.ZipFile(out, "w") as archive:
                archive.writestr("notes.txt", "not a workbook")
            content = out.getvalue()
        elif content == "truncated":
            content = xlsx_bytes([["Name"], ["x"]])[:700]
        page = refused(upload(editor_client, name, content))
        assert expected in page.problem

    def test_a_spreadsheet_that_unpacks_to_far_more_than_its_size(self, editor_client, settings):
        settings.IMPORT_MAX_BYTES = 64 * 1024
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("xl/sharedStrings.xml", b"\x20" * (4 * 1024 * 1024))
        page = refused(upload(editor_client, "bomb.xlsx", out.getvalue()))
        assert "This spreadsheet unpacks to 4 MB, far more than" in page.problem

    @pytest.mark.parametrize(
        ("content", "expected"),
        [
            (b'{"name": "x"}', "The JSON must be a list of objects, one per row, e.g. [{"),
            (b"[1, 2]", "item 1 of the list is a number."),
            (b'["a"]', "item 1 of the list is a string."),
            (b'"text"', "this file holds a string."),
            (b'[{"name": ', "This is not valid JSON (line 1, column 11): Expecting value."),
            (b"[" * 100_000 + b"]" * 100_000, "nested too deeply"),
            (b"[]", "There is nothing to import"),
        ],
    )
    def test_json_that_is_not_a_list_of_objects(self, editor_client, content, expected):
        page = refused(upload(editor_client, "rows.json", content))
        assert expected in page.problem

    def test_nothing_at_all_and_both_at_once(self, editor_client, product):
        page = refused(editor_client.post(IMPORT_URL, {"rows": "  "}))
        assert page.problem == "Nothing was imported. Choose a file, or paste rows."
        answer = upload(editor_client, "a.csv", big_csv(product, 1), rows="Name,Phone\nx,y")
        page = refused(answer)
        assert page.problem == "Nothing was imported. Choose a file or paste rows, not both."
        assert page.pasted == "Name,Phone\nx,y"


class FakeUpload(io.BytesIO):
    def __init__(self, content: bytes, name: str):
        super().__init__(content)
        self.name = name
        self.size = len(content)


@hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    content=st.binary(max_size=3000),
    name=st.sampled_from(["a.csv", "a.xlsx", "a.json", "a.txt", "a"]),
)
def test_any_bytes_are_read_or_refused_with_a_sentence(content, name):
    try:
        read_upload(FakeUpload(content, name), json_root="phoneConnections")
    except ImportFileError as problem:
        assert str(problem).endswith((".", ")"))


@hypothesis_settings(max_examples=150, deadline=None)
@given(text=st.text(max_size=2000))
def test_any_pasted_text_is_read_or_refused_with_a_sentence(text):
    try:
        table = read_pasted(text)
    except ImportFileError as problem:
        assert str(problem)
    else:
        assert table.rows and all(isinstance(cell, str) for _, row in table.rows for cell in row)

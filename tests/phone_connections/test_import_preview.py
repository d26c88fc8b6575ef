"""The import form and its preview against the emulator: each format read (a real XLSX
made with openpyxl), columns matched leniently, every kind of problem shown before anything
is sent, names that exist found with the API's filters, in batches, and who may import."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from galtea_admin.jobs.models import JobDraft
from galtea_admin.lists import importing
from tests.pages import Page, writes
from tests.phone_connections.import_pages import (
    HEADER,
    IMPORT_URL,
    ImportFormPage,
    PreviewPage,
    csv_bytes,
    json_bytes,
    paste,
    preview_of,
    product_named,
    upload,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def product(api) -> dict:
    return product_named(api, 0)


def rows_of(marker: str, product: dict, count: int = 3) -> list[list[object]]:
    numbers = ("+1 (415) 555-2671", "0044 20 7946 0958", "+34 912 345 678")
    return [HEADER] + [
        [f"{marker} {n}", numbers[n % 3], product["name"], "yes" if n % 2 else "no", "", ""]
        for n in range(count)
    ]


class TestFormats:
    def test_a_csv_file_is_previewed_with_each_number_in_e164(self, editor_client, product, marker):
        preview = preview_of(
            editor_client, upload(editor_client, "lines.csv", csv_bytes(rows_of(marker, product)))
        )

        assert preview.counts == {"to create": 3, "to update": 0, "to skip": 0, "with problems": 0}
        assert preview.h1 == "Import from lines.csv: preview"
        assert [row["Phone number"] for row in preview.rows] == [
            "+14155552671 typed +1 (415) 555-2671",
            "+442079460958 typed 0044 20 7946 0958",
            "+34912345678 typed +34 912 345 678",
        ]
        assert [row["Product"] for row in preview.rows] == [product["name"]] * 3
        assert [row["Agent speaks first"] for row in preview.rows] == ["No", "Yes", "No"]
        assert all(row["What happens"] == "New will be created" for row in preview.rows)
        assert preview.start_button == "Import 3 rows"

    def test_a_real_xlsx_keeps_a_formula_as_its_text(self, editor_client, api, product, marker):
        rows = rows_of(marker, product, 2)
        rows[2][0] = '=HYPERLINK("http://example.com","x")'
        preview = preview_of(
            editor_client, upload(editor_client, "lines.xlsx", xlsx_bytes(rows, sheets=2))
        )

        assert preview.counts["to create"] == 2
        assert preview.rows[1]["Name"] == '=HYPERLINK("http://example.com","x")'
        assert "<bdi>=HYPERLINK(&#34;http://example.com&#34;,&#34;x&#34;)</bdi>" in preview.html
        assert "1 cell starts with =, +, - or @" in preview.notes
        assert "Only the first sheet, “Connections”, was read." in preview.notes
        assert writes(api) == []  # nothing sent before "Import"

    def test_json_a_list_of_objects_and_the_admins_own_export(self, editor_client, product, marker):
        objects = [
            {
                "name": f"{marker} j",
                "phoneNumber": "+14155552671",
                "productId": product["id"],
                "agentSpeaksFirst": True,
            }
        ]
        preview = preview_of(editor_client, upload(editor_client, "rows.json", json_bytes(objects)))
        assert preview.counts["to create"] == 1
        assert preview.rows[0]["Agent speaks first"] == "Yes"
        assert preview.rows[0]["Product"] == f"{product['name']} typed {product['id']}"

        exported = {"phoneConnections": objects, "complete": True, "count": 1}
        preview = preview_of(
            editor_client, upload(editor_client, "export.json", json_bytes(exported))
        )
        assert preview.counts["to create"] == 1

    def test_pasted_tsv_from_a_spreadsheet(self, editor_client, product, marker):
        text = f"phone\tname\tproduct\n+1 415 555 2671\t{marker} pasted\t{product['name']}\n"
        preview = preview_of(editor_client, paste(editor_client, text))
        assert preview.h1 == "Import from pasted rows: preview"
        assert preview.counts["to create"] == 1
        assert preview.headings == ["Row", "Phone number", "Name", "Product", "What happens"]

    def test_a_semicolon_csv_with_a_bom(self, editor_client, product, marker):
        content = csv_bytes(rows_of(marker, product, 1), delimiter=";", bom=True)
        preview = preview_of(editor_client, upload(editor_client, "excel.csv", content))
        assert preview.counts["to create"] == 1
        assert preview.rows[0]["Name"] == f"{marker} 0"


class TestColumns:
    @pytest.mark.parametrize(
        "headers",
        [
            ["Name", "Phone", "Product"],
            ["name", "phone_number", "product"],
            ["NAME", "Phone number", "Product name"],
            [" Name ", "phoneNumber", "productId"],
            ["name", "Phone-Number", "PRODUCT"],
        ],
    )
    def test_column_names_are_matched_whatever_their_case_and_punctuation(
        self, editor_client, product, marker, headers
    ):
        cell = product["id"] if headers[2] == "productId" else product["name"]
        content = csv_bytes([headers, [f"{marker} c", "+14155552671", cell]])
        preview = preview_of(editor_client, upload(editor_client, "c.csv", content))
        assert preview.counts["to create"] == 1, preview.html[:3000]

    def test_unknown_columns_are_reported_and_ignored(self, editor_client, product, marker):
        content = csv_bytes(
            [
                ["Name", "Phone", "Product", "Colour", "id", "Phone number"],
                [f"{marker} u", "+14155552671", product["name"], "red", "x", "+441234"],
            ]
        )
        preview = preview_of(editor_client, upload(editor_client, "u.csv", content))
        assert preview.counts["to create"] == 1
        assert "“Colour”: not a column this import reads." in preview.ignored
        assert "“id”: not a column this import reads." in preview.ignored
        assert "“Phone number”: the Phone number is read from “Phone”." in preview.ignored

    def test_a_missing_required_column_is_a_clear_error(self, editor_client, product, marker):
        content = csv_bytes([["Name", "Voice"], [f"{marker} m", "theo"]])
        page = ImportFormPage(upload(editor_client, "m.csv", content))
        assert page.status == 400
        assert page.problem.startswith(
            "Nothing was imported. The Product and the Phone number columns are missing"
        )
        assert "Its first row: Name, Voice." in page.problem
        assert JobDraft.objects.count() == 0


class TestProblems:
    def test_every_kind_of_problem_is_shown_and_counted(
        self, editor_client, api, product, make_row, marker
    ):
        other = product_named(api, 1)
        existing = make_row(
            name=f"{marker} exists", productId=product["id"], phoneNumber="+14155552671"
        )
        content = csv_bytes(
            [
                HEADER,
                [f"{marker} ok", "+14155552671", product["name"], "no", "", ""],
                [f"{marker} bad number", "+1 555", product["name"], "", "", ""],
                [f"{marker} no plus", "4155552671", product["name"], "", "", ""],
                [f"{marker} unknown product", "+14155552671", "No such product", "", "", ""],
                [f"{marker} ok", "+442079460958", product["name"], "", "", ""],  # duplicate
                [f"{marker} ok", "+442079460958", other["name"], "", "", ""],  # other product: fine
                [f"{marker} speaks", "+14155552671", product["name"], "maybe", "", ""],
                [f"{marker} voice", "+14155552671", product["name"], "", "bob", ""],
                [f"{marker} language", "+14155552671", product["name"], "", "", "english!!"],
                ["", "+14155552671", product["name"], "", "", ""],
                [existing["name"], "+442079460958", product["name"], "", "Theo", "en-gb"],
            ]
        )
        preview = preview_of(editor_client, upload(editor_client, "p.csv", content))

        assert preview.counts == {"to create": 2, "to update": 0, "to skip": 1, "with problems": 8}
        happens = {row["Row"]: row["What happens"] for row in preview.rows}
        assert happens["2"] == "New will be created"
        assert happens["3"].startswith("Not imported Phone number: ")
        assert happens["4"] == (
            "Not imported Phone number: Start with + and the country code, e.g. +44 20 7946 0958 "
            "or +1 415 555 2671."
        )
        assert happens["5"] == "Not imported No product is named “No such product” or has that id."
        assert happens["6"] == (
            "Not imported The file has this name in this product already, in row 2: only that "
            "row is imported."
        )
        assert happens["7"] == "New will be created"
        assert (
            happens["8"]
            == "Not imported Agent speaks first: “maybe” is not yes or no (nor true/false, 1/0)."
        )
        assert happens["9"].startswith("Not imported Voice: “bob” is not one of sarah, theo")
        assert happens["10"].startswith("Not imported Language: ")
        assert happens["11"] == "Not imported Name is missing."
        assert happens["12"] == "Exists will be skipped"
        assert preview.rows[-1]["Voice"] == "Theo (en-GB) typed Theo"

        update = PreviewPage(editor_client.get(preview.url + "?existing=update"))
        assert update.counts == {"to create": 2, "to update": 1, "to skip": 0, "with problems": 8}
        assert (
            update.rows[-1]["What happens"]
            == "Exists will be updated: Phone number, Voice, Language"
        )
        only = PreviewPage(editor_client.get(preview.url + "?show=problems"))
        assert [row["Row"] for row in only.rows] == ["3", "4", "5", "6", "8", "9", "10", "11"]
        assert writes(api) == []

    def test_names_that_exist_are_asked_in_batches_never_by_listing_everything(
        self, editor_client, api, product, make_row, marker
    ):
        made = [make_row(name=f"{marker} e{n:03d}", productId=product["id"]) for n in range(3)]
        rows = [HEADER] + [
            [f"{marker} e{n:03d}", "+14155552671", product["name"], "", "", ""] for n in range(450)
        ]
        api.clear_request_log()
        preview = preview_of(editor_client, upload(editor_client, "many.csv", csv_bytes(rows)))

        assert preview.counts["to create"] == 447
        assert preview.counts["to skip"] == len(made)
        lists = [
            parse_qs(r["query"])
            for r in api.requests_received()
            if r["method"] == "GET" and r["path"] == "/phoneConnections"
        ]
        assert 3 <= len(lists) <= 6
        for query in lists:
            assert query["productIds[]"] == [product["id"]]
            assert 1 <= len(query["names[]"]) <= importing.NAMES_PER_LOOKUP
        asked = [name for query in lists for name in query["names[]"]]
        assert sorted(asked) == sorted(row[0] for row in rows[1:])


class TestPermissions:
    def test_a_viewer_may_not_import(self, client, operator, api, product, marker):
        client.force_login(operator)
        assert client.get(IMPORT_URL).status_code == 403
        answer = upload(client, "v.csv", csv_bytes(rows_of(marker, product, 1)))
        assert answer.status_code == 403
        assert "Import…" not in Page(client.get("/phone-connections/")).main_text
        assert JobDraft.objects.count() == 0

    def test_the_list_offers_import_to_editors(self, editor_client):
        page = Page(editor_client.get("/phone-connections/?sort=name"))
        assert page.link("Import…") == IMPORT_URL + "?next=%2Fphone-connections%2F%3Fsort%3Dname"

    def test_a_draft_is_its_authors_only(self, client, editor, manager, api, product, marker):
        client.force_login(editor)
        preview = preview_of(
            client, upload(client, "a.csv", csv_bytes(rows_of(marker, product, 1)))
        )
        client.force_login(manager)
        other = client.get(preview.url)
        assert other.status_code == 302
        assert other["Location"] == IMPORT_URL
        assert client.post(preview.url, {"existing": "skip"}).status_code == 302
        assert writes(api) == []

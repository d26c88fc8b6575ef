"""The import pages read the way a person does, and the files a person would import, made
with the real tools (csv, json, openpyxl for XLSX)."""

from __future__ import annotations

import csv
import io
import json
import re

import openpyxl
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.pages import Page, products

IMPORT_URL = "/phone-connections/import/"
PREVIEW_PATH = re.compile(r"^/phone-connections/import/(\d+)/$")
HEADER = ["Name", "Phone number", "Product", "Agent speaks first", "Voice", "Language"]


def csv_bytes(rows: list[list[object]], *, delimiter: str = ",", bom: bool = False) -> bytes:
    text = io.StringIO()
    csv.writer(text, delimiter=delimiter).writerows(rows)
    data = text.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def xlsx_bytes(rows: list[list[object]], *, sheets: int = 1) -> bytes:
    """A real workbook, written by openpyxl; a cell starting with "=" is a formula."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Connections"
    for row in rows:
        sheet.append(row)
    for n in range(1, sheets):
        workbook.create_sheet(f"Other {n}").append(["ignored"])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def json_bytes(value) -> bytes:
    return json.dumps(value).encode("utf-8")


def upload(client, name: str, content: bytes, **extra):
    return client.post(IMPORT_URL, {"file": SimpleUploadedFile(name, content), **extra})


def paste(client, text: str):
    return client.post(IMPORT_URL, {"rows": text})


def product_named(emulator, index: int = 0) -> dict:
    return products(emulator)[index]


class ImportFormPage(Page):
    @property
    def problem(self) -> str:
        found = self.doc.find("div", id="import-problem")
        return found.text if found else ""

    @property
    def pasted(self) -> str:
        # A browser drops the line break that follows <textarea>.
        return self.doc.one("textarea", name="rows").raw_text().removeprefix("\n")


class PreviewPage(Page):
    @property
    def counts(self) -> dict[str, int]:
        """{"to create": 3, "to update": 0, "to skip": 1, "with problems": 2}."""
        counts = {}
        for li in self.doc.one("ul", id="import-counts").find_all("li"):
            number, _, what = li.text.partition(" ")
            counts[what.replace(" (not imported)", "")] = int(number)
        return counts

    @property
    def headings(self) -> list[str]:
        table = self.doc.one("table", class_="import-preview")
        return [th.text for th in table.one("thead").find_all("th")]

    @property
    def rows(self) -> list[dict[str, str]]:
        """Each row of the table as {heading: text}."""
        table = self.doc.find("table", class_="import-preview")
        if table is None:
            return []
        names = self.headings
        return [
            dict(zip(names, (td.text for td in tr.find_all("td")), strict=True))
            for tr in table.one("tbody").find_all("tr")
        ]

    @property
    def notes(self) -> str:
        found = self.doc.find("div", class_="alert-info")
        return found.text if found else ""

    @property
    def ignored(self) -> str:
        found = self.doc.find("div", class_="alert-warning")
        return found.text if found else ""

    @property
    def start_button(self) -> str:
        form = self.doc.one("section", class_="import-summary").one("form", method="post")
        buttons = form.find_all("button")
        return buttons[0].text if buttons else ""


def preview_of(client, response) -> PreviewPage:
    """Follow the form's redirect to its preview."""
    assert response.status_code == 302, response.content.decode()[:3000]
    location = response["Location"]
    assert PREVIEW_PATH.match(location), location
    page = PreviewPage(client.get(location))
    assert page.status == 200, page.html[:2000]
    page.url = location
    return page


def start_import(client, preview: PreviewPage, existing: str = "skip"):
    return client.post(preview.url, {"existing": existing})

"""Reading the pages of bulk actions, saved views and column choice the way a person does, and
the exported files the way a spreadsheet or a script does.

The element tree and the list page come from the list tests (`tests.phone_connections.pages`),
the messages and links of any page from the editing tests (`tests.editing.pages`).
"""

from __future__ import annotations

import csv
import io
import json
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

from tests.editing.pages import Page
from tests.phone_connections.pages import LIST_URL, Element, ListPage

BULK_DELETE_URL = "/phone-connections/bulk-delete/"
EXPORT_CSV_URL = "/phone-connections/export.csv"
EXPORT_JSON_URL = "/phone-connections/export.json"
SAVE_VIEW_URL = "/preferences/phone_connections/saved-views/"
COLUMNS_URL = "/preferences/phone_connections/columns/"

CSV_HEADER = [
    "id",
    "name",
    "product_id",
    "product_name",
    "phone_number",
    "voice",
    "language_code",
    "agent_speaks_first",
    "created_at",
    "user_id",
]
# The list's columns that each person may hide or move, as declared, with their headers.
COLUMN_LABELS = {
    "product": "Product",
    "phone": "Phone number",
    "voice": "Voice",
    "language": "Language",
    "speaks_first": "Speaks first",
    "created": "Created",
}
CONFIGURABLE_COLUMNS = list(COLUMN_LABELS)


def unique_marker() -> str:
    return f"batch{uuid.uuid4().hex[:10]}"


def list_url(params=()) -> str:
    """The list with these (key, value) pairs, in order."""
    query = urlencode(list(params.items()) if isinstance(params, dict) else list(params))
    return f"{LIST_URL}?{query}" if query else LIST_URL


def delete_view_url(view_id: int) -> str:
    return f"/preferences/saved-views/{view_id}/delete/"


def export_url(extension: str, params=()) -> str:
    base = EXPORT_CSV_URL if extension == "csv" else EXPORT_JSON_URL
    query = urlencode(list(params.items()) if isinstance(params, dict) else list(params))
    return f"{base}?{query}" if query else base


# --- The list ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SavedViewEntry:
    """One saved view as the sidebar shows it."""

    name: str
    href: str
    note: str  # "shared", "by <owner>" or ""
    removable: bool
    current: bool


@dataclass(frozen=True)
class ColumnChoiceEntry:
    """One line of the Columns panel."""

    name: str
    label: str
    shown: bool
    can_move_up: bool
    can_move_down: bool


class ListView(ListPage):
    """The phone-connection list with its selection, bulk bar, saved views and columns."""

    @property
    def messages(self) -> list[str]:
        return [li.text for li in self.doc.find_all("li", class_="message")]

    @property
    def selection_boxes(self) -> list[Element]:
        return [
            el
            for el in self.doc.find_all("input", type="checkbox")
            if el.attrs.get("name") == "ids"
        ]

    @property
    def select_all(self) -> Element | None:
        return self.doc.find("input", data_select_all="ids")

    @property
    def bulk_form(self) -> Element | None:
        return self.doc.find("form", id="bulk-form")

    @property
    def saved_views(self) -> list[SavedViewEntry]:
        box = self.doc.one("section", aria_labelledby="saved-views-title")
        listing = box.find("ul", class_="saved-views")
        if listing is None:
            return []
        entries = []
        for li in listing.find_all("li"):
            link = li.one("a")
            note = li.find("span", class_="muted")
            entries.append(
                SavedViewEntry(
                    name=link.text,
                    href=link.attrs["href"],
                    note=note.text if note else "",
                    removable=li.find("form") is not None,
                    current=link.attrs.get("aria-current") == "true",
                )
            )
        return entries

    def saved_view(self, name: str) -> SavedViewEntry:
        found = [entry for entry in self.saved_views if entry.name == name]
        assert len(found) == 1, f"expected one saved view {name!r}, found {self.saved_views}"
        return found[0]

    @property
    def column_choices(self) -> list[ColumnChoiceEntry]:
        form = self.doc.one("form", class_="columns-form")
        choices = []
        for li in form.find_all("li"):
            box = li.one("input", type="checkbox")
            up, down = li.find_all("button", name="move")
            choices.append(
                ColumnChoiceEntry(
                    name=li.one("input", type="hidden").attrs["value"],
                    label=li.one("label").text,
                    shown="checked" in box.attrs,
                    can_move_up="disabled" not in up.attrs,
                    can_move_down="disabled" not in down.attrs,
                )
            )
        return choices

    def export_link(self, text: str) -> str:
        found = [a for a in self.doc.find_all("a") if a.text == text]
        assert len(found) == 1, f"expected one link {text!r}"
        return found[0].attrs["href"]


def open_list(client, url: str) -> ListView:
    page = ListView(client.get(url))
    assert page.status == 200, page.html[:2000]
    return page


def every_page_of(client, url: str) -> list[str]:
    """The ids the list shows on each of its pages in turn, following "Next →"."""
    ids: list[str] = []
    while url:
        page = open_list(client, url)
        ids += page.row_ids
        following = page.link("next")
        url = LIST_URL + following if following else None
    return ids


# --- The bulk delete confirmation ----------------------------------------------------------


class BulkDeletePage(Page):
    @property
    def title(self) -> str:
        return self.doc.one("title").text

    @property
    def rows(self) -> list[dict[str, str]]:
        table = self.doc.find("table", class_="data-table")
        if table is None:
            return []
        names = [th.text for th in table.one("thead").find_all("th")]
        return [
            dict(zip(names, (td.text for td in tr.find_all("td")), strict=True))
            for tr in table.one("tbody").find_all("tr")
        ]

    @property
    def warning(self) -> str | None:
        found = self.doc.find("div", class_="alert-warning")
        return found.text if found else None

    @property
    def form(self) -> Element:
        return self.doc.one("form", method="post", data_submit_once=True)

    def hidden(self, name: str) -> list[str]:
        return [
            el.attrs.get("value", "")
            for el in self.form.find_all("input", type="hidden")
            if el.attrs.get("name") == name
        ]

    def form_data(self) -> dict[str, list[str]]:
        """What the confirmation form sends when its button is pressed."""
        data: dict[str, list[str]] = {}
        for el in self.form.find_all("input", type="hidden"):
            name = el.attrs["name"]
            if name != "csrfmiddlewaretoken":
                data.setdefault(name, []).append(el.attrs.get("value", ""))
        return data


# --- Exported files --------------------------------------------------------------------------


def streamed_text(response) -> str:
    assert response.streaming, "an export must be streamed"
    return b"".join(response.streaming_content).decode("utf-8")


def read_csv(response) -> list[list[str]]:
    """Every line of a CSV export, the header first."""
    return list(csv.reader(io.StringIO(streamed_text(response), newline="")))


def read_json(response) -> dict:
    return json.loads(streamed_text(response))


def filename_of(response) -> str:
    disposition = response["Content-Disposition"]
    prefix = 'attachment; filename="'
    assert disposition.startswith(prefix) and disposition.endswith('"'), disposition
    return disposition[len(prefix) : -1]

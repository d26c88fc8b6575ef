"""Reading the admin's pages the way a person does, its exported files the way a spreadsheet
or a script does, and asking the API what it holds.

Pages build on `tests.phone_connections.pages` (a response read as a small element tree, the
list page). `FormPage` names the parts of a create/edit form that tests look at; `ListView`
adds the list's selection, bulk bar, saved views and Columns panel. The API helpers talk to
an emulator directly, to set up rows and to check what a page really changed.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from dataclasses import dataclass
from urllib.parse import urlencode

import requests

from tests.html_tree import Element
from tests.phone_connections.pages import LIST_URL, RESOURCE, ListPage
from tests.phone_connections.pages import DetailPage as BaseDetailPage
from tests.phone_connections.pages import Page as BasePage

# The API helpers of the list tests, for the tests that import everything from here.
from tests.phone_connections.pages import create_row as create_row
from tests.phone_connections.pages import delete_row as delete_row
from tests.phone_connections.pages import products as products
from tests.phone_connections.pages import unique_name as unique_name

CREATE_URL = "/phone-connections/new/"
ACTIVITY_URL = "/activity/"
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
    "created": "Created (UTC)",
}
CONFIGURABLE_COLUMNS = list(COLUMN_LABELS)
# Columns a person may show, hidden until they do (after the others in the Columns panel).
HIDDEN_BY_DEFAULT = ["used_by"]


def detail_url(connection_id: str) -> str:
    return f"/phone-connections/{connection_id}/"


def edit_url(connection_id: str) -> str:
    return f"/phone-connections/{connection_id}/edit/"


def delete_url(connection_id: str) -> str:
    return f"/phone-connections/{connection_id}/delete/"


def list_url(params=()) -> str:
    """The list with these (key, value) pairs, in order."""
    query = urlencode(list(params.items()) if isinstance(params, dict) else list(params))
    return f"{LIST_URL}?{query}" if query else LIST_URL


def export_url(extension: str, params=()) -> str:
    base = EXPORT_CSV_URL if extension == "csv" else EXPORT_JSON_URL
    query = urlencode(list(params.items()) if isinstance(params, dict) else list(params))
    return f"{base}?{query}" if query else base


def delete_view_url(view_id: int) -> str:
    return f"/preferences/saved-views/{view_id}/delete/"


# --- Pages -----------------------------------------------------------------------------------


class Page(BasePage):
    """Any admin page: its heading, messages, alerts, links and buttons."""

    @property
    def messages(self) -> list[str]:
        return [li.text for li in self.doc.find_all("li", class_="message")]

    @property
    def alerts(self) -> list[str]:
        """The text of each alert box at the top of the page."""
        return [el.text for el in self.doc.find_all("div", role="alert")]

    @property
    def alert_text(self) -> str:
        return " ".join(self.alerts)

    def links(self, text: str) -> list[Element]:
        return [a for a in self.doc.find_all("a") if a.text == text]

    def link(self, text: str) -> str:
        found = self.links(text)
        assert len(found) == 1, f"expected one link {text!r}, found {len(found)}"
        return found[0].attrs["href"]

    def buttons(self) -> list[str]:
        return [b.text for b in self.doc.find_all("button")]

    @property
    def main_text(self) -> str:
        return self.doc.one("main").text


class FormPage(Page):
    """The create or edit form."""

    @property
    def form(self) -> Element:
        return self.doc.one("form", method="post", data_submit_once=True, action=None)

    def control(self, name: str) -> Element:
        found = [
            el
            for el in self.form.iter()
            if el.tag in ("input", "select", "textarea") and el.attrs.get("name") == name
        ]
        assert found, f"no control named {name}"
        return found[0]

    def value(self, name: str) -> str:
        """What the form shows (and would send) for `name`."""
        controls = [
            el
            for el in self.form.iter()
            if el.tag in ("input", "select", "textarea") and el.attrs.get("name") == name
        ]
        assert controls, f"no control named {name}"
        first = controls[0]
        if first.tag == "select":
            chosen = [o for o in first.find_all("option") if "selected" in o.attrs]
            return chosen[0].attrs.get("value", "") if chosen else ""
        if first.attrs.get("type") == "radio":
            chosen = [c for c in controls if "checked" in c.attrs]
            return chosen[0].attrs["value"] if chosen else ""
        if first.tag == "textarea":
            return first.raw_text().lstrip("\n")
        return first.attrs.get("value", "")

    def options(self, name: str) -> list[tuple[str, str]]:
        """(value, label) of a select's options or a radio group's choices."""
        control = self.control(name)
        if control.tag == "select":
            return [(o.attrs.get("value", ""), o.text) for o in control.find_all("option")]
        radios = [
            el for el in self.form.find_all("input", type="radio") if el.attrs.get("name") == name
        ]
        labels = {lbl.attrs.get("for"): lbl.text for lbl in self.form.find_all("label")}
        return [(r.attrs["value"], labels.get(r.attrs.get("id")) or r.parent.text) for r in radios]

    def field_errors(self, name: str) -> list[str]:
        """The error messages shown next to the control named `name`."""
        control = self.control(name)
        for container in control.ancestors():
            if container.has_class("field"):
                return [p.text for p in container.find_all("p", class_="field-error")]
        raise AssertionError(f"{name} is not inside a field")

    def all_field_errors(self) -> dict[str, list[str]]:
        names = {
            el.attrs["name"]
            for el in self.form.iter()
            if el.tag in ("input", "select", "textarea")
            and el.attrs.get("type") != "hidden"
            and "name" in el.attrs
        }
        return {name: errors for name in sorted(names) if (errors := self.field_errors(name))}

    @property
    def preview(self) -> str:
        return self.doc.one(id="number-preview").text

    def submission_data(self, **changes) -> dict[str, str]:
        """Everything the form would send as it is, with `changes` applied."""
        data = {}
        for el in self.form.iter():
            name = el.attrs.get("name")
            if not name or el.tag not in ("input", "select", "textarea"):
                continue
            if el.attrs.get("type") in ("submit", "button"):
                continue
            if "disabled" in el.attrs:
                continue
            if el.attrs.get("type") in ("radio", "checkbox") and "checked" not in el.attrs:
                continue
            data[name] = self.value(name) if el.attrs.get("type") != "radio" else el.attrs["value"]
        data.update(changes)
        return data


class DetailPage(Page, BaseDetailPage):
    """An entity's page: its details and the history of changes made through the admin."""

    @property
    def history(self) -> list[str]:
        """Each change in the history box, as one line of text."""
        box = self.doc.find("ol", class_="change-list")
        return [li.text for li in box.find_all("li", class_="change")] if box else []

    @property
    def history_changes(self) -> list[list[str]]:
        """Per change, newest first: each field line, e.g. "Name: old → new"."""
        box = self.doc.find("ol", class_="change-list")
        if box is None:
            return []
        return [
            [li.text for li in change.find_all("li")]
            for change in box.find_all("li", class_="change")
        ]


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


class ListView(ListPage, Page):
    """The phone-connection list with its selection, bulk bar, saved views and columns."""

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


# --- The bulk delete confirmation -----------------------------------------------------------


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
        return self.doc.one("form", method="post", data_submit_once=True, action=None)

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


# --- The API, asked directly -----------------------------------------------------------------


def unique_marker() -> str:
    """A word only one test's rows have in their names: `name=<marker>` lists just them."""
    return f"batch{uuid.uuid4().hex[:10]}"


def fetch(emulator, connection_id: str) -> dict | None:
    """The connection as the API holds it now; None when missing or deleted."""
    response = emulator.get(f"{RESOURCE}/{connection_id}")
    if response.status_code == 404:
        return None
    assert response.status_code == 200, response.text
    return response.json()


def find_by_name(emulator, name: str) -> list[dict]:
    response = emulator.get(RESOURCE, params={"names[]": name})
    assert response.status_code == 200, response.text
    return response.json()


def change_row(emulator, connection_id: str, **fields) -> dict:
    """Change a connection behind the admin's back (another person, another tool)."""
    response = requests.patch(
        f"{emulator.url}{RESOURCE}/{connection_id}", json=fields, headers=emulator.auth, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


def writes(emulator) -> list[dict]:
    """The POST/PATCH/DELETE requests the emulator answered since its log was cleared."""
    return [r for r in emulator.requests_received() if r["method"] in ("POST", "PATCH", "DELETE")]


SUBMISSION_TOKEN = re.compile(r"^[0-9a-f]{32}$")

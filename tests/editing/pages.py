"""Reading the editing pages the way a person does, and asking the API what it holds.

Pages build on `tests/phone_connections/pages.Page` (a response read as a small element
tree); `FormPage` names the parts of the create/edit form that tests look at. The API helpers talk
to an emulator directly, to set up rows and to check what a page really changed.
"""

from __future__ import annotations

import re
import uuid

import requests

from tests.html_tree import Element
from tests.phone_connections.pages import Page as BasePage

RESOURCE = "/phoneConnections"
LIST_URL = "/phone-connections/"
CREATE_URL = "/phone-connections/new/"
ACTIVITY_URL = "/activity/"


def detail_url(connection_id: str) -> str:
    return f"/phone-connections/{connection_id}/"


def edit_url(connection_id: str) -> str:
    return f"/phone-connections/{connection_id}/edit/"


def delete_url(connection_id: str) -> str:
    return f"/phone-connections/{connection_id}/delete/"


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
        return self.doc.one("form", method="post", data_submit_once=True)

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


class DetailPage(Page):
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


class ActivityPage(Page):
    @property
    def table(self) -> Element | None:
        return self.doc.find("table", class_="data-table")

    @property
    def column_names(self) -> list[str]:
        if self.table is None:
            return []
        return [th.text.strip("▲▼↕ ") for th in self.table.find("thead").find_all("th")]

    @property
    def rows(self) -> list[dict[str, str]]:
        if self.table is None:
            return []
        names = self.column_names
        return [
            dict(zip(names, (td.text for td in tr.find_all("td")), strict=True))
            for tr in self.table.find("tbody").find_all("tr")
        ]

    def column(self, name: str) -> list[str]:
        return [row[name] for row in self.rows]

    @property
    def showing(self) -> str | None:
        found = self.doc.find("p", class_="range")
        return found.text if found else None

    def sort_link(self, column: str) -> str:
        for th in self.table.find("thead").find_all("th"):
            if th.text.strip("▲▼↕ ") == column:
                return th.one("a").attrs["href"]
        raise AssertionError(f"no column {column}")

    @property
    def errors(self) -> list[str]:
        alert = self.doc.find("div", role="alert")
        return [li.text for li in alert.find_all("li")] if alert else []


# --- The API, asked directly -----------------------------------------------------------------


def unique_name(prefix: str = "Edit test line") -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"


def products(emulator) -> list[dict]:
    response = emulator.get("/products")
    assert response.status_code == 200, response.text
    return response.json()


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


def create_row(emulator, **fields) -> dict:
    """Create a phone connection through the API and return it."""
    body = {"phoneNumber": "+34912345678", "agentSpeaksFirst": False, **fields}
    body.setdefault("name", unique_name())
    body.setdefault("productId", products(emulator)[0]["id"])
    response = requests.post(emulator.url + RESOURCE, json=body, headers=emulator.auth, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def change_row(emulator, connection_id: str, **fields) -> dict:
    """Change a connection behind the admin's back (another person, another tool)."""
    response = requests.patch(
        f"{emulator.url}{RESOURCE}/{connection_id}", json=fields, headers=emulator.auth, timeout=10
    )
    assert response.status_code == 200, response.text
    return response.json()


def delete_row(emulator, connection_id: str) -> None:
    response = requests.delete(
        f"{emulator.url}{RESOURCE}/{connection_id}", headers=emulator.auth, timeout=10
    )
    assert response.status_code in (200, 204), response.text


def writes(emulator) -> list[dict]:
    """The POST/PATCH/DELETE requests the emulator answered since its log was cleared."""
    return [r for r in emulator.requests_received() if r["method"] in ("POST", "PATCH", "DELETE")]


SUBMISSION_TOKEN = re.compile(r"^[0-9a-f]{32}$")

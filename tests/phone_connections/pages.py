"""Reading the admin's pages and the emulator's request log the way a person or the API would.

`parse()` turns a response into a small element tree (standard library `html.parser`);
`ListPage` and `DetailPage` name the parts of those pages that tests look at. The emulator
helpers read what the API received and ask the API directly for the rows a page should show.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlsplit

import requests

from tests.html_tree import Element, parse

LIST_URL = "/phone-connections/"
RESOURCE = "/phoneConnections"
SORT_INDICATORS = "▲▼↕"

# Each `sort=` value and the `sort[]` pairs the API must receive for it (tie-breaker included).
API_SORT = {
    "name": (("name", "asc"), ("createdAt", "desc")),
    "-name": (("name", "desc"), ("createdAt", "desc")),
    "phone": (("phoneNumber", "asc"), ("createdAt", "desc")),
    "-phone": (("phoneNumber", "desc"), ("createdAt", "desc")),
    "created": (("createdAt", "asc"),),
    "-created": (("createdAt", "desc"),),
}
COLUMNS = ["Name", "Product", "Phone number", "Voice", "Language", "Speaks first", "Created (UTC)"]


def query_of(href: str) -> list[tuple[str, str]]:
    """The (key, value) pairs of a link's query string, in order."""
    return parse_qsl(urlsplit(href).query, keep_blank_values=True)


# --- The pages -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Chip:
    label: str
    value: str
    remove_url: str


class Page:
    def __init__(self, response):
        self.response = response
        self.status = response.status_code
        self.html = response.content.decode()
        self.doc = parse(self.html)

    @property
    def title(self) -> str:
        return self.doc.one("title").text

    @property
    def h1(self) -> str:
        found = self.doc.find("h1")
        return found.text if found else ""

    @property
    def alert_messages(self) -> list[str]:
        alert = self.doc.find("div", role="alert")
        return [li.text for li in alert.find_all("li")] if alert else []


class ListPage(Page):
    """The phone-connection list as a person reads it."""

    # --- the table
    @property
    def table(self) -> Element | None:
        return self.doc.find("table", class_="data-table")

    @property
    def header_cells(self) -> list[tuple[str, Element]]:
        if self.table is None:
            return []
        headers = []
        for th in self.table.find("thead").find_all("th"):
            name = th.text.strip(SORT_INDICATORS + " ")
            headers.append((name, th))
        return headers

    @property
    def column_names(self) -> list[str]:
        return [name for name, _ in self.header_cells]

    def header(self, name: str) -> Element:
        return dict(self.header_cells)[name]

    @property
    def rows(self) -> list[dict[str, Element]]:
        if self.table is None:
            return []
        names = self.column_names
        return [
            dict(zip(names, tr.find_all("td"), strict=True))
            for tr in self.table.find("tbody").find_all("tr")
        ]

    @property
    def row_ids(self) -> list[str]:
        ids = []
        for row in self.rows:
            href = row["Name"].one("a").attrs["href"]
            match = re.fullmatch(r"/phone-connections/([^/]+)/", urlsplit(href).path)
            assert match, href
            ids.append(match.group(1))
        return ids

    def column(self, name: str) -> list[str]:
        return [row[name].text for row in self.rows]

    # --- paging and empty states
    @property
    def showing(self) -> str | None:
        found = self.doc.find("p", class_="range")
        return found.text if found else None

    def link(self, rel: str) -> str | None:
        found = self.doc.find("a", rel=rel)
        return found.attrs["href"] if found else None

    @property
    def empty_state(self) -> Element | None:
        return self.doc.find("div", class_="empty-state")

    @property
    def empty_title(self) -> str | None:
        return self.empty_state.one("h2").text if self.empty_state else None

    def empty_link(self) -> str:
        return self.empty_state.one("a").attrs["href"]

    @property
    def page_sizes(self) -> dict[str, str | None]:
        """Each offered page size → its link (None for the current one, which is not a link)."""
        nav = self.doc.find("div", class_="page-sizes")
        sizes: dict[str, str | None] = {}
        for el in nav.iter():
            if el.tag == "a":
                sizes[el.text] = el.attrs["href"]
            elif el.tag == "strong" and el.attrs.get("aria-current"):
                sizes[el.text] = None
        return sizes

    # --- filters
    @property
    def filter_form(self) -> Element:
        return self.doc.one("form", id="filter-form")

    def controls(self, name: str) -> list[Element]:
        """The visible controls of the filter form named `name` (inside it, or tied to it
        with `form="filter-form"`); other forms on the page may reuse a name."""
        inside = {id(el) for el in self.filter_form.iter()}
        return [
            el
            for el in self.doc.iter()
            if el.tag in ("input", "textarea", "select")
            and el.attrs.get("name") == name
            and el.attrs.get("type") != "hidden"
            and (id(el) in inside or el.attrs.get("form") == "filter-form")
        ]

    def value(self, name: str):
        """What the form shows for `name`: text, or the checked values of checkboxes."""
        controls = self.controls(name)
        assert controls, f"no form control named {name}"
        if controls[0].attrs.get("type") == "checkbox":
            return [c.attrs["value"] for c in controls if "checked" in c.attrs]
        control = controls[0]
        if control.tag == "textarea":
            return control.raw_text().removeprefix("\r\n").removeprefix("\n")
        return control.attrs.get("value", "")

    def field_errors(self, name: str) -> list[str]:
        """The error messages shown next to the control named `name`."""
        control = self.controls(name)[0]
        for container in control.ancestors():
            if container.has_class("field") or container.has_class("toolbar"):
                return [p.text for p in container.find_all("p", class_="field-error")]
        raise AssertionError(f"{name} is not inside a field")

    def hidden_inputs(self) -> list[tuple[str, str]]:
        return [
            (el.attrs["name"], el.attrs.get("value", ""))
            for el in self.filter_form.find_all("input", type="hidden")
        ]

    @property
    def chips(self) -> list[Chip]:
        box = self.doc.find("div", class_="chips")
        if box is None:
            return []
        chips = []
        for li in box.find_all("li", class_="chip"):
            label = li.one("span", class_="chip-label").text.rstrip(":")
            remove = li.one("a", class_="chip-remove")
            value = li.text.removeprefix(label + ":").strip().removesuffix("×").strip()
            chips.append(Chip(label, value, remove.attrs["href"]))
        return chips

    @property
    def chip_count(self) -> str | None:
        found = self.doc.find("span", class_="chips-count")
        return found.text if found else None


class DetailPage(Page):
    def detail(self, term: str) -> Element:
        terms = self.doc.one("dl", class_="details")
        dts = terms.find_all("dt")
        dds = terms.find_all("dd")
        return dict(zip([dt.text for dt in dts], dds, strict=True))[term]


# --- The emulator -----------------------------------------------------------------------------


def readable(query: str) -> str:
    """A logged query string with the brackets the HTTP library percent-encodes restored."""
    return query.replace("%5B", "[").replace("%5D", "]")


def list_calls(emulator) -> list[dict]:
    """The GET /phoneConnections requests the emulator answered, oldest first."""
    return [
        {**r, "query": readable(r["query"])}
        for r in emulator.requests_received()
        if r["path"] == RESOURCE and r["method"] == "GET"
    ]


def only_list_call(emulator) -> dict:
    calls = list_calls(emulator)
    assert len(calls) == 1, calls
    return calls[0]


def sort_params(sort: str) -> list[tuple[str, str]]:
    return [("sort[]", part) for pair in API_SORT[sort] for part in pair]


def sort_query(sort: str) -> str:
    """`sort[]=name&sort[]=asc&...` as the admin must send it for `sort=`."""
    return "&".join(f"{key}={value}" for key, value in sort_params(sort))


def api_rows(emulator, params=(), *, sort: str = "-created", limit=1000, offset=0) -> list[dict]:
    """What the API itself answers (used to compute the rows a page must show)."""
    pairs = [*list(params), *sort_params(sort), ("limit", str(limit)), ("offset", str(offset))]
    response = emulator.get(RESOURCE, params=pairs)
    assert response.status_code == 200, response.text
    return response.json()


def products(emulator) -> list[dict]:
    return emulator.get("/products").json()


def create_row(emulator, **fields) -> dict:
    """Create a phone connection through the API and return it."""
    body = {"phoneNumber": "+34912345678", "agentSpeaksFirst": False, **fields}
    body.setdefault("name", unique_name())
    body.setdefault("productId", products(emulator)[0]["id"])
    response = requests.post(emulator.url + RESOURCE, json=body, headers=emulator.auth, timeout=10)
    assert response.status_code == 201, response.text
    return response.json()


def delete_row(emulator, row_id: str, *, missing_ok: bool = False) -> None:
    url = f"{emulator.url}{RESOURCE}/{row_id}"
    response = requests.delete(url, headers=emulator.auth, timeout=10)
    accepted = {200, 204, 404} if missing_ok else {200, 204}
    assert response.status_code in accepted, response.text


def unique_name(prefix: str = "View test line") -> str:
    return f"{prefix} {uuid.uuid4().hex[:10]}"

"""Reading the pages of versions and sessions, and the panels a connection's pages show
(what calls it, its latest calls, what still calls it before a delete), as a person does."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from tests.html_tree import Element
from tests.pages import Page

SORT_INDICATORS = "▲▼↕ "


def entity_id_in(href: str, prefix: str) -> str | None:
    """The id in a link to `/<prefix>/<id>/` (a page of one entity), else None."""
    match = re.fullmatch(rf"/{prefix}/([^/]+)/", urlsplit(href).path)
    return match.group(1) if match else None


def table_rows(table: Element | None) -> list[dict[str, Element]]:
    """Each body row of a table, its cells by column heading."""
    if table is None:
        return []
    names = [th.text.strip(SORT_INDICATORS) for th in table.one("thead").find_all("th")]
    return [
        dict(zip(names, tr.find_all("td"), strict=True)) for tr in table.one("tbody").find_all("tr")
    ]


@dataclass(frozen=True)
class RecordingCell:
    """A call's recording as the page offers it: a Play button asking `source` for the
    link, or why there is none."""

    playable: bool
    source: str | None
    text: str


def recording_of(cell: Element) -> RecordingCell:
    player = cell.find("div", class_="player")
    if player is None:
        return RecordingCell(False, None, cell.text)
    assert player.one("button", data_play=True).text == "Play recording"
    assert player.one("audio").attrs.get("preload") == "none"
    return RecordingCell(True, player.attrs["data-recording"], "")


class ListPage(Page):
    """A list of versions or sessions."""

    @property
    def table(self) -> Element | None:
        main = self.doc.find("section", class_="list-main")
        return main.find("table", class_="data-table") if main else None

    @property
    def rows(self) -> list[dict[str, Element]]:
        return table_rows(self.table)

    def ids(self, prefix: str) -> list[str]:
        """The id each row links to, e.g. `ids("versions")`."""
        found = []
        for row in self.rows:
            ids = {
                entity_id_in(a.attrs["href"], prefix)
                for cell in row.values()
                for a in cell.find_all("a")
            }
            ids.discard(None)
            assert len(ids) == 1, ids
            found.append(ids.pop())
        return found

    def column(self, name: str) -> list[str]:
        return [row[name].text for row in self.rows]

    @property
    def showing(self) -> str | None:
        found = self.doc.find("p", class_="range")
        return found.text if found else None

    def checked(self, name: str) -> list[str]:
        form = self.doc.one("form", id="filter-form")
        return [
            box.attrs["value"]
            for box in form.find_all("input", type="checkbox")
            if box.attrs.get("name") == name and "checked" in box.attrs
        ]

    def field_errors(self) -> list[str]:
        return [p.text for p in self.doc.find_all("p", class_="field-error")]


class DetailPage(Page):
    def detail(self, term: str) -> Element:
        terms = self.doc.one("dl", class_="details")
        return dict(
            zip([dt.text for dt in terms.find_all("dt")], terms.find_all("dd"), strict=True)
        )[term]

    @property
    def terms(self) -> list[str]:
        return [dt.text for dt in self.doc.one("dl", class_="details").find_all("dt")]

    @property
    def header_actions(self) -> list[str]:
        actions = self.doc.one("div", class_="page-header").one("div", class_="actions")
        return [el.text for el in actions.iter() if el.tag in ("a", "button")]

    @property
    def history_changes(self) -> list[list[str]]:
        box = self.doc.find("ol", class_="change-list")
        if box is None:
            return []
        return [
            [li.text for li in change.find_all("li")]
            for change in box.find_all("li", class_="change")
        ]

    def panel(self, title_id: str) -> Element | None:
        return self.doc.find("section", aria_labelledby=title_id)

    @property
    def used_by(self) -> UsedByPanel:
        section = self.panel("used-by-title")
        assert section is not None, "no Used by panel"
        return UsedByPanel(section)

    @property
    def recent_calls(self) -> RecentCallsPanel:
        section = self.panel("recent-calls-title")
        assert section is not None, "no Recent calls panel"
        return RecentCallsPanel(section)


@dataclass(frozen=True)
class UsedByRow:
    version_id: str
    name: str
    number: str
    product: str
    detach_url: str | None


class UsedByPanel:
    """The versions that call a connection."""

    def __init__(self, section: Element):
        self.section = section

    @property
    def text(self) -> str:
        return self.section.text

    @property
    def summary(self) -> str:
        found = self.section.find("p", class_="muted")
        return found.text if found else ""

    @property
    def attach_url(self) -> str | None:
        links = [a for a in self.section.find_all("a") if a.text == "Attach to a version…"]
        return links[0].attrs["href"] if links else None

    @property
    def rows(self) -> list[UsedByRow]:
        found = []
        for row in table_rows(self.section.find("table")):
            link = row["Version"].one("a")
            actions = row.get("Actions")
            detach = actions.find("a") if actions else None
            found.append(
                UsedByRow(
                    version_id=entity_id_in(link.attrs["href"], "versions"),
                    name=link.text,
                    number=row["Number"].text,
                    product=row["Product"].text,
                    detach_url=detach.attrs["href"] if detach else None,
                )
            )
        return found


@dataclass(frozen=True)
class CallRow:
    session_id: str
    version: str
    status: str
    outcome: str
    recording: RecordingCell


class RecentCallsPanel:
    """The latest calls made for some versions."""

    def __init__(self, section: Element):
        self.section = section

    @property
    def text(self) -> str:
        return self.section.text

    @property
    def all_calls_url(self) -> str | None:
        links = [a for a in self.section.find_all("a") if a.text == "All their calls"]
        return links[0].attrs["href"] if links else None

    @property
    def rows(self) -> list[CallRow]:
        return [
            CallRow(
                session_id=entity_id_in(row["When"].one("a").attrs["href"], "sessions"),
                version=row["Version"].text,
                status=row["Status"].text,
                outcome=row["Outcome"].text,
                recording=recording_of(row["Recording"]),
            )
            for row in table_rows(self.section.find("table"))
        ]


class ConfirmationPage(Page):
    """A delete confirmation (one or several), with what still calls the connections."""

    @property
    def usage_warning(self) -> Element | None:
        return self.doc.find("div", class_="usage-warning")

    @property
    def warned_versions(self) -> list[tuple[str, str]]:
        """(version id, name) of each version the warning names, in order."""
        warning = self.usage_warning
        if warning is None:
            return []
        return [
            (entity_id_in(a.attrs["href"], "versions"), a.text)
            for a in warning.one("ul").find_all("a")
        ]

    @property
    def detach_form(self) -> Element | None:
        warning = self.usage_warning
        return warning.find("form") if warning else None

    def detach_form_data(self) -> dict[str, list[str]]:
        """What "Detach them first" sends."""
        data: dict[str, list[str]] = {}
        for field in self.detach_form.find_all("input", type="hidden"):
            data.setdefault(field.attrs["name"], []).append(field.attrs.get("value", ""))
        return data


def expected_status(status: str) -> str:
    """How a session's status reads on a page."""
    return status.title()


def expected_outcome(session: dict) -> str:
    return session["error"] or session["stoppingReason"] or "—"


def expected_missing_recording(session: dict) -> str:
    return "Not yet" if session["status"] == "PENDING" else "None"

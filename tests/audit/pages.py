"""Reading the activity page the way a person does."""

from __future__ import annotations

from tests.html_tree import Element
from tests.pages import Page


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

"""Count matching: the API gives no total, so the list counts its rows when asked, with
one-row probes, keeps the count briefly, and then offers the last page and any page."""

from __future__ import annotations

import math

import pytest

from galtea_admin.galtea.phone_connections import PHONE_CONNECTIONS
from galtea_admin.galtea.resources import probe_count
from tests.html_tree import parse

pytestmark = pytest.mark.django_db

LIST_URL = "/phone-connections/"


def every_row(api, **params) -> list[dict]:
    rows, offset = [], 0
    while True:
        page = api.get("/phoneConnections", params={**params, "offset": offset, "limit": 1000})
        rows += page.json()
        if len(page.json()) < 1000:
            return rows
        offset += 1000


@pytest.mark.parametrize("size", [0, 1, 2, 3, 7, 8, 9, 64, 100, 121])
def test_probes_find_the_exact_count(galtea_settings, size, monkeypatch):
    """The search itself, over lists of every awkward size (a list of `size` rows)."""
    from galtea_admin.galtea import resources

    asked = []
    monkeypatch.setattr(
        resources,
        "resource_list",
        lambda spec, *, query, offset, limit, client: (
            asked.append(offset) or ([object()] if offset < size else [])
        ),
    )

    assert probe_count(PHONE_CONNECTIONS, query=PHONE_CONNECTIONS.query(), client=None) == size
    assert all(offset <= 2 * max(size, 1) for offset in asked)
    assert len(asked) <= 2 * math.log2(size + 1) + 3


def test_the_list_counts_on_demand_and_offers_every_page(viewer_client, api):
    expected = len(every_row(api))
    assert expected > 25, "the list has more than a page"

    first = parse(viewer_client.get(LIST_URL).content.decode())
    count_link = first.one("a", class_="count-link")
    assert count_link.text == "Count matching"
    api.clear_request_log()

    page = parse(viewer_client.get(LIST_URL + count_link.attrs["href"]).content.decode())

    assert f"of {expected} matching" in page.one("p", class_="range").text
    pages = math.ceil(expected / 25)
    assert f"Page 1 of {pages}" in page.one("span", class_="page-number").text
    [last] = [a for a in page.one("div", class_="pager").find_all("a") if a.text == "Last"]
    assert f"page={pages}" in last.attrs["href"]
    jump = page.one("form", class_="page-jump")
    assert jump.one("input", name="page").attrs["max"] == str(pages)
    probes = [r for r in api.requests_received() if r["path"] == "/phoneConnections"]
    assert len(probes) <= 1 + 2 * math.log2(expected + 1) + 3  # the page, then the probes

    api.clear_request_log()
    viewer_client.get(LIST_URL + count_link.attrs["href"])
    again = [r for r in api.requests_received() if r["path"] == "/phoneConnections"]
    assert len(again) == 1, "the count is kept: only the page is asked again"
